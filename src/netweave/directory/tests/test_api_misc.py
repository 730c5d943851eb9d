"""The topics, sectors and relationships endpoints and the token endpoint of the REST API."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from netweave.core.testing import PASSWORD
from netweave.directory.models import Organisation, Relationship, Topic
from netweave.directory.tests.factories import OrganisationFactory, TopicFactory, sector
from netweave.networks.models import Membership
from netweave.networks.tests.factories import MembershipFactory, UserFactory

TOPICS = "/api/v1/topics/"
SECTORS = "/api/v1/sectors/"
RELATIONSHIPS = "/api/v1/relationships/"
TOKEN = "/api/v1/auth/token/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def _as(api: APIClient, user) -> APIClient:
    api.force_login(user)
    return api


# Topics ------------------------------------------------------------------------------------
def test_anonymous_caller_is_refused_the_topics(api, personas):
    """Without credentials topics answer 401/403, on read and on write."""
    assert api.get(TOPICS).status_code in (401, 403)
    assert api.post(TOPICS, {"name": "Water"}, format="json").status_code in (401, 403)
    assert not Topic.objects.exists()


def test_any_signed_in_user_reads_the_topics(api, personas):
    """Someone without a role still reads the taxonomy."""
    TopicFactory(slug="water", name="Water")
    response = _as(api, personas.charlie).get(TOPICS)
    assert response.status_code == 200
    assert [t["slug"] for t in response.json()["results"]] == ["water"]
    assert api.get(f"{TOPICS}water/").json()["name"] == "Water"


def test_facilitator_adds_a_topic(api, personas):
    """A facilitator of any network adds a topic; its slug is made from the name."""
    response = _as(api, personas.frank).post(
        TOPICS, {"name": "Water quality", "description": "Testing"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert Topic.objects.get(slug="water-quality").description == "Testing"


def test_focal_point_cannot_add_a_topic(api, personas):
    """A focal point gets 403; no topic appears."""
    response = _as(api, personas.alice).post(TOPICS, {"name": "Water"}, format="json")
    assert response.status_code == 403
    assert not Topic.objects.exists()


def test_duplicate_or_empty_topic_is_refused_on_its_field(api, personas):
    """A name that exists (any case) or a blank name is a 400 on ``name``."""
    TopicFactory(slug="water", name="Water")
    _as(api, personas.fiona)
    response = api.post(TOPICS, {"name": "WATER"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()
    assert api.post(TOPICS, {"name": ""}, format="json").status_code == 400
    assert api.post(TOPICS, {"name": "Other", "slug": "water"}, format="json").status_code == 400
    assert Topic.objects.count() == 1


def test_staff_edits_a_topic(api, personas):
    """Site staff rename a topic."""
    TopicFactory(slug="water", name="Water")
    staff = UserFactory(username="stella", is_staff=True)
    response = _as(api, staff).patch(f"{TOPICS}water/", {"name": "Water and health"})
    assert response.status_code == 200, response.json()
    assert Topic.objects.get(slug="water").name == "Water and health"


def test_facilitator_cannot_edit_a_topic(api, personas):
    """Editing the shared taxonomy is for staff: a facilitator gets 403, nothing changes."""
    TopicFactory(slug="water", name="Water")
    response = _as(api, personas.fiona).patch(f"{TOPICS}water/", {"name": "Mine"})
    assert response.status_code == 403
    assert Topic.objects.get(slug="water").name == "Water"


# Sectors -----------------------------------------------------------------------------------
def test_sectors_are_read_only(api, personas):
    """Signed-in users read the seeded sectors; writing is not allowed; anonymous refused."""
    assert api.get(SECTORS).status_code in (401, 403)
    _as(api, personas.charlie)
    response = api.get(SECTORS)
    assert response.status_code == 200
    assert "government" in {s["slug"] for s in response.json()["results"]}
    assert api.get(f"{SECTORS}government/").json()["sphere"] == "public"
    staff = UserFactory(username="stella", is_staff=True)
    _as(api, staff)
    assert api.post(SECTORS, {"slug": "x", "name": "X"}, format="json").status_code == 405
    assert api.patch(f"{SECTORS}government/", {"name": "X"}).status_code == 405
    assert sector("government").name != "X"


# Relationships -----------------------------------------------------------------------------
def _tie(personas, **extra) -> dict:
    return {"network": "testnet", "source": "awi", "target": "bm", "kind": "advises", **extra}


def test_anonymous_caller_is_refused_the_relationships(api, personas):
    """Without credentials relationships answer 401/403."""
    assert api.get(RELATIONSHIPS).status_code in (401, 403)
    assert api.post(RELATIONSHIPS, _tie(personas), format="json").status_code in (401, 403)


def test_source_focal_point_declares_a_relationship(api, personas):
    """The source organisation's focal point declares a tie; it is recorded."""
    response = _as(api, personas.alice).post(
        RELATIONSHIPS, _tie(personas, start="2020-02-01", strength=4), format="json"
    )
    assert response.status_code == 201, response.json()
    tie = Relationship.objects.get()
    assert (tie.source, tie.target, tie.kind, tie.strength) == (
        personas.org_a,
        personas.org_b,
        "advises",
        4,
    )
    assert response.json()["uid"] == str(tie.uid)


def test_target_focal_point_cannot_declare_for_the_source(api, personas):
    """Bob, focal point of the target, gets 403; no tie is recorded."""
    response = _as(api, personas.bob).post(RELATIONSHIPS, _tie(personas), format="json")
    assert response.status_code == 403
    assert not Relationship.objects.exists()


def test_relationship_bad_input_is_refused_on_its_field(api, personas):
    """Self ties, unknown kinds, bad strength and hidden organisations: 400 on the field."""
    hidden = OrganisationFactory(slug="hidden")
    MembershipFactory(network=personas.other_network, organisation=hidden)
    _as(api, personas.fiona)
    for body, field in [
        (_tie(personas, target="awi"), "target"),
        (_tie(personas, kind="loves"), "kind"),
        (_tie(personas, strength=9), "strength"),
        (_tie(personas, target="hidden"), "target"),
        (_tie(personas, network="othernet"), "network"),
        (_tie(personas, start="2020-01-01", end="2019-01-01"), "end"),
    ]:
        response = api.post(RELATIONSHIPS, body, format="json")
        assert response.status_code == 400, body
        assert field in response.json(), response.json()
    assert not Relationship.objects.exists()


def test_duplicate_open_relationship_is_refused(api, personas):
    """The same open tie twice: the service's message on ``kind``."""
    _as(api, personas.fiona)
    assert api.post(RELATIONSHIPS, _tie(personas), format="json").status_code == 201
    response = api.post(RELATIONSHIPS, _tie(personas), format="json")
    assert response.status_code == 400
    assert "kind" in response.json()
    assert Relationship.objects.count() == 1


def _declared(personas) -> Relationship:
    return Relationship.objects.create(
        network=personas.network, source=personas.org_a, target=personas.org_b, kind="funds"
    )


def test_observer_reads_relationships_of_the_network(api, personas):
    """Whoever reads the network reads its ties, by uid too; others find nothing."""
    tie = _declared(personas)
    rows = _as(api, personas.olga).get(RELATIONSHIPS, {"network": "testnet"}).json()["results"]
    assert [r["uid"] for r in rows] == [str(tie.uid)]
    response = api.get(f"{RELATIONSHIPS}{tie.uid}/")
    assert response.status_code == 200
    assert (response.json()["source"], response.json()["kind"]) == ("awi", "funds")
    _as(api, personas.frank)
    assert api.get(RELATIONSHIPS).json()["count"] == 0
    assert api.get(f"{RELATIONSHIPS}{tie.uid}/").status_code == 404


@pytest.mark.parametrize("address", [str(uuid.uuid4()), "f" * 36, "testnet.awi.funds.bm.undated"])
def test_relationship_address_that_is_no_tie_s_uid_is_missing(api, personas, address):
    """An unknown or malformed uid, or the old composite key, is a 404; nothing is removed."""
    _declared(personas)
    _as(api, personas.fiona)
    assert api.get(f"{RELATIONSHIPS}{address}/").status_code == 404
    assert api.delete(f"{RELATIONSHIPS}{address}/").status_code == 404
    assert Relationship.objects.count() == 1


def test_source_focal_point_removes_a_relationship(api, personas):
    """DELETE by the source's focal point removes the tie."""
    tie = _declared(personas)
    response = _as(api, personas.alice).delete(f"{RELATIONSHIPS}{tie.uid}/")
    assert response.status_code == 204
    assert not Relationship.objects.exists()


def test_others_cannot_remove_a_relationship(api, personas):
    """The target's focal point gets 403, an outsider 404; the tie stays."""
    url = f"{RELATIONSHIPS}{_declared(personas).uid}/"
    assert _as(api, personas.bob).delete(url).status_code == 403
    assert _as(api, personas.frank).delete(url).status_code == 404
    assert Relationship.objects.count() == 1


def test_relationships_cannot_be_edited_in_place(api, personas):
    """There is no PUT/PATCH: a changed tie is removed and declared again."""
    tie = _declared(personas)
    response = _as(api, personas.fiona).patch(
        f"{RELATIONSHIPS}{tie.uid}/", {"strength": 5}, format="json"
    )
    assert response.status_code == 405
    assert Relationship.objects.get().strength == 3


@pytest.mark.parametrize("count", [5, 60])
def test_relationship_list_query_count_does_not_grow(
    api, personas, django_assert_max_num_queries, count
):
    """The list costs the same queries with 5 and with 60 ties."""
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
    Relationship.objects.bulk_create(
        [
            Relationship(network=personas.network, source=personas.org_a, target=o, kind="funds")
            for o in orgs
        ]
    )
    _as(api, personas.olga)
    # 5 queries: session, user, network of the filter, count, page with network and parties
    with django_assert_max_num_queries(5):
        response = api.get(RELATIONSHIPS, {"network": "testnet"})
    assert response.json()["count"] == count


# Tokens ------------------------------------------------------------------------------------
def test_user_obtains_a_token_and_uses_it(api, personas):
    """POST username and password to auth/token/ returns a token that authenticates."""
    response = api.post(TOKEN, {"username": "alice", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(user=personas.alice).key == key
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(TOPICS).status_code == 200


def test_wrong_password_gets_no_token(api, personas):
    """A wrong password is a 400 and no token is made."""
    response = api.post(TOKEN, {"username": "alice", "password": "nope"}, format="json")
    assert response.status_code == 400
    assert not Token.objects.exists()


def test_unknown_token_is_refused(api, personas):
    """A made-up token is refused (403: session authentication comes first)."""
    api.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = api.get(TOPICS)
    assert response.status_code in (401, 403)
    assert "token" in response.json()["detail"].lower()
