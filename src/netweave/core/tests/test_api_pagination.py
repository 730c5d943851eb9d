import pytest

from netweave.directory.tests.factories import OrganisationFactory
from netweave.networks.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_page_size_is_chosen_by_the_caller_within_a_cap(personas, client):
    """`?page_size=` sets the page length; the cap keeps a caller from asking for everything."""
    for _ in range(5):
        MembershipFactory(network=personas.network, organisation=OrganisationFactory())
    client.force_login(personas.fiona)
    body = client.get("/api/v1/organisations/", {"network": "testnet", "page_size": 3}).json()
    assert body["count"] == 7
    assert len(body["results"]) == 3
    assert body["next"] is not None
    from netweave.core.api import Pagination

    assert Pagination.max_page_size == 500
    body = client.get("/api/v1/organisations/", {"network": "testnet", "page_size": 10_000}).json()
    assert len(body["results"]) == 7
