"""The meetings section's figures match counts made by hand on a small network."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from netweave.directory.models import Person
from netweave.directory.sectors import ensure_sectors
from netweave.directory.tests.factories import OrganisationFactory, PersonFactory, sector
from netweave.influence.indicators import compute
from netweave.meetings.tests.factories import AttendanceFactory, MeetingFactory
from netweave.networks.tests.factories import MembershipFactory, NetworkFactory
from netweave.reports.registry import section_type
from netweave.reports.sections.meetings import build_meetings

pytestmark = pytest.mark.django_db

# The day the report is made: meetings after it are not held yet.
TODAY = dt.datetime(2015, 6, 15, 12, tzinfo=dt.UTC)


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def network():
    """Four organisations, six meetings from 31 Dec 2013 to Sep 2015.

    Members on 31 December 2014: A (civil society), B (government), C (academia, joined
    that day). D (private sector) attends but is no member.

    2014 (hand count): M1 1 Jan 00:00 regular, A + B            → 2 attendances
                       M2 10 Jun workshop, A ×2, D, individual  → 4
                       M3 31 Dec 22:00 coffee, B                → 1
      → 3 meetings, 7 attendances, 5 people, 3 organisations (A 2 meetings, B 2, D 1),
        2 of 3 members attended (66.7 %), 2.3 per meeting.
    M0 (31 Dec 2013 23:00) is 2013; M4 (1 Jan 2015 00:00) 2015; M5 (Sep 2015) not held yet.
    """
    ensure_sectors()
    net = NetworkFactory(slug="mnet", launched=dt.date(2013, 1, 1))
    other = NetworkFactory(slug="elsewhere")
    orgs = {
        "A": OrganisationFactory(name="Alpha", sector=sector("civil-society")),
        "B": OrganisationFactory(name="Bravo", sector=sector("government")),
        "C": OrganisationFactory(name="Charlie", sector=sector("academia")),
        "D": OrganisationFactory(name="Delta", sector=sector("private-sector")),
    }
    MembershipFactory(network=net, organisation=orgs["A"], joined=dt.date(2013, 1, 1))
    MembershipFactory(network=net, organisation=orgs["B"], joined=dt.date(2013, 1, 1))
    MembershipFactory(network=net, organisation=orgs["C"], joined=dt.date(2014, 12, 31))
    people = {
        "a1": PersonFactory(organisation=orgs["A"], phone="+992 11 111 1111"),
        "a2": PersonFactory(organisation=orgs["A"]),
        "b1": PersonFactory(organisation=orgs["B"]),
        "c1": PersonFactory(organisation=orgs["C"]),
        "d1": PersonFactory(organisation=orgs["D"]),
    }

    def meeting(title, start, kind, *attendees, hours=1.0, net=net):
        held = MeetingFactory(
            network=net, title=title, kind=kind, start=start, end=start + dt.timedelta(hours=hours)
        )
        for key in attendees:
            AttendanceFactory(meeting=held, person=people[key])
        return held

    meeting("Old year", at(2013, 12, 31, 23), "regular", "c1", hours=0.5)
    meeting("Kick-off", at(2014, 1, 1, 0), "regular", "a1", "b1")
    m2 = meeting("Tariff workshop", at(2014, 6, 10, 9), "workshop", "a1", "a2", "d1", hours=6)
    AttendanceFactory(meeting=m2, person=PersonFactory(), organisation=None)
    meeting("Year-end coffee", at(2014, 12, 31, 22), "coffee", "b1")
    meeting("New year", at(2015, 1, 1, 0), "regular", "c1")
    meeting("Autumn meeting", at(2015, 9, 1, 9), "regular", "a1", "b1", "c1")
    meeting("Elsewhere", at(2014, 5, 1, 9), "regular", "a1", net=other)
    return net


def test_figures_match_hand_counts(network):
    """Meetings, attendance, organisations and the members' share in 2014 are as by hand."""
    built = build_meetings(network, 2014)
    assert built.values() == {
        "meetings_held": 3,
        "attendances": 7,
        "people_attending": 5,
        "organisations_attending": 3,
        "members_attending_share": Decimal("66.7"),
        "average_attendance": Decimal("2.3"),
    }
    assert built.figure("meetings_held").records.rows == [
        [dt.date(2014, 1, 1), "Regular network meeting", "Kick-off", 2, 2],
        [dt.date(2014, 6, 10), "Workshop", "Tariff workshop", 4, 2],
        [dt.date(2014, 12, 31), "Coffee meeting", "Year-end coffee", 1, 1],
    ]
    assert built.figure("organisations_attending").records.rows == [
        ["Alpha", "National or local NGO and civil society", 2, 3],
        ["Bravo", "Government", 2, 2],
        ["Delta", "Private sector", 1, 1],
    ]
    assert built.figure("members_attending_share").records.rows == [
        ["Alpha", 2],
        ["Bravo", 2],
        ["Charlie", 0],
    ]


def test_charts(network):
    """Meetings by type in the taxonomy's order; attendance by sector, largest first."""
    by_type, by_sector = build_meetings(network, 2014).charts
    assert by_type.categories == ["Coffee meeting", "Regular network meeting", "Workshop"]
    assert list(by_type.series.values()) == [[1.0, 1.0, 1.0]]
    assert by_sector.categories == [
        "National or local NGO and civil society",
        "Government",
        "Private sector",
    ]
    assert list(by_sector.series.values()) == [[3.0, 2.0, 1.0]]


def test_year_boundaries_and_meetings_to_come(network):
    """1 Jan 00:00 is the new year, 31 Dec 23:00 the old; a meeting still to come is not held."""
    assert build_meetings(network, 2013).values()["meetings_held"] == 1
    built = build_meetings(network, 2015)
    assert [row[2] for row in built.figure("meetings_held").records.rows] == ["New year"]
    assert built.figure("members_attending_share").value == Decimal("33.3")


def test_year_in_the_installation_time_zone(network, settings):
    """In Dushanbe (UTC+5) 31 Dec 22:00 UTC falls in the next year and 31 Dec 23:00 too."""
    settings.TIME_ZONE = "Asia/Dushanbe"
    built = build_meetings(network, 2014)
    titles = [row[2] for row in built.figure("meetings_held").records.rows]
    assert titles == ["Old year", "Kick-off", "Tariff workshop"]
    assert built.figure("meetings_held").records.rows[0][0] == dt.date(2014, 1, 1)


def test_records_as_long_as_the_counts(network):
    """Each count lists as many records as it counts; attendance is the sum per meeting."""
    for year in (2013, 2014, 2015):
        built = build_meetings(network, year)
        for key in ("meetings_held", "organisations_attending"):
            figure = built.figure(key)
            assert len(figure.records) == figure.value, (year, key)
        attendances = built.figure("attendances")
        assert sum(row[3] for row in attendances.records.rows) == attendances.value


def test_agrees_with_the_indicators(network):
    """Meetings held and the members' share are the computed indicators' values."""
    years = [2013, 2014, 2015]
    held = compute("meetings_held", network, years)
    share = compute("members_attending_share", network, years)
    for year in years:
        built = build_meetings(network, year)
        assert Decimal(built.figure("meetings_held").value) == held[year]
        assert built.figure("members_attending_share").value == share[year]


def test_empty_year(network):
    """A year without meetings or members gives zeros, and no share or average."""
    built = build_meetings(network, 2010)
    assert built.values() == {
        "meetings_held": 0,
        "attendances": 0,
        "people_attending": 0,
        "organisations_attending": 0,
        "members_attending_share": None,
        "average_attendance": None,
    }


def test_declared_figures_are_produced(network):
    """The registry declares exactly the figures the builder produces."""
    declared = set(section_type("meetings").figures)
    assert {figure.key for figure in build_meetings(network, 2014).figures} == declared


def test_no_people_in_records(network):
    """No person's name, e-mail address or phone number appears in any record."""
    built = build_meetings(network, 2014)
    cells = [
        str(cell) for figure in built.figures if figure.records for row in figure.records.rows
        for cell in row
    ]  # fmt: skip
    assert cells
    private = [
        value for person in Person.objects.all() for value in (person.name, person.email)
    ] + ["+992"]
    assert not [cell for cell in cells for value in private if value and value in cell]


def test_constant_queries(network, django_assert_max_num_queries):
    """Four queries with 3 meetings and with 23: meetings, organisations, people, members."""
    with django_assert_max_num_queries(4):
        build_meetings(network, 2014)
    for day in range(20):
        held = MeetingFactory(network=network, start=at(2014, 3, 1 + day, 9))
        for _ in range(3):
            AttendanceFactory(meeting=held)
        MembershipFactory(network=network, joined=dt.date(2014, 1, 1))
    with django_assert_max_num_queries(4):
        built = build_meetings(network, 2014)
    assert built.figure("meetings_held").value == 23
    assert built.figure("attendances").value == 67
