from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netweave.directory.models import Organisation, Person
from netweave.imports.services import apply_import
from netweave.imports.tests.helpers import upload


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(min_size=0, max_size=400), kind=st.sampled_from(["organisations", "people"]))
def test_random_bytes_give_messages_not_crashes(personas, data, kind):
    """Random bytes end in a message (bad file or rejected rows), never a crash or partial write."""
    before = (Organisation.objects.count(), Person.objects.count())
    try:
        record = upload(personas.network, kind, data, name="random.csv")
        apply_import(record, acting_user=personas.fiona)
    except ValidationError as error:
        assert error.messages and all(error.messages)
        assert (Organisation.objects.count(), Person.objects.count()) == before
