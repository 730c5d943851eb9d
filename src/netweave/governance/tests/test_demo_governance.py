"""The demo's governance: requests behind the task groups, deliverables, a steering committee."""

import datetime as dt

import pytest

from netweave.demo.services import load_demo
from netweave.governance.models import Body, Deliverable, MemberRequest, TaskGroup
from netweave.governance.services import body_balance

pytestmark = pytest.mark.django_db


def test_demo_loads_governance_once():
    """Five accepted requests led to the five groups; the ministry chairs; a rerun adds nothing."""
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
