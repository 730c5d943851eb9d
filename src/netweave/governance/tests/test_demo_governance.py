"""The demo's governance: requests behind the task groups, deliverables, a steering committee."""

import datetime as dt

import pytest
from django.utils import timezone

from netweave.demo.meetings import load_governance_meetings
from netweave.demo.services import load_demo
from netweave.governance.models import Body, Deliverable, MemberRequest, TaskGroup
from netweave.governance.services import body_balance, meetings_quorum
from netweave.meetings.models import Meeting

pytestmark = pytest.mark.django_db


def test_demo_loads_governance_once():
    """Five accepted requests led to the five groups; the ministry chairs; the committee and
    the groups have their meetings; a rerun adds nothing and links what was unlinked."""
    load_demo()
    accepted = MemberRequest.objects.filter(status="accepted").select_related("task_group")
    assert {r.task_group.name for r in accepted} == set(
        TaskGroup.objects.values_list("name", flat=True)
    )
    assert len(accepted) == 5
    statuses = set(MemberRequest.objects.values_list("status", flat=True))
    assert statuses == {"open", "accepted", "answered", "declined"}
    latest = max(MemberRequest.objects.values_list("created", flat=True))
    assert latest.date() <= dt.date(2026, 11, 1)
    assert Deliverable.objects.filter(status="done").count() == 4
    body = Body.objects.get(name="Steering committee")
    balance = body_balance(body, on=dt.date(2026, 6, 1))
    assert balance.chair.organisation.name == "Ministry of Energy and Water Resources"
    assert balance.seat_count >= 5 and balance.quorum_possible
    counts = (MemberRequest.objects.count(), Deliverable.objects.count(), body.seats.count())
    load_demo()
    assert counts == (
        MemberRequest.objects.count(),
        Deliverable.objects.count(),
        body.seats.count(),
    )

    # The steering committee's and the task groups' meetings belong to them.
    network = body.network
    steering = Meeting.objects.filter(network=network, kind="steering")
    assert steering.count() == 7 and not steering.filter(body__isnull=True).exists()
    held = [q for q in meetings_quorum(body, steering.order_by("start")) if q.held]
    assert len(held) >= 6
    assert any(q.met for q in held) and any(not q.met for q in held)
    for group in TaskGroup.objects.filter(network=network):
        meetings = group.meetings.filter(kind="task_group")
        assert meetings.count() >= 4
        past = meetings.filter(start__lt=timezone.now())
        assert all(meeting.attendance.exists() for meeting in past)
    assert not Meeting.objects.filter(
        network=network, kind="task_group", task_group__isnull=True
    ).exists()

    # Meetings loaded before meetings had owners are linked by a later run, adding none.
    Meeting.objects.filter(network=network, kind__in=["steering", "task_group"]).update(
        body=None, task_group=None
    )
    count = Meeting.objects.count()
    assert load_governance_meetings(network) == 0
    assert Meeting.objects.count() == count
    assert not Meeting.objects.filter(network=network, kind="steering", body=None).exists()
    assert not Meeting.objects.filter(network=network, kind="task_group", task_group=None).exists()
