"""The programme pages: the comparison of networks and the search of learning notes."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from netweave.directory.tests.factories import TopicFactory
from netweave.influence import indicators as registry
from netweave.networks.models import StageMilestone
from netweave.networks.tests.factories import NetworkFactory
from netweave.reports.tests.test_notes import as_user, make_note, programme_user

INDEX = reverse("programme:index")
NOTES = reverse("programme:notes")
TODAY = dt.datetime(2021, 6, 15, 12, tzinfo=dt.UTC)


# Permissions -----------------------------------------------------------------------------
@pytest.mark.parametrize("page", [INDEX, NOTES])
@pytest.mark.parametrize(
    "role", ["outsider", "observer", "focal_point", "steering", "facilitator", "other_facilitator"]
)
def test_network_roles_do_not_open_the_programme_pages(personas, page, role):
    """Even a facilitator is refused: the pages are for the programme learning team (403)."""
    assert as_user(personas.by_role()[role]).get(page).status_code == 403


@pytest.mark.parametrize("page", [INDEX, NOTES])
def test_anonymous_visitors_are_sent_to_sign_in(db, page):
    response = Client().get(page)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("page", [INDEX, NOTES])
@pytest.mark.parametrize("staff", [False, True])
def test_programme_staff_open_both_pages(personas, page, staff):
    """Staff, or the ``compare_networks`` permission given through a group."""
    assert as_user(programme_user(staff=staff)).get(page).status_code == 200


# The comparison --------------------------------------------------------------------------
@pytest.fixture
def comparing(personas):
    StageMilestone.objects.create(
        network=personas.network, stage="informal", date=dt.date(2009, 11, 1)
    )
    StageMilestone.objects.create(
        network=personas.network, stage="formal", date=dt.date(2013, 2, 1), note="Charter"
    )
    make_note(personas.network, 2019, title="Tariffs")
    make_note(personas.network, 2020, title="Drought")
    return as_user(programme_user())


def test_the_comparison_shows_every_network_indicator_and_definition(personas, comparing):
    """Default years: the last five; each indicator with its definition and both networks."""
    with time_machine.travel(TODAY, tick=False):
        response = comparing.get(INDEX)
    page = response.content.decode()
    assert response.context["years"] == [2017, 2018, 2019, 2020, 2021]
    assert len(response.context["indicators"]) == len(registry.REGISTRY)
    for item in registry.REGISTRY.values():
        assert str(item.label) in page
        assert escape(item.definition) in page
    members = response.context["indicators"][0]
    assert members.key == "member_organisations"
    # The personas' two organisations joined in 2010: members every year since.
    assert [[int(v) for v in row.values] for row in members.rows] == [[0] * 5, [2] * 5]
    assert [row.network.slug for row in members.rows] == ["othernet", "testnet"]


def test_the_aligned_timelines_and_the_links_to_notes(personas, comparing):
    """Dates and "year N" in the table, one marker per milestone, and the notes' links."""
    with time_machine.travel(TODAY, tick=False):
        page = comparing.get(INDEX).content.decode()
    assert "year 1" in page and "year 4" in page  # 2009-11-01 → 2013-02-01: 3 whole years
    assert page.count("<circle") == 4 + 2  # four in the legend, two milestones
    assert "No milestones recorded." in page  # the other network
    assert reverse("reports:notes", kwargs={"network": "testnet"}) in page
    assert "2 notes, the latest for 2020" in page
    assert f"{NOTES}?network=testnet" in page


def test_a_chosen_range_of_years(personas, comparing):
    with time_machine.travel(TODAY, tick=False):
        response = comparing.get(INDEX, {"since": "2011", "until": "2012"})
    assert response.context["years"] == [2011, 2012]
    assert "Indicators, 2011–2012" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"since": "twenty"}, "“twenty” is not a year"),
        ({"since": "2020", "until": "2018"}, "The first year (2020) comes after the last one"),
        ({"until": "2050"}, "Choose a year from 1990 to 2021."),
    ],
)
def test_bad_years_get_a_clear_message(personas, comparing, params, message):
    """The message is shown and no indicator is computed; the timelines are still there."""
    with time_machine.travel(TODAY, tick=False):
        response = comparing.get(INDEX, params)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert response.context["indicators"] == []
    assert "Correct the years above" in page
    assert "year 4" in page


def _comparison_queries(client, django_assert_max_num_queries, count: int) -> None:
    # session, user, permissions (user, groups), networks, per network one query per
    # indicator, milestones, note counts
    with django_assert_max_num_queries(5 + count * len(registry.REGISTRY) + 2):
        assert client.get(INDEX).status_code == 200


def test_comparison_queries_grow_with_networks_only(
    personas, comparing, django_assert_max_num_queries
):
    """2 networks, then 4 with more notes and milestones: one query per network and indicator."""
    with time_machine.travel(TODAY, tick=False):
        comparing.get(INDEX)
        _comparison_queries(comparing, django_assert_max_num_queries, 2)
        for slug in ("third", "fourth"):
            network = NetworkFactory(slug=slug)
            StageMilestone.objects.create(
                network=network, stage="informal", date=dt.date(2001, 1, 1)
            )
            for year in range(2000, 2010):
                make_note(network, year)
        _comparison_queries(comparing, django_assert_max_num_queries, 4)


# The search of learning notes ------------------------------------------------------------
@pytest.fixture
def searching(personas):
    water = TopicFactory(slug="water", name="Water supply")
    TopicFactory(slug="health", name="Health")
    make_note(
        personas.network,
        2018,
        title="Tariff reform with the ministry",
        lessons="Bring the Ministry of Finance in early; tariffs need <b>budget</b> lines.",
        what_worked="Small working groups met monthly.",
        topics=[water],
    )
    make_note(
        personas.network,
        2019,
        title="Уроки засухи",
        lessons="Водоснабжение сёл зависит от совместного планирования с министерством.",
    )
    make_note(
        personas.other_network,
        2018,
        title="Farmer field schools",
        lessons="Farmers trust schools run by their peers, not by the ministry.",
        recommendations="Pay peer trainers.",
    )
    return as_user(programme_user())


def _titles(response) -> list[str]:
    return [hit["note"].title for hit in response.context["hits"]]


def test_every_word_must_match_somewhere_in_any_order_and_case(searching):
    """Words may come from different fields, in any order, in any case."""
    both = ["Tariff reform with the ministry", "Farmer field schools"]
    assert sorted(_titles(searching.get(NOTES, {"q": "MINISTRY"}))) == sorted(both)
    assert _titles(searching.get(NOTES, {"q": "groups tariff"})) == both[:1]
    assert _titles(searching.get(NOTES, {"q": "Tariff groups"})) == both[:1]
    assert _titles(searching.get(NOTES, {"q": "peer ministry"})) == both[1:]
    assert _titles(searching.get(NOTES, {"q": "water ministry"})) == both[:1]  # a topic's name


def test_no_match_says_so(searching):
    response = searching.get(NOTES, {"q": "ministry volcano"})
    assert _titles(response) == []
    page = response.content.decode()
    assert "0 notes" in page
    assert "No learning note matches." in page


def test_cyrillic_words_match_whatever_their_case(searching):
    """Case folding is not limited to ASCII letters (SQLite's LIKE would be)."""
    assert _titles(searching.get(NOTES, {"q": "ЗАСУХИ"})) == ["Уроки засухи"]
    assert _titles(searching.get(NOTES, {"q": "министерством водоснабжение"})) == ["Уроки засухи"]
    page = searching.get(NOTES, {"q": "водоснабжение"}).content.decode()
    assert "<mark>Водоснабжение</mark>" in page


def test_matches_are_highlighted_after_escaping(searching):
    """The note's own markup is escaped; only the search adds <mark>."""
    page = searching.get(NOTES, {"q": "budget tariff"}).content.decode()
    assert "<mark>Tariff</mark> reform with the ministry" in page
    assert "&lt;b&gt;<mark>budget</mark>&lt;/b&gt;" in page
    assert "<b>budget</b>" not in page
    page = searching.get(NOTES, {"q": "<b>"}).content.decode()
    assert "<mark>&lt;b&gt;</mark>" in page


def test_each_hit_shows_network_year_title_and_snippet(searching, personas):
    page = searching.get(NOTES, {"q": "peer"}).content.decode()
    assert "Other network" in page
    assert "2018" in page
    assert "Farmer field schools" in page
    assert "by their <mark>peer</mark>s" in page
    note_url = reverse(
        "reports:note",
        kwargs={
            "network": "othernet",
            "pk": searching.get(NOTES, {"q": "peer"}).context["hits"][0]["note"].pk,
        },
    )
    assert note_url in page


def test_filters_by_network_year_and_topic(searching):
    assert _titles(searching.get(NOTES, {"network": "othernet"})) == ["Farmer field schools"]
    assert sorted(_titles(searching.get(NOTES, {"year": "2018"}))) == [
        "Farmer field schools",
        "Tariff reform with the ministry",
    ]
    assert _titles(searching.get(NOTES, {"topic": "water", "q": "ministry"})) == [
        "Tariff reform with the ministry"
    ]
    assert _titles(searching.get(NOTES, {"topic": "health"})) == []


def test_bad_filters_get_clear_messages(searching):
    response = searching.get(NOTES, {"network": "nowhere", "year": "20x8"})
    page = response.content.decode()
    assert "There is no network with this slug." in page
    assert "Give the year as four digits" in page
    assert response.context["hits"] == []


def test_results_come_in_pages_of_twenty(personas, django_assert_max_num_queries):
    """45 notes: three pages; the page's queries do not depend on the number of notes."""
    client = as_user(programme_user())
    for index in range(45):
        network = NetworkFactory(slug=f"net-{index:02d}", name=f"Net {index:02d}")
        make_note(network, 2015, title=f"Lesson {index}", lessons="Shared lesson.")
    first = client.get(NOTES, {"q": "shared"})
    assert len(first.context["hits"]) == 20
    assert first.context["page_obj"].paginator.num_pages == 3
    assert "45 notes" in first.content.decode()
    third = client.get(NOTES, {"q": "shared", "page": "3"})
    assert len(third.context["hits"]) == 5
    # session, user, permissions (user, groups), texts, topics, count, page, topics of the page,
    # networks and topics of the filter form
    with django_assert_max_num_queries(12):
        client.get(NOTES, {"q": "shared lesson", "page": "2"})
