"""The comparison's data: indicators counted by hand on two small networks, aligned timelines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from netweave.activities.tests.factories import JointActivityFactory
from netweave.directory.sectors import ensure_sectors
from netweave.directory.tests.factories import OrganisationFactory, PersonFactory, sector
from netweave.governance.models import MemberRequest
from netweave.influence import indicators as registry
from netweave.influence.tests.factories import OutcomeFactory
from netweave.meetings.tests.factories import AttendanceFactory, MeetingFactory
from netweave.networks.models import StageMilestone
from netweave.networks.tests.factories import MembershipFactory, NetworkFactory
from netweave.reports.comparison import (
    aligned_timelines,
    check_years,
    compare_indicators,
    default_years,
    whole_years,
)

UTC = dt.UTC
TODAY = dt.datetime(2021, 6, 15, 12, tzinfo=UTC)
YEARS = [2019, 2020]


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def meeting(network, start, *people):
    held = MeetingFactory(network=network, start=start, end=start + dt.timedelta(hours=2))
    for person in people:
        AttendanceFactory(meeting=held, person=person)
    return held


@pytest.fixture
def two_networks(db):
    """Alpha and Beta over 2019–2020.

    Alpha — members on 31 December: 2019: O1 (civil society), O3 (academia); 2020: O1, O2
    (government), O3 having left on 30 June 2020. Meetings: 2019-06-01 (O1), 2020-02-01 (O3),
    2020-09-01 (O1, O2). Outcomes 2019-04-01 substantiated, 2020-05-05 pending, 2020-07-07
    substantiated. A joint activity started 2020-01-10, a cancelled one 2019-02-02. Requests:
    answered 2020-03-03, declined 2020-04-04.
    Beta — one member O4 (donor) from 1 January 2020; nothing else.
    """
    ensure_sectors()
    alpha = NetworkFactory(slug="alpha", name="Alpha")
    beta = NetworkFactory(slug="beta", name="Beta")
    o1 = OrganisationFactory(sector=sector("civil-society"))
    o2 = OrganisationFactory(sector=sector("government"))
    o3 = OrganisationFactory(sector=sector("academia"))
    o4 = OrganisationFactory(sector=sector("donor"))
    MembershipFactory(network=alpha, organisation=o1, joined=dt.date(2019, 5, 1))
    MembershipFactory(network=alpha, organisation=o2, joined=dt.date(2020, 3, 1))
    MembershipFactory(
        network=alpha,
        organisation=o3,
        joined=dt.date(2019, 1, 1),
        left=dt.date(2020, 6, 30),
        status="left",
    )
    MembershipFactory(network=beta, organisation=o4, joined=dt.date(2020, 1, 1))
    p1, p2, p3 = (PersonFactory(organisation=o) for o in (o1, o2, o3))
    meeting(alpha, at(2019, 6, 1, 9), p1)
    meeting(alpha, at(2020, 2, 1, 9), p3)
    meeting(alpha, at(2020, 9, 1, 9), p1, p2)
    OutcomeFactory(
        network=alpha, date=dt.date(2019, 4, 1), substantiation="yes", substantiated_by="X"
    )
    OutcomeFactory(network=alpha, date=dt.date(2020, 5, 5))
    OutcomeFactory(
        network=alpha, date=dt.date(2020, 7, 7), substantiation="yes", substantiated_by="X"
    )
    JointActivityFactory(network=alpha, start=dt.date(2020, 1, 10))
    JointActivityFactory(network=alpha, start=dt.date(2019, 2, 2), status="cancelled")
    for status, day in (("answered", at(2020, 3, 3, 10)), ("declined", at(2020, 4, 4, 10))):
        MemberRequest.objects.create(
            network=alpha, organisation=o1, title=status, status=status, decided_at=day
        )
    return alpha, beta


# Hand counts, per indicator: {network: [2019, 2020]}
EXPECTED = {
    "member_organisations": {"alpha": [2, 2], "beta": [0, 1]},
    "sectors_represented": {"alpha": [2, 2], "beta": [0, 1]},
    "meetings_held": {"alpha": [1, 2], "beta": [0, 0]},
    # 2019: O1 of O1, O3 attended; 2020: O1 and O2 of O1, O2 (O3 attended but left)
    "members_attending_share": {"alpha": ["50.0", "100.0"], "beta": ["0.0", "0.0"]},
    "outcomes_recorded": {"alpha": [1, 2], "beta": [0, 0]},
    "outcomes_substantiated": {"alpha": [1, 1], "beta": [0, 0]},
    "joint_activities_started": {"alpha": [0, 1], "beta": [0, 0]},
    "member_requests_answered": {"alpha": [0, 1], "beta": [0, 0]},
}


def test_every_indicator_of_the_registry_is_compared_with_its_definition(two_networks):
    """The comparison has one table per computed indicator, in the registry's order."""
    with time_machine.travel(TODAY, tick=False):
        result = compare_indicators(list(two_networks), YEARS)
    assert [item.key for item in result] == list(registry.REGISTRY)
    assert set(EXPECTED) == set(registry.REGISTRY)
    for item in result:
        assert item.definition == registry.REGISTRY[item.key].definition
        assert item.years == YEARS


def test_values_match_hand_counts(two_networks):
    """Every value of both networks is the one counted by hand."""
    with time_machine.travel(TODAY, tick=False):
        result = compare_indicators(list(two_networks), [2020, 2019, 2020])
    for item in result:
        got = {row.network.slug: row.values for row in item.rows}
        expected = {
            slug: [Decimal(str(value)) for value in values]
            for slug, values in EXPECTED[item.key].items()
        }
        assert got == expected, item.key


def _count(networks, years) -> int:
    with CaptureQueriesContext(connection) as queries:
        compare_indicators(networks, years)
        aligned_timelines(networks)
    return len(queries)


def test_queries_grow_with_networks_not_with_records_or_years(two_networks):
    """One query per network and indicator, one for the milestones: 2 and 4 networks."""
    alpha, beta = two_networks
    with time_machine.travel(TODAY, tick=False):
        two = _count([alpha, beta], YEARS)
        assert two == 2 * len(registry.REGISTRY) + 1
        gamma = NetworkFactory(slug="gamma")
        delta = NetworkFactory(slug="delta")
        four = _count([alpha, beta, gamma, delta], YEARS)
        assert four == 4 * len(registry.REGISTRY) + 1
        # More records and more years do not change the count.
        for day in range(1, 20):
            OutcomeFactory(network=gamma, date=dt.date(2020, 1, day))
            MembershipFactory(network=delta, joined=dt.date(2019, 1, day))
        StageMilestone.objects.create(network=gamma, stage="informal", date=dt.date(2015, 1, 1))
        assert _count([alpha, beta, gamma, delta], [2015, 2016, 2017, 2018, 2019, 2020]) == four


# Years -----------------------------------------------------------------------------------
def test_default_years_are_the_last_five():
    """Without ``since`` and ``until``: this year and the four before."""
    today = dt.date(2021, 6, 15)
    assert default_years(today=today) == [2017, 2018, 2019, 2020, 2021]
    assert check_years(None, None, today=today) == [2017, 2018, 2019, 2020, 2021]
    assert check_years("", " ", today=today) == [2017, 2018, 2019, 2020, 2021]


def test_a_chosen_range_and_one_bound():
    """Both bounds, only the end (five years to it), only the start (to this year)."""
    today = dt.date(2021, 6, 15)
    assert check_years("2012", "2014", today=today) == [2012, 2013, 2014]
    assert check_years(None, "2012", today=today) == [2008, 2009, 2010, 2011, 2012]
    assert check_years("2019", None, today=today) == [2019, 2020, 2021]
    assert check_years("2020", "2020", today=today) == [2020]


@pytest.mark.parametrize(
    ("since", "until", "field", "message"),
    [
        ("abc", "", "since", "“abc” is not a year"),
        ("", "20x0", "until", "“20x0” is not a year"),
        ("1980", "", "since", "Choose a year from 1990 to 2021."),
        ("", "2030", "until", "Choose a year from 1990 to 2021."),
        ("2020", "2018", "since", "The first year (2020) comes after the last one (2018)."),
        ("1990", "2021", "since", "Compare at most 30 years at a time."),
        ("٢٠٢٠", "", "since", "is not a year"),
    ],
)
def test_bad_years_are_refused_with_a_clear_message(since, until, field, message):
    """Each mistake gets its own message on the field it concerns."""
    with pytest.raises(ValidationError) as caught:
        check_years(since, until, today=dt.date(2021, 6, 15))
    assert message in " ".join(caught.value.message_dict[field])


# Aligned timelines -------------------------------------------------------------------------
def test_timelines_are_aligned_on_the_first_milestone(db, django_assert_num_queries):
    """Years since the first milestone, year N counted from 1, one query for all networks."""
    early = NetworkFactory(slug="early", name="Early")
    late = NetworkFactory(slug="late", name="Late")
    bare = NetworkFactory(slug="bare", name="Bare")
    for network, stage, day in (
        (early, "informal", dt.date(2005, 3, 1)),
        (early, "emerging", dt.date(2006, 2, 28)),  # 364 days: still year 1
        (early, "formal", dt.date(2009, 3, 1)),  # 4 years to the day: year 5
        (late, "emerging", dt.date(2015, 9, 1)),  # informal start not recorded
        (late, "formal", dt.date(2017, 3, 1)),
        (late, "recognised", dt.date(2020, 9, 1)),
    ):
        StageMilestone.objects.create(network=network, stage=stage, date=day)
    with django_assert_num_queries(1):
        timelines = aligned_timelines([early, late, bare])
    first, second, third = timelines
    assert first.origin == dt.date(2005, 3, 1)
    assert [(m.stage, m.years_since, m.year_number) for m in first.milestones] == [
        ("informal", Decimal("0.0"), 1),
        ("emerging", Decimal("1.0"), 1),  # 364 / 365.25 = 0.997
        ("formal", Decimal("4.0"), 5),  # 1461 / 365.25 = 4.0
    ]
    assert [cell.stage if cell else None for cell in first.by_stage] == [
        "informal",
        "emerging",
        "formal",
        None,
    ]
    assert second.origin == dt.date(2015, 9, 1)
    assert [(m.stage, m.years_since, m.year_number) for m in second.milestones] == [
        ("emerging", Decimal("0.0"), 1),
        ("formal", Decimal("1.5"), 2),  # 547 / 365.25 = 1.498
        ("recognised", Decimal("5.0"), 6),  # 1827 / 365.25 = 5.002
    ]
    assert second.span == Decimal("5.0")
    assert third.origin is None and third.milestones == [] and third.span == 0


def test_whole_years_count_like_birthdays():
    """Completed years: the day before the anniversary is one short."""
    origin = dt.date(2012, 2, 29)
    assert whole_years(origin, dt.date(2013, 2, 28)) == 0
    assert whole_years(origin, dt.date(2013, 3, 1)) == 1
    assert whole_years(dt.date(2010, 5, 5), dt.date(2010, 5, 5)) == 0
