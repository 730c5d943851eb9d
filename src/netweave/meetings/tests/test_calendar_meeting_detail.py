import datetime as dt

import icalendar
import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from netweave.directory.models import Person
from netweave.meetings.models import Attendance, Registration
from netweave.meetings.tests.factories import AttendanceFactory, MeetingFactory
from netweave.meetings.tests.factories_calendar import InvitationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2030, 7, 21, 3, tzinfo=dt.UTC)  # 08:00 in Dushanbe


def url(meeting, name="meetings:detail"):
    return reverse(name, kwargs={"network": meeting.network.slug, "uid": meeting.uid})


def test_members_only_meeting_hidden_without_role(personas, client):
    """A members-only meeting of a public network is missing (404) for people without a role."""
    personas.network.visibility = "public"
    personas.network.save()
    meeting = MeetingFactory(network=personas.network, visibility="members")
    assert client.get(url(meeting)).status_code == 404
    client.force_login(personas.charlie)
    assert client.get(url(meeting)).status_code == 404
    assert client.get(url(meeting, "meetings:event")).status_code == 404
    client.force_login(personas.olga)
    assert client.get(url(meeting)).status_code == 200


def test_meeting_of_other_network_is_404(personas, client):
    """A facilitator of another network cannot open this network's meeting."""
    meeting = MeetingFactory(network=personas.network)
    client.force_login(personas.frank)
    assert client.get(url(meeting)).status_code == 404


@time_machine.travel(dt.datetime(2030, 7, 1, tzinfo=dt.UTC), tick=False)
def test_details_on_both_clocks_and_counts(personas, client):
    """The page shows the meeting's own time, the viewer's, the host and the counts."""
    meeting = MeetingFactory(
        network=personas.network,
        start=START,
        end=START + dt.timedelta(hours=3),
        host=personas.org_a,
        languages="tg, ru, en",
        venue="Hyatt",
    )
    InvitationFactory.create_batch(3, meeting=meeting)
    RegistrationFactory.create_batch(2, meeting=meeting, response="yes")
    RegistrationFactory(meeting=meeting, response="maybe")
    AttendanceFactory(meeting=meeting, invited=False)
    client.force_login(personas.olga)
    response = client.get(url(meeting))
    counts = response.context["counts"]
    assert (counts["invited"], counts["yes"], counts["maybe"], counts["no"]) == (3, 2, 1, 0)
    assert (counts["attended"], counts["uninvited"]) == (1, 1)
    text = response.text
    assert "08:00–11:00 (Asia/Dushanbe" in text  # the meeting's clock
    assert "03:00–06:00 (UTC)" in text  # the viewer's (server) clock without JavaScript
    assert "Alpha Water Institute (AWI)" in text and "tg, ru, en" in text
    assert "Open until the meeting starts." in text


def test_room_clash_flag_visible(personas, client):
    """A meeting sharing its venue at an overlapping time shows a room-clash warning."""
    meeting = MeetingFactory(network=personas.network, start=START, venue="Hall B")
    other = MeetingFactory(
        network=personas.network,
        title="Task group",
        start=START + dt.timedelta(hours=1),
        venue="Hall B",
    )
    client.force_login(personas.olga)
    response = client.get(url(meeting))
    assert "Room clash" in response.text and other.title in response.text


@time_machine.travel(dt.datetime(2030, 7, 1, tzinfo=dt.UTC), tick=False)
def test_register_form_limited_to_whom_user_may_register(personas, client):
    """A focal point's form offers their organisation's people; an observer gets no form."""
    meeting = MeetingFactory(network=personas.network, start=START)
    client.force_login(personas.alice)
    form = client.get(url(meeting)).context["registration_form"]
    assert list(form.fields["person"].queryset) == [personas.person_a]
    client.force_login(personas.olga)
    assert client.get(url(meeting)).context["registration_form"] is None


def test_event_ics_downloads_and_parses(personas, client):
    """The .ics download is text/calendar and holds the meeting with its stable UID."""
    meeting = MeetingFactory(network=personas.network, start=START, title="Quarterly")
    client.force_login(personas.olga)
    response = client.get(url(meeting, "meetings:event"))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"{meeting.uid}@netweave"
    assert str(event["SUMMARY"]) == "Quarterly"
    assert event.decoded("DTSTART") == START


def _bulk_attendance(meeting, count):
    people = Person.objects.bulk_create(
        Person(name=f"P {i}", name_key=f"p {i}", organisation=meeting.host) for i in range(count)
    )
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, person=p, organisation=meeting.host) for p in people
    )
    Registration.objects.bulk_create(
        Registration(meeting=meeting, person=p, response="yes") for p in people
    )


def _queries(client, address):
    # each page as first seen: its cached parts and the meetings' clock are built anew
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


@time_machine.travel(dt.datetime(2030, 7, 1, tzinfo=dt.UTC), tick=False)
def test_detail_query_count_constant(personas, client, django_assert_max_num_queries):
    """The meeting page reads as many queries with 5 as with 200 attendance rows."""
    small = MeetingFactory(network=personas.network, start=START, host=personas.org_a)
    large = MeetingFactory(network=personas.network, start=START, host=personas.org_a)
    _bulk_attendance(small, 5)
    _bulk_attendance(large, 200)
    client.force_login(personas.fiona)
    # Calendar part: session, user, network, meeting with host, roles, the user's person,
    # clashes, invited count, answers, attendance counts, registration people,
    # registrations table; plus what the agenda and follow-up sections read.
    assert _queries(client, url(small)) == _queries(client, url(large))
    with django_assert_max_num_queries(40):
        client.get(url(large))
