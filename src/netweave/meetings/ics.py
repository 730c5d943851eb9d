"""iCalendar (RFC 5545) for meetings: invitations and calendar feeds, built with ``icalendar``.

Times carry the meeting's own time zone (TZID, with its VTIMEZONE) so that a calendar shows
them right on both sides of a daylight-saving change; a zone the library cannot describe
falls back to UTC. The UID is stable per meeting, so a re-sent invitation or a refreshed
feed updates the event instead of adding another.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from email.utils import parseaddr
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone

from netweave.directory.models import Person
from netweave.meetings.models import Meeting

PRODID = "-//Netweave//Meetings//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def event_uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@netweave"


def _organizer() -> icalendar.vCalAddress:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = icalendar.vCalAddress(f"mailto:{address or 'netweave@localhost'}")
    if name:
        organizer.params["CN"] = icalendar.vText(name)
    return organizer


def _local(moment: dt.datetime, time_zone: str) -> dt.datetime:
    return moment.astimezone(ZoneInfo(time_zone))


def event(meeting: Meeting, *, attendee: Person | None = None) -> icalendar.Event:
    """One VEVENT for ``meeting`` (its network must be loaded)."""
    ev = icalendar.Event()
    ev.add("uid", event_uid(meeting))
    ev.add("dtstamp", timezone.now().astimezone(dt.UTC))
    ev.add("dtstart", _local(meeting.start, meeting.time_zone))
    ev.add("dtend", _local(meeting.end, meeting.time_zone))
    ev.add("summary", meeting.title)
    ev.add("sequence", 0)
    if meeting.modified:
        ev.add("last-modified", meeting.modified.astimezone(dt.UTC))
    url = settings.SITE_URL + meeting.get_absolute_url()
    ev.add("url", url)
    location = meeting.venue or meeting.online_url
    if location:
        ev.add("location", location)
    description = "\n\n".join(
        part for part in (meeting.description, meeting.online_url, url) if part
    )
    ev.add("description", description)
    ev.add("categories", [meeting.get_kind_display()])
    ev.add("class", "PUBLIC" if meeting.visibility == "public" else "PRIVATE")
    ev.add("organizer", _organizer())
    if attendee is not None and attendee.email:
        address = icalendar.vCalAddress(f"mailto:{attendee.email}")
        address.params["CN"] = icalendar.vText(attendee.name)
        address.params["ROLE"] = icalendar.vText("REQ-PARTICIPANT")
        address.params["PARTSTAT"] = icalendar.vText("NEEDS-ACTION")
        address.params["RSVP"] = icalendar.vText("FALSE")
        ev.add("attendee", address)
    return ev


def calendar(
    meetings: Iterable[Meeting], *, name: str = "", method: str | None = None
) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    for meeting in meetings:
        cal.add_component(event(meeting))
    cal.add_missing_timezones()
    return cal


def meeting_ics(meeting: Meeting) -> bytes:
    """The meeting alone, to download and open in a calendar."""
    return calendar([meeting], method="PUBLISH").to_ical()


def invitation(meeting: Meeting, person: Person) -> bytes:
    """The .ics attached to an invitation: METHOD:REQUEST with the invitee as attendee."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "REQUEST")
    cal.add_component(event(meeting, attendee=person))
    cal.add_missing_timezones()
    return cal.to_ical()


def feed(meetings: Iterable[Meeting], *, name: str) -> bytes:
    """A subscribable feed of ``meetings``."""
    return calendar(meetings, name=name, method="PUBLISH").to_ical()
