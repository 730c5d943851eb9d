"""The task-group and member-request sections' figures match counts made by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from netweave.directory.sectors import ensure_sectors
from netweave.directory.tests.factories import OrganisationFactory, TopicFactory, sector
from netweave.governance import services
from netweave.governance.models import (
    Deliverable,
    DeliverableDocument,
    MemberRequest,
    TaskGroup,
    TaskGroupMember,
)
from netweave.influence.indicators import compute
from netweave.networks.tests.factories import MembershipFactory, NetworkFactory
from netweave.reports.registry import section_type
from netweave.reports.sections.governance import build_requests, build_task_groups

pytestmark = pytest.mark.django_db

# The day the report is made.
TODAY = dt.datetime(2015, 6, 15, 12, tzinfo=dt.UTC)


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def orgs():
    ensure_sectors()
    net = NetworkFactory(slug="gnet", launched=dt.date(2012, 1, 1))
    alpha = OrganisationFactory(name="Alpha", sector=sector("civil-society"))
    bravo = OrganisationFactory(name="Bravo", sector=sector("government"))
    for org in (alpha, bravo):
        MembershipFactory(network=net, organisation=org, joined=dt.date(2012, 1, 1))
    return net, alpha, bravo


def cells(built) -> list[str]:
    return [
        str(cell) for figure in built.figures if figure.records for row in figure.records.rows
        for cell in row
    ]  # fmt: skip


# Task groups ---------------------------------------------------------------------------------
@pytest.fixture
def groups(orgs):
    """Six task groups and eight deliverables around 2014 (all recorded on TODAY, 2015).

    Groups:  Tariffs      active, from 1 Mar 2013
             Legislation  closed, 1 Jan 2014 – 31 Dec 2014
             Metering     active, from 1 Jan 2015
             Old          closed, 1 Jan 2012 – 31 Dec 2013
             Proposed     proposed (never counted), from 1 May 2014
             Undated      active, no start: counted from the day it was recorded (2015)
    2014: active Tariffs, Legislation; formed Legislation; closed Legislation.

    Deliverables (delivered = first document; "—" = open):
      D1 Tariffs      due 30 Jun 2014, document 20 Jun 2014       due, delivered, on time
      D2 Tariffs      due 31 Dec 2014, document 1 Jan 2015 00:30  due, overdue at end 2014
      D3 Legislation  due 1 Mar 2014, document 1 Apr 2014         due, delivered late
      D4 Legislation  due 31 Dec 2014, —                          due, overdue
      D5 Tariffs      no due date, done without document (2015)
      D6 Old          due 1 Jun 2013, —                           group over: not overdue in 2014
      D7 Proposed     due 1 Jul 2014                              never counted
      D8 Tariffs      due 31 Dec 2013, document 1 Jan 2014        delivered in 2014, late
    2014: due 4, delivered 3, on time 1, overdue 2.
    """
    net, alpha, bravo = orgs
    other = NetworkFactory(slug="elsewhere")
    d = dt.date

    def group(name, status, start, end=None, lead=alpha, network=net):
        made = TaskGroup.objects.create(
            network=network, name=name, lead=lead, status=status, start=start, end=end
        )
        TaskGroupMember.objects.create(task_group=made, organisation=lead)
        return made

    tariffs = group("Tariffs", "active", d(2013, 3, 1))
    TaskGroupMember.objects.create(task_group=tariffs, organisation=bravo)
    legislation = group("Legislation", "closed", d(2014, 1, 1), d(2014, 12, 31), lead=bravo)
    group("Metering", "active", d(2015, 1, 1))
    old = group("Old", "closed", d(2012, 1, 1), d(2013, 12, 31))
    proposed = group("Proposed", "proposed", d(2014, 5, 1))
    group("Undated", "active", None)
    elsewhere = group("Elsewhere", "active", d(2014, 1, 1), network=other)

    def deliverable(task_group, title, due, delivered=None, done=None):
        made = Deliverable.objects.create(
            task_group=task_group, title=title, due=due, status="done" if done else "open"
        )
        if delivered:
            document = DeliverableDocument.objects.create(
                deliverable=made, title=title, url="https://example.org/" + title.lower()
            )
            DeliverableDocument.objects.filter(pk=document.pk).update(created=delivered)
        return made

    deliverable(tariffs, "D1", d(2014, 6, 30), at(2014, 6, 20, 10), done=True)
    deliverable(tariffs, "D2", d(2014, 12, 31), at(2015, 1, 1, 0, 30), done=True)
    deliverable(legislation, "D3", d(2014, 3, 1), at(2014, 4, 1, 10), done=True)
    deliverable(legislation, "D4", d(2014, 12, 31))
    deliverable(tariffs, "D5", None, done=True)
    deliverable(old, "D6", d(2013, 6, 1))
    deliverable(proposed, "D7", d(2014, 7, 1))
    deliverable(tariffs, "D8", d(2013, 12, 31), at(2014, 1, 1, 9), done=True)
    deliverable(elsewhere, "D9", d(2014, 7, 1))
    return net


def titles(built, key: str) -> list[str]:
    return sorted(row[1] for row in built.figure(key).records.rows)


def test_task_group_figures_match_hand_counts(groups):
    """Groups and deliverables of 2014 are as counted by hand."""
    built = build_task_groups(groups, 2014)
    assert built.values() == {
        "task_groups_active": 2,
        "task_groups_formed": 1,
        "task_groups_closed": 1,
        "deliverables_due": 4,
        "deliverables_delivered": 3,
        "deliverables_on_time": 1,
        "deliverables_overdue": 2,
    }
    assert built.figure("task_groups_active").records.rows == [
        ["Legislation", "Bravo", dt.date(2014, 1, 1), dt.date(2014, 12, 31), "Closed", 1],
        ["Tariffs", "Alpha", dt.date(2013, 3, 1), None, "Active", 2],
    ]
    assert titles(built, "deliverables_due") == ["D1", "D2", "D3", "D4"]
    assert titles(built, "deliverables_delivered") == ["D1", "D3", "D8"]
    assert titles(built, "deliverables_on_time") == ["D1"]
    assert titles(built, "deliverables_overdue") == ["D2", "D4"]
    assert built.figure("deliverables_overdue").records.rows == [
        ["Legislation", "D4", dt.date(2014, 12, 31), None],
        ["Tariffs", "D2", dt.date(2014, 12, 31), dt.date(2015, 1, 1)],
    ]
    (chart,) = built.charts
    assert (chart.kind, chart.categories) == ("stacked", ["Legislation", "Tariffs"])
    assert list(chart.series.values()) == [[1.0, 2.0], [1.0, 1.0]]


def test_task_group_year_boundaries(groups):
    """1 Jan 2015 belongs to 2015; a group without a start counts from the day it was recorded."""
    built = build_task_groups(groups, 2015)
    assert built.values() == {
        "task_groups_active": 3,
        "task_groups_formed": 2,
        "task_groups_closed": 0,
        "deliverables_due": 0,
        "deliverables_delivered": 2,
        "deliverables_on_time": 0,
        "deliverables_overdue": 0,
    }
    assert sorted(row[0] for row in built.figure("task_groups_formed").records.rows) == [
        "Metering",
        "Undated",
    ]
    assert titles(built, "deliverables_delivered") == ["D2", "D5"]
    earlier = build_task_groups(groups, 2013)
    assert earlier.figure("task_groups_closed").value == 1
    assert titles(earlier, "deliverables_overdue") == ["D6", "D8"]


def test_task_group_records_as_long_as_the_counts(groups):
    """Each figure lists exactly as many records as it counts."""
    for year in (2013, 2014, 2015):
        for figure in build_task_groups(groups, year).figures:
            assert len(figure.records) == figure.value, (year, figure.key)


def test_task_groups_declared_figures_are_produced(groups):
    """The registry declares exactly the figures the builder produces."""
    declared = set(section_type("task_groups").figures)
    assert {figure.key for figure in build_task_groups(groups, 2014).figures} == declared


def test_task_group_records_without_contact_details(groups):
    """No e-mail address or phone number of an organisation appears in the records."""
    values = cells(build_task_groups(groups, 2014))
    assert values
    assert not [cell for cell in values if "@" in cell or "+992" in cell]


def test_task_groups_constant_queries(groups, orgs, django_assert_max_num_queries):
    """Two queries with 6 groups and with 26: groups and deliverables."""
    net, alpha, _bravo = orgs
    with django_assert_max_num_queries(2):
        build_task_groups(groups, 2014)
    for number in range(20):
        made = TaskGroup.objects.create(
            network=net, name=f"Group {number}", lead=alpha, start=dt.date(2014, 2, 1)
        )
        TaskGroupMember.objects.create(task_group=made, organisation=alpha)
        Deliverable.objects.create(task_group=made, title="Report", due=dt.date(2014, 11, 1))
    with django_assert_max_num_queries(2):
        built = build_task_groups(groups, 2014)
    assert built.figure("task_groups_active").value == 22
    assert built.figure("deliverables_overdue").value == 22


# Member requests -----------------------------------------------------------------------------
@pytest.fixture
def requests(orgs):
    """Seven requests around 2014, decided in every way.

      R1 Alpha  raised 1 Jan 2014 00:00, accepted into Tariffs 11 Jan 2014      10 days
      R2 Bravo  raised 1 Mar 2014, a new task group formed for it 10 Mar 2014     9 days
      R3 Alpha  raised 1 May 2014, answered 3 May 2014                           2 days
      R4 Bravo  raised 1 Nov 2014, declined 5 Jan 2015                          65 days
      R5 Alpha  raised 31 Dec 2014 23:00, still open
      R6 Alpha  raised 31 Dec 2013 23:59, answered 2 Jan 2014  (raised in 2013)
      R7 Bravo  raised 1 Jan 2015 00:00, still open            (raised in 2015)
    2014: raised 5 (one of each outcome), 2 undecided on 31 Dec, median (2, 9, 10, 65) = 9.5
    days; answered in 2014 as the indicator counts: R1, R2, R3, R6 = 4.
    """
    net, alpha, bravo = orgs
    topic = TopicFactory(name="Water tariffs")
    tariffs = TaskGroup.objects.create(network=net, name="Tariffs", lead=alpha, start=None)

    def request(title, org, raised, status="open", decided=None, group=None, net=net):
        made = MemberRequest.objects.create(
            network=net, organisation=org, title=title, topic=topic, status=status,
            decided_at=decided, task_group=group,
        )  # fmt: skip
        MemberRequest.objects.filter(pk=made.pk).update(created=raised)
        made.refresh_from_db()
        return made

    request("R1", alpha, at(2014, 1, 1, 0), "accepted", at(2014, 1, 11, 10), tariffs)
    r2 = request("R2", bravo, at(2014, 3, 1, 9))
    with time_machine.travel(at(2014, 3, 10, 9), tick=False):
        services.triage_request(r2, decision="form_new", name="Water safety")
    request("R3", alpha, at(2014, 5, 1, 9), "answered", at(2014, 5, 3, 9))
    request("R4", bravo, at(2014, 11, 1, 9), "declined", at(2015, 1, 5, 9))
    request("R5", alpha, at(2014, 12, 31, 23))
    request("R6", alpha, at(2013, 12, 31, 23, 59), "answered", at(2014, 1, 2, 9))
    request("R7", bravo, at(2015, 1, 1, 0))
    request("R8", alpha, at(2014, 6, 1, 9), "answered", at(2014, 6, 2), net=NetworkFactory())
    return net


def test_request_figures_match_hand_counts(requests):
    """Requests of 2014 by outcome, undecided at year end, time to decide and answered."""
    built = build_requests(requests, 2014)
    assert built.values() == {
        "requests_raised": 5,
        "requests_accepted": 1,
        "requests_new_group": 1,
        "requests_answered_directly": 1,
        "requests_declined": 1,
        "requests_open": 1,
        "requests_open_at_year_end": 2,
        "median_days_to_decision": Decimal("9.5"),
        "requests_answered": 4,
    }
    existing, new = "Accepted into an existing task group", "Accepted into a new task group"
    assert built.figure("requests_raised").records.rows == [
        ["Alpha", "Water tariffs", "R1", dt.date(2014, 1, 1), existing, dt.date(2014, 1, 11),
         "Tariffs"],
        ["Bravo", "Water tariffs", "R2", dt.date(2014, 3, 1), new, dt.date(2014, 3, 10),
         "Water safety"],
        ["Alpha", "Water tariffs", "R3", dt.date(2014, 5, 1), "Answered directly",
         dt.date(2014, 5, 3), ""],
        ["Bravo", "Water tariffs", "R4", dt.date(2014, 11, 1), "Declined", dt.date(2015, 1, 5), ""],
        ["Alpha", "Water tariffs", "R5", dt.date(2014, 12, 31), "Still open", None, ""],
    ]  # fmt: skip
    assert [row[2] for row in built.figure("requests_open_at_year_end").records.rows] == [
        "R4",
        "R5",
    ]
    assert [row[2] for row in built.figure("requests_answered").records.rows] == [
        "R6",
        "R1",
        "R2",
        "R3",
    ]
    (chart,) = built.charts
    assert chart.categories == [
        "Accepted into an existing task group",
        "Accepted into a new task group",
        "Answered directly",
        "Declined",
        "Still open",
    ]
    assert list(chart.series.values()) == [[1.0, 1.0, 1.0, 1.0, 1.0]]


def test_request_year_boundaries(requests):
    """31 Dec 23:59 is the old year, 1 Jan 00:00 the new one."""
    assert [
        r[2] for r in build_requests(requests, 2013).figure("requests_raised").records.rows
    ] == ["R6"]
    built = build_requests(requests, 2015)
    assert [row[2] for row in built.figure("requests_raised").records.rows] == ["R7"]
    assert built.figure("median_days_to_decision").value is None
    assert built.figure("requests_answered").value == 0


def test_requests_agree_with_the_indicator(requests):
    """Requests answered are the indicator "member requests answered" for each year."""
    years = [2013, 2014, 2015]
    answered = compute("member_requests_answered", requests, years)
    for year in years:
        value = build_requests(requests, year).figure("requests_answered").value
        assert Decimal(value) == answered[year]


def test_request_records_as_long_as_the_counts(requests):
    """Each count lists exactly as many records as it counts; the outcomes add up."""
    for year in (2013, 2014, 2015):
        built = build_requests(requests, year)
        for figure in built.figures:
            if figure.key != "median_days_to_decision":
                assert len(figure.records) == figure.value, (year, figure.key)
        outcomes = [
            "requests_accepted",
            "requests_new_group",
            "requests_answered_directly",
            "requests_declined",
            "requests_open",
        ]
        values = built.values()
        assert sum(values[key] for key in outcomes) == values["requests_raised"]


def test_requests_declared_figures_are_produced(requests):
    """The registry declares exactly the figures the builder produces."""
    declared = set(section_type("requests").figures)
    assert {figure.key for figure in build_requests(requests, 2014).figures} == declared


def test_request_records_without_contact_details(requests):
    """No e-mail address or phone number appears in the records."""
    values = cells(build_requests(requests, 2014))
    assert values
    assert not [cell for cell in values if "@" in cell or "+992" in cell]


def test_requests_constant_queries(requests, orgs, django_assert_max_num_queries):
    """Two queries with 7 requests and with 37: raised in the year, decided in the year."""
    net, alpha, _bravo = orgs
    with django_assert_max_num_queries(2):
        build_requests(requests, 2014)
    for number in range(30):
        made = MemberRequest.objects.create(
            network=net, organisation=alpha, title=f"Q{number}", status="answered",
            decided_at=at(2014, 8, 2),
        )  # fmt: skip
        MemberRequest.objects.filter(pk=made.pk).update(created=at(2014, 8, 1))
    with django_assert_max_num_queries(2):
        built = build_requests(requests, 2014)
    assert built.figure("requests_raised").value == 35
    assert built.figure("median_days_to_decision").value == Decimal("1")
