"""The networks and memberships endpoints of the REST API."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from netweave.directory.models import Organisation
from netweave.directory.tests.factories import OrganisationFactory, sector
from netweave.networks.models import Membership, Network, Role
from netweave.networks.tests.factories import MembershipFactory, NetworkFactory, UserFactory

NETWORKS = "/api/v1/networks/"
MEMBERSHIPS = "/api/v1/memberships/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def _as(api: APIClient, user) -> APIClient:
    api.force_login(user)
    return api


# Networks ----------------------------------------------------------------------------------
def test_anonymous_caller_is_refused_the_networks(api, personas):
    """Without credentials the networks list answers 401/403, not data."""
    assert api.get(NETWORKS).status_code in (401, 403)


def test_network_list_holds_only_networks_the_user_may_read(api, personas):
    """An observer sees their network; a facilitator elsewhere and an outsider do not."""
    NetworkFactory(slug="open", visibility="public")
    slugs = {n["slug"] for n in _as(api, personas.olga).get(NETWORKS).json()["results"]}
    assert slugs == {"testnet", "open"}
    slugs = {n["slug"] for n in _as(api, personas.frank).get(NETWORKS).json()["results"]}
    assert slugs == {"othernet", "open"}
    slugs = {n["slug"] for n in _as(api, personas.charlie).get(NETWORKS).json()["results"]}
    assert slugs == {"open"}


def test_staff_creates_a_network_and_becomes_its_facilitator(api, personas):
    """POST by staff creates the network through the service, with a facilitator role."""
    staff = UserFactory(username="stella", is_staff=True)
    response = _as(api, staff).post(
        NETWORKS, {"slug": "health", "name": "Health network", "country": "tj"}, format="json"
    )
    assert response.status_code == 201, response.json()
    network = Network.objects.get(slug="health")
    assert network.country == "TJ"
    assert Role.objects.filter(user=staff, network=network, kind="facilitator").exists()
    assert response.json()["stage"] == "informal"


def test_a_facilitator_who_is_not_staff_cannot_create_a_network(api, personas):
    """Creating networks is for site staff: a facilitator gets 403 and nothing is made."""
    response = _as(api, personas.fiona).post(
        NETWORKS, {"slug": "health", "name": "Health"}, format="json"
    )
    assert response.status_code == 403
    assert not Network.objects.filter(slug="health").exists()


def test_network_with_a_bad_slug_is_refused_on_the_slug(api, personas):
    """The service's message about the slug comes back on the slug field."""
    staff = UserFactory(username="stella", is_staff=True)
    response = _as(api, staff).post(
        NETWORKS, {"slug": "Not A Slug", "name": "Health"}, format="json"
    )
    assert response.status_code == 400
    assert "slug" in response.json()
    response = api.post(NETWORKS, {"slug": "testnet", "name": "Again"}, format="json")
    assert response.status_code == 400
    assert "exists" in response.json()["slug"][0]


def test_facilitator_edits_the_network(api, personas):
    """PATCH by the network's facilitator changes and keeps the description."""
    response = _as(api, personas.fiona).patch(
        f"{NETWORKS}testnet/", {"aims": "Clean water for all", "slug": "renamed"}, format="json"
    )
    assert response.status_code == 200, response.json()
    network = Network.objects.get(pk=personas.network.pk)
    assert network.aims == "Clean water for all"
    assert network.slug == "testnet"  # the slug is not editable


def test_steering_member_cannot_edit_the_network(api, personas):
    """A steering committee member sees the network but gets 403 on a change."""
    response = _as(api, personas.sam).patch(f"{NETWORKS}testnet/", {"aims": "X"}, format="json")
    assert response.status_code == 403
    assert Network.objects.get(pk=personas.network.pk).aims == ""


def test_facilitator_of_another_network_does_not_find_it(api, personas):
    """A network the user may not read is missing: 404 on read and on change."""
    _as(api, personas.frank)
    assert api.get(f"{NETWORKS}testnet/").status_code == 404
    assert api.patch(f"{NETWORKS}testnet/", {"aims": "X"}, format="json").status_code == 404
    assert Network.objects.get(pk=personas.network.pk).aims == ""


def test_launch_date_in_the_future_is_refused_on_launched(api, personas):
    """The service refuses a future launch date, on the launched field."""
    future = timezone.localdate() + dt.timedelta(days=3)
    response = _as(api, personas.fiona).patch(
        f"{NETWORKS}testnet/", {"launched": future.isoformat()}, format="json"
    )
    assert response.status_code == 400
    assert "future" in response.json()["launched"][0]
    assert Network.objects.get(pk=personas.network.pk).launched == dt.date(2009, 11, 1)


def test_token_authentication_reads_the_networks(api, personas):
    """An ``Authorization: Token`` header authenticates without a session."""
    token = Token.objects.create(user=personas.olga)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.get(NETWORKS)
    assert response.status_code == 200
    assert [n["slug"] for n in response.json()["results"]] == ["testnet"]


@pytest.mark.parametrize("count", [5, 60])
def test_network_list_query_count_does_not_grow(
    api, personas, django_assert_max_num_queries, count
):
    """The list costs the same queries with 5 and with 60 networks."""
    staff = UserFactory(username="stella", is_staff=True)
    Network.objects.bulk_create([Network(slug=f"net-{n}", name=f"Net {n}") for n in range(count)])
    _as(api, staff)
    # 4 queries: session, user, count, page of networks
    with django_assert_max_num_queries(4):
        response = api.get(NETWORKS)
    assert response.json()["count"] == count + 2


# Memberships -------------------------------------------------------------------------------
def test_anonymous_caller_is_refused_the_memberships(api, personas):
    """Without credentials the memberships list answers 401/403."""
    assert api.get(MEMBERSHIPS).status_code in (401, 403)


def test_observer_lists_the_memberships_of_the_network(api, personas):
    """Whoever reads the network reads its memberships, filtered by ``?network=``."""
    response = _as(api, personas.olga).get(MEMBERSHIPS, {"network": "testnet"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {row["organisation"] for row in rows} == {"awi", "bm"}
    awi = Membership.objects.get(organisation=personas.org_a)
    assert rows[0]["uid"] == str(awi.uid)


def test_memberships_of_an_unreadable_network_stay_hidden(api, personas):
    """A facilitator elsewhere gets a 400 filter error and a 404 on the record."""
    _as(api, personas.frank)
    assert api.get(MEMBERSHIPS, {"network": "testnet"}).status_code == 400
    assert api.get(MEMBERSHIPS).json()["count"] == 0
    membership = Membership.objects.get(organisation=personas.org_a)
    assert api.get(f"{MEMBERSHIPS}{membership.uid}/").status_code == 404


@pytest.mark.parametrize("address", [str(uuid.uuid4()), "0" * 36, "testnet.awi.2010-06-01"])
def test_membership_address_that_is_no_membership_s_uid_is_missing(api, personas, address):
    """An unknown or malformed uid, or the old composite key, is a 404 (not a 500)."""
    _as(api, personas.fiona)
    assert api.get(f"{MEMBERSHIPS}{address}/").status_code == 404
    assert api.patch(f"{MEMBERSHIPS}{address}/", {"left": "2024-03-01"}).status_code == 404
    assert not Membership.objects.filter(left__isnull=False).exists()


def _org_in_public_network() -> Organisation:
    public = NetworkFactory(slug="open", visibility="public")
    org = OrganisationFactory(name="Gamma Bank", slug="gamma", sector=sector("private-sector"))
    MembershipFactory(network=public, organisation=org)
    return org


def test_facilitator_adds_a_member(api, personas):
    """A facilitator adds an organisation they can see; the membership is recorded."""
    org = _org_in_public_network()
    response = _as(api, personas.fiona).post(
        MEMBERSHIPS,
        {"network": "testnet", "organisation": "gamma", "joined": "2020-01-15"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    membership = Membership.objects.get(network=personas.network, organisation=org)
    assert membership.joined == dt.date(2020, 1, 15)
    assert response.json()["uid"] == str(membership.uid)


def test_steering_member_cannot_add_a_member(api, personas):
    """Only facilitators manage members: 403 and no membership."""
    org = _org_in_public_network()
    response = _as(api, personas.sam).post(
        MEMBERSHIPS, {"network": "testnet", "organisation": "gamma"}, format="json"
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(network=personas.network, organisation=org).exists()


def test_join_date_in_the_future_is_refused_on_joined(api, personas):
    """The service's message about a future join date comes back on ``joined``."""
    org = _org_in_public_network()
    future = timezone.localdate() + dt.timedelta(days=10)
    response = _as(api, personas.fiona).post(
        MEMBERSHIPS,
        {"network": "testnet", "organisation": "gamma", "joined": future.isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert "future" in response.json()["joined"][0]
    assert not Membership.objects.filter(network=personas.network, organisation=org).exists()


def test_organisation_the_facilitator_cannot_see_reads_as_missing(api, personas):
    """A forged organisation slug (from a network the user cannot read) → 400, nothing saved."""
    hidden = OrganisationFactory(slug="hidden")
    MembershipFactory(network=personas.other_network, organisation=hidden)
    response = _as(api, personas.fiona).post(
        MEMBERSHIPS, {"network": "testnet", "organisation": "hidden"}, format="json"
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["organisation"][0]
    response = api.post(MEMBERSHIPS, {"network": "othernet", "organisation": "awi"}, format="json")
    assert response.status_code == 400
    assert "network" in response.json()
    assert Membership.objects.count() == 3


def test_facilitator_records_that_a_member_left(api, personas):
    """PATCH with ``left`` ends the membership through the service."""
    membership = Membership.objects.get(organisation=personas.org_b)
    response = _as(api, personas.fiona).patch(
        f"{MEMBERSHIPS}{membership.uid}/", {"left": "2024-03-01"}, format="json"
    )
    assert response.status_code == 200, response.json()
    membership.refresh_from_db()
    assert membership.left == dt.date(2024, 3, 1)
    assert membership.status == "left"


def test_facilitator_suspends_a_member_and_redates_the_join(api, personas):
    """PATCH with status and joined changes both."""
    membership = Membership.objects.get(organisation=personas.org_b)
    response = _as(api, personas.fiona).patch(
        f"{MEMBERSHIPS}{membership.uid}/",
        {"status": "suspended", "joined": "2011-02-03"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    membership.refresh_from_db()
    assert (membership.status, membership.joined) == ("suspended", dt.date(2011, 2, 3))
    assert response.json()["uid"] == str(membership.uid)  # re-dating keeps the address


def test_leaving_before_joining_is_refused_on_left(api, personas):
    """A leave date before the join date → 400 on ``left``; the membership stays open."""
    membership = Membership.objects.get(organisation=personas.org_b)
    response = _as(api, personas.fiona).patch(
        f"{MEMBERSHIPS}{membership.uid}/", {"left": "2001-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert "left" in response.json()
    membership.refresh_from_db()
    assert membership.left is None and membership.status == "active"


def test_focal_point_cannot_change_a_membership(api, personas):
    """A focal point reads memberships but gets 403 on a change, which is not made."""
    membership = Membership.objects.get(organisation=personas.org_a)
    _as(api, personas.alice)
    assert api.get(f"{MEMBERSHIPS}{membership.uid}/").status_code == 200
    response = api.patch(f"{MEMBERSHIPS}{membership.uid}/", {"left": "2024-03-01"}, format="json")
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.left is None


def test_token_authentication_changes_a_membership(api, personas):
    """A facilitator's token suffices for a write; no CSRF token is needed."""
    token = Token.objects.create(user=personas.fiona)
    api = APIClient(enforce_csrf_checks=True)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    membership = Membership.objects.get(organisation=personas.org_b)
    response = api.patch(f"{MEMBERSHIPS}{membership.uid}/", {"status": "suspended"}, format="json")
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.status == "suspended"


@pytest.mark.parametrize("count", [5, 60])
def test_membership_list_query_count_does_not_grow(
    api, personas, django_assert_max_num_queries, count
):
    """The list costs the same queries with 5 and with 60 members."""
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(name=f"Org {n}", name_key=f"org {n}", slug=f"org-{n}", sector=sector())
            for n in range(count)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(network=personas.network, organisation=o, joined=dt.date(2015, 1, 1))
            for o in orgs
        ]
    )
    _as(api, personas.olga)
    # 5 queries: session, user, network of the filter, count, page with network and organisation
    with django_assert_max_num_queries(5):
        response = api.get(MEMBERSHIPS, {"network": "testnet"})
    assert response.json()["count"] == count + 2
