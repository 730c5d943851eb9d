import datetime as dt

import pytest
import time_machine

from netweave.core.access import get_access
from netweave.meetings import services
from netweave.meetings.models import AgendaItem
from netweave.meetings.tests.factories import AttendanceFactory, MeetingFactory
from netweave.meetings.tests.factories_day import ActionItemFactory
from netweave.meetings.views.day import followup_context

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2020, 6, 1, 12, tzinfo=dt.UTC)


def at(days: int) -> dict:
    start = NOW + dt.timedelta(days=days)
    return {"start": start, "end": start + dt.timedelta(hours=3)}


@pytest.fixture
def meetings(personas):
    net = personas.network
    return (
        MeetingFactory(network=net, title="Past", **at(-30)),
        MeetingFactory(network=net, title="Next", **at(10)),
        MeetingFactory(network=net, title="After", **at(100)),
    )


@time_machine.travel(NOW, tick=False)
def test_open_actions_of_earlier_meetings_come_back_once(meetings, personas):
    """Open actions of an earlier meeting become follow-up items of the next one, once."""
    past, upcoming, _after = meetings
    open_one = ActionItemFactory(meeting=past, title="Draft ToR", owner_organisation=personas.org_a)
    ActionItemFactory(meeting=past, title="Closed", status="done")
    added = services.sync_follow_ups(upcoming)
    assert [(i.kind, i.action_item, i.title) for i in added] == [
        ("follow_up", open_one, "Follow-up: Draft ToR")
    ]
    assert added[0].presenter_organisation == personas.org_a
    assert services.sync_follow_ups(upcoming) == []
    assert AgendaItem.objects.filter(meeting=upcoming).count() == 1


@time_machine.travel(NOW, tick=False)
def test_only_the_next_meeting_gets_the_follow_up(meetings):
    """A later meeting leaves an action to the sooner one that already follows it up."""
    past, upcoming, after = meetings
    ActionItemFactory(meeting=past)
    services.sync_follow_ups(upcoming)
    assert services.sync_follow_ups(after) == []


@time_machine.travel(NOW, tick=False)
def test_a_meeting_that_is_over_keeps_its_agenda(meetings, personas):
    """The agenda of a past meeting is history: no follow-up is added to it."""
    past = meetings[0]
    older = MeetingFactory(network=personas.network, **at(-200))
    ActionItemFactory(meeting=older)
    assert services.sync_follow_ups(past) == []


@time_machine.travel(NOW, tick=False)
def test_new_action_goes_on_the_next_meetings_agenda(meetings, personas):
    """Recording an action at a meeting puts it on the next planned meeting's agenda."""
    past, upcoming, after = meetings
    action = services.create_action_item(
        past, {"title": "Map latrines", "owner_organisation": personas.org_b}
    )
    assert AgendaItem.objects.get(action_item=action).meeting == upcoming


@time_machine.travel(NOW, tick=False)
def test_meeting_page_context_for_facilitator_and_member(meetings, personas):
    """Facilitators' page brings follow-ups in and flags walk-ins; members see decisions."""
    past, upcoming, _after = meetings
    ActionItemFactory(meeting=past, owner_organisation=personas.org_a)
    AttendanceFactory(meeting=upcoming, person=personas.person_b, invited=False)
    member = followup_context(upcoming, get_access(personas.alice, personas.network))["followup"]
    assert member["follow_ups"] == [] and "uninvited" not in member
    context = followup_context(upcoming, get_access(personas.fiona, personas.network))["followup"]
    assert context["attendance_count"] == 1
    assert [a.person for a in context["uninvited"]] == [personas.person_b]
    assert len(context["follow_ups"]) == 1


@time_machine.travel(NOW, tick=False)
def test_closed_action_shows_as_done_in_follow_up(client, meetings, personas):
    """A follow-up whose action is closed shows as done on the meeting page section."""
    from django.template.loader import render_to_string

    past, upcoming, _after = meetings
    action = ActionItemFactory(meeting=past, title="Publish the map")
    services.sync_follow_ups(upcoming)
    services.set_action_status(action, "done")
    access = get_access(personas.fiona, personas.network)
    html = render_to_string(
        "meetings/_followup_section.html",
        {"network": personas.network, "meeting": upcoming, **followup_context(upcoming, access)},
    )
    assert "Publish the map — <strong>done</strong>" in html
