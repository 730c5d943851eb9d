import pytest
from django.urls import reverse

from netweave.directory.tests.bulk import public_network_with
from netweave.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def url(org):
    return reverse("directory_global:organisation_global", kwargs={"slug": org.slug})


def test_redirects_to_first_visible_network_by_name(personas, client):
    """The global address leads to the profile in the first network, by name, the user sees."""
    public = public_network_with(personas.org_a)
    client.force_login(personas.olga)
    # Olga reads both networks; "Public network" sorts before "Test network".
    response = client.get(url(personas.org_a))
    assert response["Location"] == personas.org_a.get_absolute_url(public)
    public.name = "Zeta network"
    public.save()
    response = client.get(url(personas.org_a))
    assert response["Location"] == personas.org_a.get_absolute_url(personas.network)


def test_member_network_for_its_members(personas, client):
    """A member is sent to the members-only network they belong to."""
    client.force_login(personas.alice)
    response = client.get(url(personas.org_b))
    assert response.status_code == 302
    assert response["Location"] == personas.org_b.get_absolute_url(personas.network)


def test_anonymous_sent_to_public_network(personas, client):
    """An anonymous visitor is sent to the public network the organisation belongs to."""
    network = public_network_with(personas.org_a)
    response = client.get(url(personas.org_a))
    assert response["Location"] == personas.org_a.get_absolute_url(network)


def test_404_when_no_visible_network(personas, client):
    """Without a network the user may read, or for an unknown slug, the answer is 404."""
    assert client.get(url(personas.org_a)).status_code == 404
    client.force_login(personas.charlie)
    assert client.get(url(personas.org_a)).status_code == 404
    client.force_login(personas.fiona)
    assert client.get(url(OrganisationFactory())).status_code == 404
    assert client.get("/directory/organisations/no-such-org/").status_code == 404
