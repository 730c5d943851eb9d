"""Two people editing the same record: the second save is refused, never silently lost."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from netweave.directory import services
from netweave.directory.models import Organisation, Person
from netweave.networks.tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def _form_data(page_context) -> dict:
    """The values a browser would send back for the form as it was rendered."""
    form = page_context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif value is True:
            data[name] = "on"
        else:
            data[name] = str(value) if not hasattr(value, "isoformat") else value.isoformat()
    return data


@pytest.fixture
def second_facilitator(personas):
    user = UserFactory(username="gina")
    RoleFactory(user=user, network=personas.network, kind="facilitator")
    return user


def test_second_organisation_save_gets_a_conflict_message(personas, second_facilitator):
    url = f"/networks/testnet/organisations/{personas.org_a.slug}/edit/"
    fiona, gina = Client(), Client()
    fiona.force_login(personas.fiona)
    gina.force_login(second_facilitator)
    fiona_form = _form_data(fiona.get(url).context)
    gina_form = _form_data(gina.get(url).context)
    assert fiona_form["version"]

    fiona_form["description"] = "Fiona's description"
    assert fiona.post(url, fiona_form).status_code == 302

    gina_form["description"] = "Gina's description"
    response = gina.post(url, gina_form)
    assert response.status_code == 200
    assert "Someone else saved" in response.content.decode()
    assert Organisation.objects.get(pk=personas.org_a.pk).description == "Fiona's description"

    # Reopened, the form carries the new version and the save goes through.
    gina_form = _form_data(gina.get(url).context)
    gina_form["description"] = "Gina's description"
    assert gina.post(url, gina_form).status_code == 302
    assert Organisation.objects.get(pk=personas.org_a.pk).description == "Gina's description"


def test_second_person_save_gets_a_conflict_message(personas, second_facilitator):
    person = personas.person_a
    url = f"/networks/testnet/people/{person.uid}/edit/"
    fiona, gina = Client(), Client()
    fiona.force_login(personas.fiona)
    gina.force_login(second_facilitator)
    fiona_form = _form_data(fiona.get(url).context)
    gina_form = _form_data(gina.get(url).context)
    fiona_form["position"] = "Director"
    assert fiona.post(url, fiona_form).status_code == 302
    gina_form["position"] = "Intern"
    response = gina.post(url, gina_form)
    assert response.status_code == 200
    assert "Someone else saved" in response.content.decode()
    assert Person.objects.get(pk=person.pk).position == "Director"


def test_service_refuses_a_stale_version_and_accepts_the_current_one(personas):
    org = Organisation.objects.get(pk=personas.org_a.pk)
    opened = org.modified
    services.update_organisation(
        Organisation.objects.get(pk=org.pk),
        {"region": "Sughd"},
        network=personas.network,
        expected_version=opened,
    )
    with pytest.raises(ValidationError) as caught:
        services.update_organisation(
            Organisation.objects.get(pk=org.pk),
            {"region": "Khatlon"},
            network=personas.network,
            expected_version=opened,
        )
    assert caught.value.code == "conflict"
    fresh = Organisation.objects.get(pk=org.pk)
    assert fresh.region == "Sughd"
    services.update_organisation(
        fresh, {"region": "Khatlon"}, network=personas.network, expected_version=fresh.modified
    )
    assert Organisation.objects.get(pk=org.pk).region == "Khatlon"


def test_a_damaged_version_is_refused(personas):
    client = Client()
    client.force_login(personas.fiona)
    url = f"/networks/testnet/organisations/{personas.org_a.slug}/edit/"
    data = _form_data(client.get(url).context)
    data["version"] = "not-a-time"
    data["description"] = "x"
    assert client.post(url, data).status_code == 200
    assert Organisation.objects.get(pk=personas.org_a.pk).description != "x"
