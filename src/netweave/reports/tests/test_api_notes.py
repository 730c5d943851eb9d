"""API of learning notes and of the programme's comparison."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from netweave.directory.tests.factories import TopicFactory
from netweave.influence import indicators as registry
from netweave.networks.models import StageMilestone
from netweave.networks.tests.factories import MembershipFactory, RoleFactory
from netweave.reports.models import LearningNote
from netweave.reports.tests.test_notes import make_note, programme_user

NOTES = "/api/v1/learning-notes/"
COMPARISON = "/api/v1/programme/comparison/"
TODAY = dt.datetime(2021, 6, 15, 12, tzinfo=dt.UTC)


def api(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def notes(personas):
    water = TopicFactory(slug="water", name="Water supply")
    here = make_note(
        personas.network, 2018, title="Tariffs", lessons="Ministry first.", topics=[water]
    )
    there = make_note(personas.other_network, 2018, title="Farmers", lessons="Peers teach.")
    return here, there


def _titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(row["title"] for row in response.json()["results"])


# Reading ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("facilitator", ["Tariffs"]),
        ("steering", ["Tariffs"]),
        ("focal_point", []),
        ("observer", []),
        ("outsider", []),
        ("other_facilitator", ["Farmers"]),
    ],
)
def test_who_sees_which_notes(personas, notes, role, expected):
    """Notes of the networks where the caller is facilitator or on the steering committee."""
    assert _titles(api(personas.by_role()[role]).get(NOTES)) == expected


@pytest.mark.parametrize("staff", [False, True])
def test_programme_staff_see_every_note(personas, notes, staff):
    assert _titles(api(programme_user(staff=staff)).get(NOTES)) == ["Farmers", "Tariffs"]


def test_anonymous_callers_are_refused(notes):
    assert APIClient().get(NOTES).status_code in (401, 403)
    assert APIClient().get(COMPARISON).status_code in (401, 403)


def test_a_note_out_of_sight_is_missing(personas, notes):
    here, there = notes
    assert api(personas.fiona).get(f"{NOTES}{there.pk}/").status_code == 404
    assert api(personas.alice).get(f"{NOTES}{here.pk}/").status_code == 404
    body = api(personas.sam).get(f"{NOTES}{here.pk}/").json()
    assert body["network"] == "testnet"
    assert body["topics"] == ["water"]
    assert body["lessons"] == "Ministry first."


def test_filters_and_search(personas, notes):
    """?q (every word, any case), ?network, ?year and ?topic."""
    client = api(programme_user())
    make_note(personas.network, 2019, title="Засуха", lessons="Водоснабжение сёл.")
    assert _titles(client.get(NOTES, {"q": "MINISTRY"})) == ["Tariffs"]
    assert _titles(client.get(NOTES, {"q": "first ministry"})) == ["Tariffs"]
    assert _titles(client.get(NOTES, {"q": "ministry peers"})) == []
    assert _titles(client.get(NOTES, {"q": "ВОДОСНАБЖЕНИЕ"})) == ["Засуха"]
    assert _titles(client.get(NOTES, {"network": "othernet"})) == ["Farmers"]
    assert _titles(client.get(NOTES, {"year": "2019"})) == ["Засуха"]
    assert _titles(client.get(NOTES, {"topic": "water"})) == ["Tariffs"]
    response = client.get(NOTES, {"year": "last"})
    assert response.status_code == 400
    assert "year" in response.json()


def test_list_queries_do_not_grow_with_notes(personas, django_assert_max_num_queries):
    """1 note and 30 notes: the same queries."""
    topic = TopicFactory()
    make_note(personas.network, 1990, topics=[topic])
    client = api(personas.fiona)
    # (permission checks: user, groups, when not cached on the user), count, page, topics
    with django_assert_max_num_queries(5):
        assert client.get(NOTES).status_code == 200
    for year in range(1991, 2020):
        make_note(personas.network, year, topics=[topic])
    with django_assert_max_num_queries(5):
        assert len(client.get(NOTES).json()["results"]) == 30
    with django_assert_max_num_queries(7):  # and the search: texts, topics
        assert len(client.get(NOTES, {"q": "decide"}).json()["results"]) == 30


# Writing ---------------------------------------------------------------------------------
BODY = {
    "network": "testnet",
    "year": 2017,
    "title": "Fewer plenaries",
    "lessons": "Working groups decide faster.",
    "what_worked": "Monthly calls.",
    "topics": ["water"],
}


def test_the_facilitator_creates_a_note(personas, notes):
    """The author is the caller; unknown fields are ignored."""
    response = api(personas.fiona).post(
        NOTES, {**BODY, "author": "someone", "id": 999, "colour": "red"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    note = LearningNote.objects.get(pk=body["id"])
    assert (note.network, note.year, note.author) == (personas.network, 2017, personas.fiona)
    assert body["author"] == "fiona"
    assert body["topics"] == ["water"]
    assert note.what_worked == "Monthly calls."


@pytest.mark.parametrize(
    ("role", "slug", "status"),
    [
        ("steering", "testnet", 403),
        ("focal_point", "testnet", 403),
        ("focal_point", "othernet", 400),  # another network's slug: no such network for them
        ("other_facilitator", "testnet", 400),
        ("facilitator", "othernet", 400),
    ],
)
def test_others_may_not_create(personas, notes, role, slug, status):
    response = api(personas.by_role()[role]).post(NOTES, {**BODY, "network": slug}, format="json")
    assert response.status_code == status
    assert LearningNote.objects.count() == 2


def test_programme_staff_do_not_write_without_a_role(personas, notes):
    response = api(programme_user()).post(NOTES, BODY, format="json")
    assert response.status_code == 403


def test_a_duplicate_year_is_refused_naming_the_note(personas, notes):
    response = api(personas.fiona).post(NOTES, {**BODY, "year": 2018}, format="json")
    assert response.status_code == 400
    (message,) = response.json()["year"]
    assert "already has a learning note for 2018" in message and "Tariffs" in message


def test_bad_input_gets_field_messages(personas, notes):
    response = api(personas.fiona).post(
        NOTES, {**BODY, "year": 1970, "lessons": " ", "topics": ["nope"]}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"lessons", "topics"}
    response = api(personas.fiona).post(NOTES, {**BODY, "year": 1970}, format="json")
    assert "Choose a year from 1990" in response.json()["year"][0]


def test_the_facilitator_changes_and_deletes_a_note(personas, notes):
    here, _there = notes
    client = api(personas.fiona)
    response = client.patch(f"{NOTES}{here.pk}/", {"title": "Tariffs, revised"}, format="json")
    assert response.status_code == 200
    assert response.json()["title"] == "Tariffs, revised"
    response = client.put(
        f"{NOTES}{here.pk}/",
        {"year": 2016, "title": "Moved", "lessons": "Again.", "topics": []},
        format="json",
    )
    assert response.status_code == 200, response.content
    here.refresh_from_db()
    assert (here.year, here.title, list(here.topics.all())) == (2016, "Moved", [])
    response = client.patch(f"{NOTES}{here.pk}/", {"network": "othernet"}, format="json")
    assert response.status_code == 400
    assert client.delete(f"{NOTES}{here.pk}/").status_code == 204
    assert not LearningNote.objects.filter(pk=here.pk).exists()


@pytest.mark.parametrize(("role", "status"), [("steering", 403), ("focal_point", 404)])
def test_others_may_not_change_or_delete(personas, notes, role, status):
    here, _there = notes
    client = api(personas.by_role()[role])
    assert client.patch(f"{NOTES}{here.pk}/", {"title": "X"}, format="json").status_code == status
    assert client.delete(f"{NOTES}{here.pk}/").status_code == status
    here.refresh_from_db()
    assert here.title == "Tariffs"


def test_a_steering_member_elsewhere_reads_but_does_not_write(personas, notes):
    _here, there = notes
    RoleFactory(user=personas.alice, network=personas.other_network, kind="steering")
    client = api(personas.alice)
    assert client.get(f"{NOTES}{there.pk}/").status_code == 200
    assert client.delete(f"{NOTES}{there.pk}/").status_code == 403


# The comparison --------------------------------------------------------------------------
def test_the_comparison_for_programme_staff(personas):
    """Years, every indicator with its definition for every network, aligned milestones."""
    StageMilestone.objects.create(
        network=personas.network, stage="informal", date=dt.date(2009, 11, 1)
    )
    StageMilestone.objects.create(
        network=personas.network, stage="formal", date=dt.date(2013, 2, 1)
    )
    MembershipFactory(
        network=personas.other_network, organisation=personas.org_a, joined=dt.date(2020, 6, 1)
    )
    with time_machine.travel(TODAY, tick=False):
        response = api(programme_user()).get(COMPARISON, {"since": "2019", "until": "2020"})
    assert response.status_code == 200
    body = response.json()
    assert body["years"] == [2019, 2020]
    assert [item["key"] for item in body["indicators"]] == list(registry.REGISTRY)
    members = body["indicators"][0]
    assert members["definition"] == registry.REGISTRY["member_organisations"].definition
    assert members["networks"] == [
        {
            "network": "othernet",
            "name": "Other network",
            "values": [{"year": 2019, "value": "0.0"}, {"year": 2020, "value": "1.0"}],
        },
        {
            "network": "testnet",
            "name": "Test network",
            "values": [{"year": 2019, "value": "2.0"}, {"year": 2020, "value": "2.0"}],
        },
    ]
    other, test = body["timelines"]
    assert other == {
        "network": "othernet",
        "name": "Other network",
        "origin": None,
        "milestones": [],
    }
    assert test["origin"] == "2009-11-01"
    assert test["milestones"][1] == {
        "stage": "formal",
        "date": "2013-02-01",
        "years_since": "3.3",
        "year_number": 4,
    }


@pytest.mark.parametrize("role", ["facilitator", "steering", "outsider"])
def test_the_comparison_is_refused_to_network_roles(personas, role):
    assert api(personas.by_role()[role]).get(COMPARISON).status_code == 403


def test_bad_years_are_a_400_with_the_message(personas):
    with time_machine.travel(TODAY, tick=False):
        response = api(programme_user(staff=True)).get(
            COMPARISON, {"since": "2021", "until": "2019"}
        )
    assert response.status_code == 400
    assert "comes after the last one" in response.json()["since"][0]
