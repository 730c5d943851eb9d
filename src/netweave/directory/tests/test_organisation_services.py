import datetime as dt
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from netweave.directory import services
from netweave.directory.models import Organisation, Person, Relationship
from netweave.directory.tests.factories import OrganisationFactory, TopicFactory, sector

pytestmark = pytest.mark.django_db


def org_data(**overrides):
    data = {
        "name": "Ассоциация водопользователей «Обшорон»",
        "acronym": "АВП",
        "sector": sector("farmer-group"),
        "country": "TJ",
        "website": "https://wua.example.tj",
        "email": "office@wua.example.tj",
    }
    data.update(overrides)
    return data


def test_create_organisation_joins_network(personas):
    """A new organisation is created as a member of the network, with its interests."""
    topic = TopicFactory(name="Tariffs", slug="tariffs")
    org = services.create_organisation(
        personas.network, org_data(), joined=dt.date(2011, 2, 1), topics=[topic]
    )
    assert org.memberships.get().joined == dt.date(2011, 2, 1)
    assert list(org.topics.all()) == [topic]
    assert org.slug


@pytest.mark.parametrize(
    "spelling",
    [
        "ассоциация водопользователей «обшорон»",
        "  Ассоциация   водопользователей «Обшорон» ",
        unicodedata.normalize("NFD", "Ассоциация водопользователей «Обшорон»"),
    ],
)
def test_duplicate_name_within_network_refused(personas, spelling):
    """A name that differs only in case, spacing or Unicode form is a duplicate."""
    services.create_organisation(personas.network, org_data())
    with pytest.raises(ValidationError) as err:
        services.create_organisation(personas.network, org_data(name=spelling))
    assert "name" in err.value.message_dict
    assert Organisation.objects.filter(acronym="АВП").count() == 1


def test_same_name_allowed_in_another_network(personas):
    """Two networks may each have a "Ministry of Agriculture" of their own country."""
    services.create_organisation(personas.network, org_data(name="Ministry of Agriculture"))
    services.create_organisation(personas.other_network, org_data(name="Ministry of Agriculture"))
    assert Organisation.objects.filter(name="Ministry of Agriculture").count() == 2


@pytest.mark.parametrize(
    ("field", "value"), [("email", "not-an-email"), ("website", "javascript:alert(1)")]
)
def test_invalid_contact_refused(personas, field, value):
    """An invalid e-mail or URL is refused on its field and nothing is saved."""
    with pytest.raises(ValidationError) as err:
        services.create_organisation(personas.network, org_data(**{field: value}))
    assert field in err.value.message_dict
    assert not Organisation.objects.filter(acronym="АВП").exists()


def test_join_date_in_future_rolls_back_organisation(personas):
    """A bad join date leaves no organisation behind."""
    with pytest.raises(ValidationError):
        services.create_organisation(
            personas.network, org_data(), joined=timezone.localdate() + dt.timedelta(days=1)
        )
    assert not Organisation.objects.filter(acronym="АВП").exists()


def test_rename_onto_existing_member_refused(personas):
    """Renaming an organisation to another member's name is refused."""
    with pytest.raises(ValidationError):
        services.update_organisation(
            personas.org_a, {"name": "beta  MINISTRY"}, network=personas.network
        )
    personas.org_a.refresh_from_db()
    assert personas.org_a.name == "Alpha Water Institute"


def test_person_must_work_for_a_member(personas):
    """A person added in a network must belong to one of its member organisations."""
    outsider = OrganisationFactory()
    with pytest.raises(ValidationError) as err:
        services.create_person({"name": "X", "organisation": outsider}, network=personas.network)
    assert "organisation" in err.value.message_dict
    person = services.create_person(
        {"name": "Zarina", "organisation": personas.org_a, "consent_listed": True},
        network=personas.network,
    )
    assert person.consent_date is not None
    assert Person.objects.filter(name="Zarina").exists()


def test_relationship_rules(personas):
    """Ties run between members, never to oneself, and are not recorded twice."""
    outsider = OrganisationFactory()
    tie = services.declare_relationship(
        personas.network, source=personas.org_a, target=personas.org_b, kind="advises"
    )
    assert tie.pk
    for kwargs in ({"target": outsider}, {"target": personas.org_a}, {"target": personas.org_b}):
        with pytest.raises(ValidationError):
            services.declare_relationship(
                personas.network, source=personas.org_a, kind="advises", **kwargs
            )
    assert Relationship.objects.count() == 1
