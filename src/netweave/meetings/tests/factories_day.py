"""Factories and bulk helpers for the meeting day: decisions, action items, many attendees."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from netweave.directory.models import Person
from netweave.meetings.models import (
    ActionItem,
    Attendance,
    Decision,
    Invitation,
    Meeting,
    Registration,
)
from netweave.meetings.tests.factories import MeetingFactory


class DecisionFactory(DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"Decision {n}")
    position = factory.Sequence(lambda n: n + 1)


class ActionItemFactory(DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory)
    network = factory.LazyAttribute(lambda a: a.meeting.network)
    title = factory.Sequence(lambda n: f"Action {n}")
    status = "open"


def bulk_expected(meeting: Meeting, people: list[Person], *, present: bool = True) -> None:
    """Invite and register "yes" every one of ``people``; check them in when ``present``."""
    Invitation.objects.bulk_create(Invitation(meeting=meeting, person=p) for p in people)
    Registration.objects.bulk_create(
        Registration(meeting=meeting, person=p, response="yes") for p in people
    )
    if present:
        Attendance.objects.bulk_create(
            Attendance(meeting=meeting, person=p, organisation_id=p.organisation_id) for p in people
        )
