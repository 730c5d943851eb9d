"""Bodies and seats through the API: facilitators write, through the same services."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from netweave.directory.tests.factories import OrganisationFactory
from netweave.governance import services
from netweave.governance.models import Body, Seat

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _body(personas):
    return services.create_body(
        personas.network, name="Steering committee", kind="steering", quorum=2
    )


def test_facilitator_creates_and_patches_a_body(personas):
    """201 with the rules; a PATCH changes only the fields given."""
    client = api(personas.fiona)
    response = client.post(
        "/api/v1/bodies/",
        {
            "network": "testnet",
            "name": "Advisory board",
            "kind": "other",
            "quorum": 3,
            "sector_mix": {"academia": 2, "government": 0},
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["sector_mix"] == {"academia": 2}
    uid = response.json()["uid"]
    patched = client.patch(f"/api/v1/bodies/{uid}/", {"quorum": 4}, format="json")
    assert patched.status_code == 200
    body = Body.objects.get(uid=uid)
    assert (body.name, body.quorum, body.sector_mix) == ("Advisory board", 4, {"academia": 2})


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"quorum": 0}, "quorum"),
        ({"quorum": "many"}, "quorum"),
        ({"sector_mix": {"pirates": 1}}, "sector_mix"),
        ({"sector_mix": {"academia": -1}}, "sector_mix"),
        ({"name": "steering COMMITTEE"}, "name"),
    ],
)
def test_bad_body_input_is_a_400_by_field(personas, payload, field):
    """Each bad value comes back on its field and nothing is saved."""
    _body(personas)
    data = {"network": "testnet", "name": "Board", **payload}
    response = api(personas.fiona).post("/api/v1/bodies/", data, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Body.objects.count() == 1


@pytest.mark.parametrize("persona", ["alice", "sam", "olga"])
def test_others_may_not_write_bodies_or_seats(personas, persona):
    """A focal point, a steering member and an observer get 403 on every write."""
    body = _body(personas)
    seat = services.add_seat(body, organisation=personas.org_b, start=dt.date(2024, 1, 1))
    client = api(getattr(personas, persona))
    base = f"/api/v1/bodies/{body.uid}/"
    writes = [
        ("post", "/api/v1/bodies/", {"network": "testnet", "name": "Board"}),
        ("patch", base, {"quorum": 5}),
        ("post", f"{base}seats/", {"organisation": "awi"}),
        ("patch", f"{base}seats/{seat.uid}/", {"chair": True}),
        ("post", f"{base}seats/{seat.uid}/end/", {}),
        ("post", f"{base}seats/{seat.uid}/replace/", {"organisation": "awi"}),
    ]
    for method, address, data in writes:
        response = getattr(client, method)(address, data, format="json")
        assert response.status_code == 403, (address, response.status_code)
    assert Body.objects.get().quorum == 2
    seat.refresh_from_db()
    assert not seat.chair and seat.end is None and Seat.objects.count() == 1
    assert client.get(f"{base}seats/").status_code == 200


def test_other_networks_facilitator_cannot_reach_the_body(personas):
    """Frank finds no such body (404) and cannot create one in a network he cannot read."""
    body = _body(personas)
    client = api(personas.frank)
    assert (
        client.patch(f"/api/v1/bodies/{body.uid}/", {"quorum": 1}, format="json").status_code == 404
    )
    response = client.post("/api/v1/bodies/", {"network": "testnet", "name": "B"}, format="json")
    assert response.status_code == 400 and "network" in response.json()


def test_seats_are_added_changed_ended_and_replaced(personas):
    """The seat life cycle through the API, ending with the chair handed over."""
    body = _body(personas)
    client = api(personas.fiona)
    base = f"/api/v1/bodies/{body.uid}/seats/"
    added = client.post(
        base,
        {"organisation": "bm", "chair": True, "start": "2024-01-01", "end": "2027-12-31"},
        format="json",
    )
    assert added.status_code == 201, added.json()
    seat_uid = added.json()["uid"]
    changed = client.patch(
        f"{base}{seat_uid}/", {"person": str(personas.person_b.uid)}, format="json"
    )
    assert changed.status_code == 200
    assert changed.json()["person"] == str(personas.person_b.uid) and changed.json()["chair"]
    replaced = client.post(
        f"{base}{seat_uid}/replace/", {"organisation": "awi", "on": "2025-01-01"}, format="json"
    )
    assert replaced.status_code == 201
    assert replaced.json()["chair"] is True and replaced.json()["start"] == "2025-01-01"
    ended = client.post(f"{base}{replaced.json()['uid']}/end/", {"on": "2026-06-30"}, format="json")
    assert ended.status_code == 200 and ended.json()["end"] == "2026-06-30"
    listed = client.get(base).json()
    assert [(s["organisation"], s["end"]) for s in listed] == [
        ("awi", "2026-06-30"),
        ("bm", "2024-12-31"),
    ]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"organisation": "outsider"}, "organisation"),
        ({"organisation": "awi", "start": "2024-01-01", "end": "2023-01-01"}, "end"),
        ({"organisation": "awi", "chair": True}, "chair"),
        ({"organisation": "bm"}, "organisation"),
        ({"organisation": "awi", "person": "not-a-uid"}, "person"),
    ],
)
def test_bad_seats_are_a_400_by_field(personas, payload, field):
    """A non-member, end before start, a second chair, a second seat, a bad person."""
    OrganisationFactory(slug="outsider")
    body = _body(personas)
    services.add_seat(body, organisation=personas.org_b, chair=True)
    response = api(personas.fiona).post(f"/api/v1/bodies/{body.uid}/seats/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Seat.objects.count() == 1


def test_unknown_seat_is_a_404(personas):
    """A seat uid of another body, or not a uid at all, is not found."""
    body = _body(personas)
    other = services.create_body(personas.network, name="Other")
    seat = services.add_seat(other, organisation=personas.org_a)
    client = api(personas.fiona)
    for seat_uid in (seat.uid, "nonsense"):
        response = client.post(f"/api/v1/bodies/{body.uid}/seats/{seat_uid}/end/", {})
        assert response.status_code == 404


@pytest.mark.parametrize("n", [5, 200])
def test_seat_list_queries_do_not_grow(personas, django_assert_num_queries, n):
    """The seats of a body read in the same number of queries with 5 or 200 seats."""
    from netweave.directory.tests.bulk import bulk_members

    body = _body(personas)
    orgs = bulk_members(personas.network, n, people_per_org=0)
    Seat.objects.bulk_create(Seat(body=body, organisation=org) for org in orgs)
    # the body (visible networks as a subquery); its seats with organisation, sector, person
    with django_assert_num_queries(2):
        response = api(personas.olga).get(f"/api/v1/bodies/{body.uid}/seats/")
    assert len(response.json()) == n
