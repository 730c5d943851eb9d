"""The organisations endpoint of the REST API."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from netweave.directory.models import Organisation, OrganisationInterest, Person, Topic
from netweave.directory.tests.factories import (
    OrganisationFactory,
    PersonFactory,
    TopicFactory,
    sector,
)
from netweave.networks.models import Membership, Role
from netweave.networks.tests.factories import MembershipFactory, NetworkFactory

URL = "/api/v1/organisations/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def _as(api: APIClient, user) -> APIClient:
    api.force_login(user)
    return api


def _slugs(response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {row["slug"] for row in response.json()["results"]}


def _new_org(**extra) -> dict:
    return {
        "network": "testnet",
        "name": "Delta Foundation",
        "acronym": "DF",
        "sector": "civil-society",
        "country": "tj",
        "email": "info@delta.example.org",
        **extra,
    }


# Reading -----------------------------------------------------------------------------------
def test_anonymous_caller_is_refused_the_organisations(api, personas):
    """Without credentials the list answers 401/403, not data."""
    assert api.get(URL).status_code in (401, 403)
    assert api.get(f"{URL}awi/").status_code in (401, 403)


def test_list_holds_the_organisations_of_readable_networks(api, personas):
    """A focal point sees their network's members, not another network's; an outsider none."""
    elsewhere = OrganisationFactory(slug="elsewhere")
    MembershipFactory(network=personas.other_network, organisation=elsewhere)
    assert _slugs(_as(api, personas.alice).get(URL)) == {"awi", "bm"}
    assert _slugs(_as(api, personas.frank).get(URL)) == {"elsewhere"}
    assert _slugs(_as(api, personas.charlie).get(URL)) == set()
    assert api.get(f"{URL}awi/").status_code == 404


def test_contacts_only_for_callers_with_a_role(api, personas):
    """A member of the network sees e-mail and phone; an outsider reading a public one does not."""
    public = NetworkFactory(slug="open", visibility="public")
    MembershipFactory(network=public, organisation=personas.org_a)
    row = _as(api, personas.olga).get(f"{URL}awi/").json()
    assert row["email"] == personas.org_a.email
    row = _as(api, personas.charlie).get(f"{URL}awi/").json()
    assert row["name"] == "Alpha Water Institute"
    assert (row["email"], row["phone"], row["address"]) == (None, None, None)


def test_network_filtered_list_keeps_to_that_network_and_its_contact_rules(api, personas):
    """Filtered by a network, the list holds its members only; contacts go to callers with a
    role in it, not to an outsider reading it because it is public."""
    public = NetworkFactory(slug="open", visibility="public")
    MembershipFactory(network=public, organisation=personas.org_a)
    rows = _as(api, personas.olga).get(URL, {"network": "testnet"}).json()["results"]
    assert {row["slug"] for row in rows} == {"awi", "bm"}
    assert next(row for row in rows if row["slug"] == "awi")["email"] == personas.org_a.email
    rows = _as(api, personas.charlie).get(URL, {"network": "open"}).json()["results"]
    assert [(row["slug"], row["email"], row["phone"]) for row in rows] == [("awi", None, None)]
    assert _as(api, personas.frank).get(URL, {"network": "testnet"}).status_code == 400


def test_networks_field_names_only_readable_current_memberships(api, personas):
    """An organisation's networks are those the caller may read, where it is a member now."""
    MembershipFactory(network=personas.other_network, organisation=personas.org_a)
    assert _as(api, personas.alice).get(f"{URL}awi/").json()["networks"] == ["testnet"]
    assert _as(api, personas.frank).get(f"{URL}awi/").json()["networks"] == ["othernet"]


def test_filters_by_network_sector_country_and_topic(api, personas):
    """``network``, ``sector``, ``country`` and ``topic`` narrow the list."""
    water = TopicFactory(slug="water")
    OrganisationInterest.objects.create(organisation=personas.org_b, topic=water)
    elsewhere = OrganisationFactory(slug="elsewhere", country="KG")
    MembershipFactory(network=personas.other_network, organisation=elsewhere)
    Role.objects.create(user=personas.olga, network=personas.other_network, kind="observer")
    _as(api, personas.olga)
    assert _slugs(api.get(URL)) == {"awi", "bm", "elsewhere"}
    assert _slugs(api.get(URL, {"network": "othernet"})) == {"elsewhere"}
    assert _slugs(api.get(URL, {"sector": "government"})) == {"bm"}
    assert _slugs(api.get(URL, {"country": "kg"})) == {"elsewhere"}
    assert _slugs(api.get(URL, {"topic": "water"})) == {"bm"}


def test_status_filter_needs_a_network(api, personas):
    """``status`` alone is a 400 on status; with a network it reads the latest membership."""
    Membership.objects.filter(organisation=personas.org_b).update(
        left=dt.date(2020, 1, 1), status="left"
    )
    _as(api, personas.fiona)
    response = api.get(URL, {"status": "left"})
    assert response.status_code == 400
    assert "network" in response.json()["status"][0]
    assert _slugs(api.get(URL, {"status": "left", "network": "testnet"})) == {"bm"}
    assert _slugs(api.get(URL, {"status": "active", "network": "testnet"})) == {"awi"}


def test_network_filter_on_an_unreadable_network_is_refused(api, personas):
    """Filtering on a network the caller cannot read is a 400, as if it did not exist."""
    response = _as(api, personas.alice).get(URL, {"network": "othernet"})
    assert response.status_code == 400
    assert "network" in response.json()


def test_search_does_not_find_an_organisation_through_an_unlisted_person(api, personas):
    """``q`` matches people's names only where the caller may see those people."""
    PersonFactory(name="Zebulon Quill", organisation=personas.org_b, consent_listed=False)
    assert _slugs(_as(api, personas.olga).get(URL, {"q": "zebulon"})) == set()
    assert _slugs(_as(api, personas.fiona).get(URL, {"q": "zebulon"})) == {"bm"}
    assert _slugs(api.get(URL, {"q": "alpha"})) == {"awi"}


# Creating ----------------------------------------------------------------------------------
def test_facilitator_creates_an_organisation_in_their_network(api, personas):
    """POST by a facilitator creates the organisation, its membership and interests."""
    TopicFactory(slug="water", name="Water")
    response = _as(api, personas.fiona).post(
        URL, _new_org(topics=["water"], joined="2021-05-01"), format="json"
    )
    assert response.status_code == 201, response.json()
    org = Organisation.objects.get(name="Delta Foundation")
    assert response.json()["slug"] == org.slug
    assert response.json()["networks"] == ["testnet"]
    assert response.json()["email"] == "info@delta.example.org"
    assert org.country == "TJ"
    assert list(org.topics.values_list("slug", flat=True)) == ["water"]
    assert Membership.objects.get(organisation=org).joined == dt.date(2021, 5, 1)


def test_focal_point_cannot_create_an_organisation(api, personas):
    """Only facilitators add organisations: a focal point gets 403, nothing is created."""
    response = _as(api, personas.alice).post(URL, _new_org(), format="json")
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="Delta Foundation").exists()


def test_facilitator_cannot_create_in_another_network(api, personas):
    """A network the facilitator cannot read is a 400 on ``network``; one they read, 403."""
    response = _as(api, personas.frank).post(URL, _new_org(), format="json")
    assert response.status_code == 400
    assert "does not exist" in response.json()["network"][0]
    public = NetworkFactory(slug="open", visibility="public")
    response = api.post(URL, _new_org(network=public.slug), format="json")
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="Delta Foundation").exists()


def test_bad_input_is_refused_on_its_field(api, personas):
    """Unknown sector, topic, bad country and a duplicate name each give a field message."""
    _as(api, personas.fiona)
    for body, field in [
        (_new_org(sector="nope"), "sector"),
        (_new_org(topics=["nope"]), "topics"),
        (_new_org(country="Tajikistan"), "country"),
        (_new_org(website="not a url"), "website"),
        (_new_org(network=None), "network"),
        (_new_org(name="alpha water institute"), "name"),
    ]:
        response = api.post(URL, body, format="json")
        assert response.status_code == 400, body
        assert field in response.json(), response.json()
    assert Organisation.objects.count() == 2
    assert Topic.objects.count() == 0


# Updating ----------------------------------------------------------------------------------
def test_focal_point_edits_their_organisation(api, personas):
    """PATCH by the organisation's focal point changes and keeps the profile."""
    response = _as(api, personas.alice).patch(
        f"{URL}awi/", {"region": "Sughd", "phone": "", "slug": "hijack"}, format="json"
    )
    assert response.status_code == 200, response.json()
    org = Organisation.objects.get(pk=personas.org_a.pk)
    assert (org.region, org.phone, org.slug) == ("Sughd", "", "awi")


def test_facilitator_replaces_an_organisation_with_put(api, personas):
    """PUT with every writable field replaces them, topics included."""
    TopicFactory(slug="water")
    body = _new_org(name="Beta Ministry of Water", sector="government", topics=["water"])
    response = _as(api, personas.fiona).put(f"{URL}bm/", body, format="json")
    assert response.status_code == 200, response.json()
    org = Organisation.objects.get(pk=personas.org_b.pk)
    assert org.name == "Beta Ministry of Water"
    assert list(org.topics.values_list("slug", flat=True)) == ["water"]


def test_focal_point_of_another_organisation_cannot_edit_it(api, personas):
    """A focal point of org A changing org B gets 403 and nothing changes."""
    response = _as(api, personas.alice).patch(f"{URL}bm/", {"region": "Khatlon"}, format="json")
    assert response.status_code == 403
    assert Organisation.objects.get(pk=personas.org_b.pk).region == ""


def test_user_who_cannot_see_the_organisation_gets_404(api, personas):
    """Someone who cannot see org B at all gets 404 on a change, and nothing changes."""
    response = _as(api, personas.frank).patch(f"{URL}bm/", {"region": "Khatlon"}, format="json")
    assert response.status_code == 404
    assert Organisation.objects.get(pk=personas.org_b.pk).region == ""


def test_renaming_into_a_duplicate_is_refused_on_name(api, personas):
    """The service's duplicate check comes back on ``name``; the old name stays."""
    response = _as(api, personas.fiona).patch(f"{URL}bm/", {"name": "Alpha Water Institute"})
    assert response.status_code == 400
    assert "already" in response.json()["name"][0]
    assert Organisation.objects.get(pk=personas.org_b.pk).name == "Beta Ministry"


def test_token_authentication_edits_an_organisation(api, personas):
    """A focal point's token authenticates a change."""
    token = Token.objects.create(user=personas.alice)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.patch(f"{URL}awi/", {"region": "Sughd"}, format="json")
    assert response.status_code == 200
    assert Organisation.objects.get(pk=personas.org_a.pk).region == "Sughd"


def test_session_writes_need_the_csrf_token(personas):
    """With a session (not a token), a write without the CSRF token is refused."""
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(personas.alice)
    response = api.patch(f"{URL}awi/", {"region": "Sughd"}, format="json")
    assert response.status_code == 403
    assert Organisation.objects.get(pk=personas.org_a.pk).region == ""


# Query counts ------------------------------------------------------------------------------
@pytest.mark.parametrize("count", [5, 60])
def test_list_query_count_does_not_grow(api, personas, django_assert_max_num_queries, count):
    """The list costs the same queries with 5 and with 60 organisations."""
    topics = Topic.objects.bulk_create([Topic(name=f"T{n}", slug=f"t{n}") for n in range(3)])
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
    OrganisationInterest.objects.bulk_create(
        [OrganisationInterest(organisation=o, topic=t) for o in orgs for t in topics]
    )
    Person.objects.bulk_create(
        [Person(name=f"P {n}", name_key=f"p {n}", organisation=o) for n, o in enumerate(orgs)]
    )
    _as(api, personas.olga)
    # 8 queries: session, user, the caller's roles in the filter's network, network of the
    # filter, count, page (with sector), topics, current memberships with their networks
    with django_assert_max_num_queries(8):
        response = api.get(URL, {"network": "testnet", "ordering": "name"})
    assert response.json()["count"] == count + 2
    assert len(response.json()["results"][0]["topics"]) in (0, 3)
