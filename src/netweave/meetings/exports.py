"""The meetings' exportable lists: meetings, and attendance in the import's columns."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tablib
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from netweave.core.access import NetworkAccess
from netweave.core.exports import dataset, register
from netweave.meetings.models import Attendance, Meeting, MeetingVisibility
from netweave.networks.models import Network

MEETING_COLUMNS = ("title", "kind", "start", "end", "time_zone", "venue", "host")
# Exactly the columns of the attendance import, so that an export imports again.
ATTENDANCE_COLUMNS = ("person", "organisation", "meeting", "date")


def _local(moment: dt.datetime, time_zone: str) -> dt.datetime:
    """``moment`` on the meeting's own clock (UTC when its zone is unknown)."""
    try:
        return moment.astimezone(ZoneInfo(time_zone))
    except (ZoneInfoNotFoundError, ValueError):
        return moment.astimezone(dt.UTC)


def visible_meetings(network: Network, access: NetworkAccess) -> QuerySet:
    """Meetings of ``network`` the user may read: all for members, public ones otherwise."""
    meetings = Meeting.objects.filter(network=network)
    if access.has_role:
        return meetings
    return meetings.filter(visibility=MeetingVisibility.PUBLIC)


def meetings_export(network: Network, user: Any, access: NetworkAccess) -> tablib.Dataset:
    meetings = visible_meetings(network, access).select_related("host").order_by("start", "pk")
    return dataset(
        MEETING_COLUMNS,
        (
            [
                m.title,
                m.kind,
                _local(m.start, m.time_zone).isoformat(),
                _local(m.end, m.time_zone).isoformat(),
                m.time_zone,
                m.venue,
                m.host.name if m.host else "",
            ]
            for m in meetings.iterator(chunk_size=1000)
        ),
    )


def attendance_export(network: Network, user: Any, access: NetworkAccess) -> tablib.Dataset:
    """Who attended which meeting: for members, and of people they may see listed.

    The date is the meeting's day on its own clock, as the attendance import reads it.
    """
    if not access.has_role:
        raise PermissionDenied
    attendance = Attendance.objects.filter(meeting__network=network)
    if not access.is_facilitator:
        attendance = attendance.filter(
            Q(person__consent_listed=True) | Q(person__organisation_id__in=access.focal_org_ids)
        )
    attendance = attendance.select_related("person", "organisation", "meeting").order_by(
        "meeting__start", "meeting__pk", "person__name", "pk"
    )
    return dataset(
        ATTENDANCE_COLUMNS,
        (
            [
                a.person.name,
                a.organisation.name if a.organisation else "",
                a.meeting.title,
                _local(a.meeting.start, a.meeting.time_zone).date().isoformat(),
            ]
            for a in attendance.iterator(chunk_size=1000)
        ),
    )


register("meetings", label=_("Meetings"), app="meetings", build=meetings_export)
register("attendance", label=_("Attendance"), app="meetings", build=attendance_export)
