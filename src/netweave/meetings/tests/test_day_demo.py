"""The demo meetings, loaded once for the module inside a transaction rolled back after it."""

import datetime as dt
from collections import Counter

import pytest
from django.db import transaction

from netweave.demo.meetings import DEVELOPMENT_BANK, load_meetings
from netweave.demo.services import load_demo
from netweave.meetings.models import ActionItem, Attendance, Meeting
from netweave.networks.models import Network

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def test_water_network_meets_every_quarter_from_2010_to_2016(demo):
    """Twenty-eight quarterly meetings in Dushanbe, each hosted by a member."""
    regular = Meeting.objects.filter(
        network__slug="water-sanitation", kind="regular", start__year__lte=2016
    )
    titles = set(regular.values_list("title", flat=True))
    assert len(titles) == 28
    assert {"Network meeting Q1 2010", "Network meeting Q4 2016"} <= titles
    assert not regular.filter(host__isnull=True).exists()
    assert set(regular.values_list("time_zone", flat=True)) == {"Asia/Dushanbe"}


def test_special_event_of_21_july_2015(demo):
    """The bank presents its poverty diagnostic and asks for coordinated feedback; many come."""
    event = Meeting.objects.get(network__slug="water-sanitation", kind="special_event")
    assert event.start.astimezone(dt.timezone(dt.timedelta(hours=5))).date() == dt.date(2015, 7, 21)
    assert event.host.name == DEVELOPMENT_BANK
    kinds = {item.kind: item for item in event.agenda.all()}
    assert "Poverty Diagnostic" in kinds["presentation"].title
    assert kinds["presentation"].presenter_organisation.name == DEVELOPMENT_BANK
    assert "consultation" in kinds
    regular = Meeting.objects.filter(
        network__slug="water-sanitation", kind="regular", start__year__lte=2016
    )
    most = max(m.attendance.count() for m in regular)
    assert event.attendance.count() > most


def test_attendance_is_skewed_and_grows(demo):
    """A core of organisations comes often, many only now and then; meetings grow."""
    water = Network.objects.get(slug="water-sanitation")
    per_org = Counter(
        Attendance.objects.filter(meeting__network=water, meeting__kind="regular").values_list(
            "organisation_id", flat=True
        )
    )
    counts = sorted(per_org.values(), reverse=True)
    assert counts[0] >= 20 and counts[-1] <= 5
    first = Meeting.objects.get(network=water, title="Network meeting Q1 2010")
    last = Meeting.objects.get(network=water, title="Network meeting Q4 2016")
    assert last.attendance.count() > first.attendance.count()


def test_minutes_decisions_and_actions_with_a_few_overdue(demo):
    """Meetings have minutes and decisions; most actions are done, a few open and overdue."""
    water = Network.objects.get(slug="water-sanitation")
    meeting = Meeting.objects.get(network=water, title="Network meeting Q3 2014")
    assert meeting.minutes.published and meeting.decisions.exists()
    actions = ActionItem.objects.filter(network=water)
    assert actions.filter(status="done").count() > actions.count() / 2
    assert 1 <= actions.overdue().count() <= 10
    assert (
        meeting.agenda.filter(kind="follow_up").exists()
        or Meeting.objects.filter(network=water, agenda__kind="follow_up").exists()
    )


def test_food_network_coffee_meetings_turn_into_roundtables(demo):
    """Coffee meetings of four to eight people in 2011–2012, roundtables 2013, regular from 2014."""
    food = Meeting.objects.filter(network__slug="food-security")
    years = {
        kind: set(food.filter(kind=kind).values_list("start__year", flat=True))
        for kind in ("coffee", "roundtable", "regular")
    }
    assert years == {"coffee": {2011, 2012}, "roundtable": {2013}, "regular": {2014, 2015, 2016}}
    sizes = {m.attendance.count() for m in food.filter(kind="coffee")}
    assert min(sizes) >= 4 and max(sizes) <= 8


def test_loading_again_adds_nothing(demo):
    """A second load finds every meeting by title and adds none."""
    before = Attendance.objects.count()
    assert [load_meetings(n) for n in Network.objects.order_by("slug")] == [0, 0]
    assert Attendance.objects.count() == before


def test_water_network_plans_its_next_meeting_with_offers(demo):
    """The next meeting is planned, with members' offers for the agenda builder to choose from."""
    meeting = Meeting.objects.get(network__slug="water-sanitation", title="Network meeting Q1 2027")
    offers = meeting.offers.filter(status="proposed")
    assert offers.count() == 6
    assert all(offer.topics.exists() for offer in offers)


def test_water_network_has_its_task_groups(demo):
    """The five task groups of the seed, each with a lead and members who share its topic."""
    from netweave.governance.models import TaskGroup

    groups = TaskGroup.objects.filter(network__slug="water-sanitation")
    assert set(groups.values_list("name", flat=True)) == {
        "Legislation",
        "Tariffs",
        "Operation and maintenance",
        "Monitoring and evaluation indicators",
        "Local and national planning",
    }
    for group in groups:
        assert group.members.count() >= 3
