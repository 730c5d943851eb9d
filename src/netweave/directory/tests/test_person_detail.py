import datetime as dt

import pytest
from django.urls import reverse

from netweave.directory.models import PersonInterest
from netweave.directory.tests.bulk import bulk_members, public_network_with
from netweave.directory.tests.factories import OrganisationFactory, PersonFactory, TopicFactory
from netweave.networks.services import hand_over_seat
from netweave.networks.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def url(network, person):
    return reverse("directory:person_detail", kwargs={"network": network.slug, "uid": person.uid})


def test_profile_shows_the_person(personas, client):
    """The profile shows name, position, organisation, languages, interests and seats."""
    person = personas.person_a
    person.languages = "tg, ru, en"
    person.save()
    PersonInterest.objects.create(person=person, topic=TopicFactory(name="Hydrology"))
    hand_over_seat(personas.network, personas.org_a, person=person, date=dt.date(2021, 4, 1))
    client.force_login(personas.olga)
    response = client.get(url(personas.network, person))
    assert response.status_code == 200
    for text in (
        "Anna Alpha",
        "Programme officer",
        "Alpha Water Institute",
        "tg, ru, en",
        "Hydrology",
        "Representative",
    ):
        assert text in response.text
    assert [seat.organisation for seat in response.context["seats"]] == [personas.org_a]


def test_contacts_hidden_from_anonymous(personas, client):
    """On a public network an anonymous reader sees no e-mail or phone."""
    personas.person_a.phone = "+992 90 123 4567"
    personas.person_a.save()
    network = public_network_with(personas.org_a)
    response = client.get(url(network, personas.person_a))
    assert response.status_code == 200
    assert personas.person_a.email not in response.text
    assert "123 4567" not in response.text


def test_contacts_shown_to_members_with_consent(personas, client):
    """A member sees the contacts of a person who agreed to be contacted, not of others."""
    shy = PersonFactory(name="Shy Sharif", organisation=personas.org_a, consent_contact=False)
    client.force_login(personas.olga)
    assert personas.person_a.email in client.get(url(personas.network, personas.person_a)).text
    assert shy.email not in client.get(url(personas.network, shy)).text
    client.force_login(personas.fiona)
    assert shy.email in client.get(url(personas.network, shy)).text


def test_unlisted_person_is_404_for_others(personas, client):
    """A person who did not agree to be listed is missing except for those who edit them."""
    quiet = PersonFactory(name="Quiet Qodir", organisation=personas.org_a, consent_listed=False)
    client.force_login(personas.bob)
    assert client.get(url(personas.network, quiet)).status_code == 404
    client.force_login(personas.alice)
    assert client.get(url(personas.network, quiet)).status_code == 200


def test_person_outside_network_is_404(personas, client):
    """A person whose organisation never belonged to the network is missing there."""
    elsewhere = OrganisationFactory()
    MembershipFactory(network=personas.other_network, organisation=elsewhere)
    person = PersonFactory(organisation=elsewhere)
    client.force_login(personas.fiona)
    assert client.get(url(personas.network, person)).status_code == 404


def test_members_only_network_refused_to_outsiders(personas, client):
    """Anonymous visitors and users without a role get 404."""
    assert client.get(url(personas.network, personas.person_a)).status_code == 404
    client.force_login(personas.charlie)
    assert client.get(url(personas.network, personas.person_a)).status_code == 404


def test_history_only_for_facilitators(personas, client):
    """The audit trail of a person is shown to facilitators only."""
    personas.person_a.position = "Director"
    personas.person_a.save()
    client.force_login(personas.fiona)
    response = client.get(url(personas.network, personas.person_a))
    assert response.context["history"][0].changed == ["position"]
    assert "Audit trail" in response.text
    client.force_login(personas.alice)
    response = client.get(url(personas.network, personas.person_a))
    assert not response.context["history"]
    assert "Audit trail" not in response.text


def test_edit_link_for_editors_only(personas, client):
    """The focal point of the person's organisation sees the edit link; another does not."""
    link = reverse(
        "directory:person_update",
        kwargs={"network": personas.network.slug, "uid": personas.person_a.uid},
    )
    client.force_login(personas.alice)
    assert link in client.get(url(personas.network, personas.person_a)).text
    client.force_login(personas.bob)
    assert link not in client.get(url(personas.network, personas.person_a)).text


@pytest.mark.parametrize("count", [10, 500])
def test_query_count_anonymous_on_public_network(
    personas, client, django_assert_num_queries, count
):
    """An anonymous person profile costs the same queries with 10 or 500 organisations."""
    network = public_network_with(slug="wide")
    person = bulk_members(network, count)[0].people.first()
    # 4 queries: network, person with organisation and sector, interests, seats.
    with django_assert_num_queries(4):
        assert client.get(url(network, person)).status_code == 200


@pytest.mark.parametrize("count", [10, 500])
def test_query_count_facilitator(personas, client, django_assert_num_queries, count):
    """A facilitator's person profile costs the same queries with 10 or 500 organisations."""
    person = bulk_members(personas.network, count)[0].people.first()
    client.force_login(personas.fiona)
    # 8 queries: session, user, network, roles, person with organisation and sector,
    # interests, seats, history with users.
    with django_assert_num_queries(8):
        assert client.get(url(personas.network, person)).status_code == 200
