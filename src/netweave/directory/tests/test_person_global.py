import pytest
from django.urls import reverse

from netweave.directory.tests.bulk import public_network_with
from netweave.directory.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def url(person):
    return reverse("directory_global:person_global", kwargs={"uid": person.uid})


def test_member_redirected_to_profile(personas, client):
    """A member is sent to the person's profile in their network."""
    client.force_login(personas.olga)
    response = client.get(url(personas.person_a))
    assert response.status_code == 302
    assert response["Location"] == personas.person_a.get_absolute_url(personas.network)


def test_anonymous_sent_to_public_network(personas, client):
    """An anonymous visitor is sent to a public network the person's organisation is in."""
    network = public_network_with(personas.org_a)
    response = client.get(url(personas.person_a))
    assert response["Location"] == personas.person_a.get_absolute_url(network)


def test_unlisted_person_404_for_those_who_may_not_see(personas, client):
    """A person who is not listed is found only by those who may edit them."""
    quiet = PersonFactory(organisation=personas.org_a, consent_listed=False)
    public_network_with(personas.org_a)
    assert client.get(url(quiet)).status_code == 404
    client.force_login(personas.bob)
    assert client.get(url(quiet)).status_code == 404
    client.force_login(personas.alice)
    assert client.get(url(quiet))["Location"] == quiet.get_absolute_url(personas.network)


def test_404_without_visible_network(personas, client):
    """Anonymous visitors and outsiders get 404 for people of members-only networks."""
    assert client.get(url(personas.person_a)).status_code == 404
    client.force_login(personas.charlie)
    assert client.get(url(personas.person_a)).status_code == 404
    client.force_login(personas.fiona)
    assert client.get(url(PersonFactory(organisation=None))).status_code == 404
