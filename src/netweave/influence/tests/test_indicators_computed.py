"""Computed indicators match counts made by hand on a small network over four years."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from netweave.activities.tests.factories import JointActivityFactory
from netweave.directory.sectors import ensure_sectors
from netweave.directory.tests.factories import OrganisationFactory, PersonFactory, sector
from netweave.governance.models import MemberRequest
from netweave.influence import indicators as registry
from netweave.influence.services import indicator_series
from netweave.influence.tests.factories import (
    IndicatorFactory,
    IndicatorTargetFactory,
    OutcomeFactory,
)
from netweave.meetings.tests.factories import AttendanceFactory, MeetingFactory
from netweave.networks.tests.factories import MembershipFactory, NetworkFactory

YEARS = [2010, 2011, 2012, 2013]
UTC = dt.UTC
# The day the counts are made: meetings after it are not held yet.
TODAY = dt.datetime(2013, 6, 15, 12, tzinfo=UTC)


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.fixture
def small_network(db):
    """Seven organisations, six meetings, outcomes, activities and requests over 2010–2013.

    Members on 31 December (hand count):
      2010: O1 (civil society), O2 (government)                           → 2, 2 sectors
      2011: O1, O2, O3 (academia); O6 left in August                      → 3, 3 sectors
      2012: O1, O2, O6 back in March (private); O3 left on 31 December    → 3, 3 sectors
      2013: O1, O2, O6                                                    → 3, 3 sectors
    O4 is an applicant, O5 suspended: never counted. O7 belongs to another network.
    """
    ensure_sectors()
    network = NetworkFactory(slug="mne", launched=dt.date(2009, 11, 1))
    other = NetworkFactory(slug="elsewhere")
    orgs = {
        "O1": OrganisationFactory(sector=sector("civil-society")),
        "O2": OrganisationFactory(sector=sector("government")),
        "O3": OrganisationFactory(sector=sector("academia")),
        "O4": OrganisationFactory(sector=sector("media")),
        "O5": OrganisationFactory(sector=sector("donor")),
        "O6": OrganisationFactory(sector=sector("private-sector")),
        "O7": OrganisationFactory(sector=sector("un-agency")),
    }
    member = MembershipFactory
    member(network=network, organisation=orgs["O1"], joined=dt.date(2010, 3, 1))
    member(network=network, organisation=orgs["O2"], joined=dt.date(2010, 12, 31))
    member(
        network=network,
        organisation=orgs["O3"],
        joined=dt.date(2011, 6, 1),
        left=dt.date(2012, 12, 31),
        status="left",
    )
    member(network=network, organisation=orgs["O4"], joined=dt.date(2012, 1, 1), status="applicant")
    member(network=network, organisation=orgs["O5"], joined=dt.date(2011, 1, 1), status="suspended")
    member(
        network=network,
        organisation=orgs["O6"],
        joined=dt.date(2011, 2, 1),
        left=dt.date(2011, 8, 1),
        status="left",
    )
    member(network=network, organisation=orgs["O6"], joined=dt.date(2012, 3, 1))
    member(network=other, organisation=orgs["O7"], joined=dt.date(2010, 1, 1))
    member(network=other, organisation=orgs["O1"], joined=dt.date(2010, 1, 1))
    people = {key: PersonFactory(organisation=org) for key, org in orgs.items()}

    def meeting(start: dt.datetime, *attendees: str, net=network, hours: float = 3):
        held = MeetingFactory(network=net, start=start, end=start + dt.timedelta(hours=hours))
        for key in attendees:
            AttendanceFactory(meeting=held, person=people[key])
        return held

    meeting(at(2010, 5, 10, 9), "O1")
    meeting(at(2011, 3, 1, 9), "O3", "O1")
    meeting(at(2011, 12, 31, 22), "O6", hours=1.5)  # O6 is not a member at the end of 2011
    m4 = meeting(at(2012, 6, 1, 9), "O2")
    AttendanceFactory(meeting=m4, person=PersonFactory(organisation=orgs["O1"]), organisation=None)
    meeting(at(2013, 3, 1, 9), "O1")
    meeting(at(2013, 9, 1, 9), "O2")  # after TODAY: not held yet
    meeting(at(2012, 4, 1, 9), "O1", net=other)

    outcome = OutcomeFactory
    outcome(network=network, date=dt.date(2010, 4, 1), substantiation="yes", substantiated_by="X")
    outcome(network=network, date=dt.date(2010, 12, 31))
    outcome(network=network, date=dt.date(2012, 7, 1), substantiation="no", substantiated_by="X")
    outcome(network=network, date=dt.date(2013, 1, 1), substantiation="yes", substantiated_by="X")
    outcome(network=network, date=dt.date(2013, 2, 1), substantiation="yes", substantiated_by="X")
    outcome(network=network, date=dt.date(2013, 3, 1))
    outcome(network=other, date=dt.date(2013, 3, 1), substantiation="yes", substantiated_by="X")

    activity = JointActivityFactory
    activity(network=network, start=dt.date(2010, 9, 1))
    activity(network=network, start=dt.date(2011, 2, 1), status="cancelled")
    activity(network=network, start=dt.date(2011, 10, 1), status="planned")
    activity(network=network, start=dt.date(2013, 12, 31), status="planned")
    activity(network=network, start=None, status="planned")
    activity(network=other, start=dt.date(2012, 1, 1))

    def request(status: str, decided: dt.datetime | None, net=network):
        return MemberRequest.objects.create(
            network=net, organisation=orgs["O1"], title=f"{status} {decided}", status=status,
            decided_at=decided,
        )  # fmt: skip

    request("answered", at(2011, 4, 1, 10))
    request("declined", at(2011, 5, 1, 10))
    request("accepted", at(2012, 2, 1, 10))
    request("open", None)
    request("answered", at(2013, 1, 1, 0))
    request("answered", at(2012, 3, 1, 10), net=other)
    return network


EXPECTED = {
    "member_organisations": {2010: 2, 2011: 3, 2012: 3, 2013: 3},
    "sectors_represented": {2010: 2, 2011: 3, 2012: 3, 2013: 3},
    "meetings_held": {2010: 1, 2011: 2, 2012: 1, 2013: 1},
    # attending members / members at the end of the year, in %
    "members_attending_share": {
        2010: Decimal("50.0"),  # O1 of O1, O2
        2011: Decimal("66.7"),  # O1, O3 of O1, O2, O3
        2012: Decimal("33.3"),  # O2 of O1, O2, O6 (O1's person came as an individual)
        2013: Decimal("33.3"),  # O1 of O1, O2, O6
    },
    "outcomes_recorded": {2010: 2, 2011: 0, 2012: 1, 2013: 3},
    "outcomes_substantiated": {2010: 1, 2011: 0, 2012: 0, 2013: 2},
    "joint_activities_started": {2010: 1, 2011: 1, 2012: 0, 2013: 1},
    "member_requests_answered": {2010: 0, 2011: 1, 2012: 1, 2013: 1},
}


def test_every_computation_is_tested_and_defined():
    """Each registered computation has hand-made expectations and a docstring definition."""
    assert set(registry.REGISTRY) == set(EXPECTED)
    for item in registry.REGISTRY.values():
        assert len(item.definition) > 60, item.key


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_computed_values_match_hand_counts(small_network, key, django_assert_num_queries):
    """Every computed kind gives, year by year, the count made by hand, in one query."""
    with time_machine.travel(TODAY, tick=False), django_assert_num_queries(1):
        values = registry.compute(key, small_network, YEARS)
    assert values == {year: Decimal(value) for year, value in EXPECTED[key].items()}


def test_meetings_in_the_time_zone_of_the_installation(small_network, settings):
    """A year runs in the installation's time zone: 31 Dec 22:00 UTC is 2012 in Dushanbe."""
    settings.TIME_ZONE = "Asia/Dushanbe"  # UTC+5
    with time_machine.travel(TODAY, tick=False):
        values = registry.compute("meetings_held", small_network, YEARS)
    assert values == {2010: 1, 2011: 1, 2012: 2, 2013: 1}


def test_no_members_gives_a_share_of_zero(db):
    """A network without members has an attendance share of 0, not a division error."""
    network = NetworkFactory(slug="empty")
    assert registry.compute("members_attending_share", network, [2012]) == {2012: Decimal("0.0")}


def test_series_join_values_targets_and_baseline(small_network, django_assert_num_queries):
    """A computed indicator's series runs from its baseline to this year with its targets."""
    indicator = IndicatorFactory(
        network=small_network,
        source="computed",
        computation="member_organisations",
        baseline_year=2010,
        baseline_value=Decimal("2"),
    )
    IndicatorTargetFactory(indicator=indicator, year=2012, value=Decimal("4"))
    twin = IndicatorFactory(
        network=small_network, source="computed", computation="member_organisations"
    )
    with time_machine.travel(TODAY, tick=False):
        indicators = list(
            small_network.indicators.prefetch_related("targets", "entries").order_by("id")
        )
        # network start (milestones), and one aggregate for both indicators of the same kind
        with django_assert_num_queries(2):
            first, second = indicator_series(small_network, indicators)
    assert first.years == YEARS
    assert [row.value for row in first.rows] == [2, 3, 3, 3]
    assert [row.target for row in first.rows] == [None, None, Decimal("4"), None]
    assert [row.met for row in first.rows] == [None, None, False, None]
    assert second.years == [2009, *YEARS]  # from the launch of the network
    assert twin.pk == second.indicator.pk
    data = first.chart_data()
    assert data["years"] == YEARS
    assert data["values"] == [2.0, 3.0, 3.0, 3.0]
    assert data["targets"] == [None, None, 4.0, None]
    assert data["baseline"] == 2.0
