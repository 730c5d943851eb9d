"""Writes that create meetings and record who attended."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netweave.meetings.models import Attendance, AttendanceSource, Meeting
from netweave.networks.models import Membership, Network

__all__ = ["MEETING_FIELDS", "create_meeting", "record_attendance", "update_meeting"]

MEETING_FIELDS = (
    "title",
    "kind",
    "start",
    "end",
    "time_zone",
    "venue",
    "online_url",
    "host",
    "languages",
    "visibility",
    "confidentiality",
    "description",
)


def _validate_meeting(meeting: Meeting) -> None:
    try:
        ZoneInfo(meeting.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            {"time_zone": _("Unknown time zone “%(tz)s”.") % {"tz": meeting.time_zone}}
        ) from None
    meeting.full_clean(exclude=["uid"], validate_unique=False, validate_constraints=False)
    if (
        meeting.host_id is not None
        and not Membership.objects.filter(
            network_id=meeting.network_id, organisation_id=meeting.host_id
        ).exists()
    ):
        raise ValidationError({"host": _("The host must be a member organisation of the network.")})


@transaction.atomic
def create_meeting(network: Network, data: dict[str, Any], *, acting_user: Any = None) -> Meeting:
    meeting = Meeting(network=network)
    for key in MEETING_FIELDS:
        if key in data:
            setattr(meeting, key, data[key])
    _validate_meeting(meeting)
    meeting.save()
    return meeting


@transaction.atomic
def update_meeting(meeting: Meeting, data: dict[str, Any], *, acting_user: Any = None) -> Meeting:
    for key in MEETING_FIELDS:
        if key in data:
            setattr(meeting, key, data[key])
    _validate_meeting(meeting)
    meeting.save()
    return meeting


@transaction.atomic
def record_attendance(
    meeting: Meeting,
    person: Any,
    *,
    organisation: Any = None,
    source: str = AttendanceSource.CHECK_IN,
    invited: bool = True,
    at: dt.datetime | None = None,
    acting_user: Any = None,
) -> tuple[Attendance, bool]:
    """Record that ``person`` attended; recording twice changes nothing.

    Returns the attendance and whether it is new. The organisation defaults to the one the
    person works for now, kept with the attendance so later moves do not rewrite history.
    """
    existing = Attendance.objects.filter(meeting=meeting, person=person).first()
    if existing is not None:
        return existing, False
    attendance = Attendance.objects.create(
        meeting=meeting,
        person=person,
        organisation=organisation if organisation is not None else person.organisation,
        source=source,
        invited=invited,
        checked_in_at=at or (timezone.now() if source == AttendanceSource.CHECK_IN else None),
    )
    return attendance, True
