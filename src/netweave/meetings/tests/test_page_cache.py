"""The meetings pages' cached parts (``core.pagecache``): the list, the month and a meeting.

A page seen again is served from its cached parts with only the queries of the layout and
of the live parts (the registration form, the calendar feeds); a change of the network's
data shows at once; a meeting starting or ending changes the pages through the meetings'
clock, without any change of data; and no user is shown another user's cached parts.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.base import SessionBase
from django.db import connection
from django.shortcuts import render
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from netweave.core.access import get_access
from netweave.directory.models import Person
from netweave.meetings.forms import RegistrationForm
from netweave.meetings.models import AgendaItem, Meeting
from netweave.meetings.tests.factories import AttendanceFactory, MeetingFactory
from netweave.meetings.tests.factories_calendar import RegistrationFactory
from netweave.meetings.tests.factories_day import ActionItemFactory, bulk_expected
from netweave.meetings.views.calendar import _detail_context
from netweave.networks.stats import data_version

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2031, 3, 4, 12, tzinfo=dt.UTC)
# On a hit: session, user (the network, the roles and the meeting come from the cache too),
# and the live parts. The list and the month: the user's person (the calendar feeds). A
# meeting: the people the user may register, the user's own person and answer (the form's
# first values); no form, no such query.
HIT = {"list": 3, "month": 3, "detail": 4}
# On a miss, whatever the number of meetings, registrations and attendance: the list adds
# the meetings' clock, count, page and room clashes; the month the meetings of the grid.
MISS = {"list": 9, "month": 6, "detail": 23}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def calendar_url(network, **params):
    from urllib.parse import urlencode

    base = reverse("meetings:calendar", kwargs={"network": network.slug})
    return base + ("?" + urlencode(params) if params else "")


def detail_url(meeting):
    return reverse("meetings:detail", kwargs={"network": meeting.network.slug, "uid": meeting.uid})


def page(response):
    """The page without its CSRF tokens, which are new at every request."""
    return CSRF.sub("", response.text)


def get(client, address):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return response, [query["sql"] for query in queries.captured_queries]


def at(minutes, hours=2, **fields):
    start = NOW + dt.timedelta(minutes=minutes)
    return {"start": start, "end": start + dt.timedelta(hours=hours), **fields}


def _network_with(personas, count):
    """``count`` meetings in March, the first upcoming with ``count`` people invited,
    registered and present."""
    net = personas.network
    meetings = [
        MeetingFactory(network=net, venue="Hall", **at(60 * 24 * (i - count // 2)))
        for i in range(count)
    ]
    target = meetings[count // 2 + 1]
    people = Person.objects.bulk_create(
        Person(name=f"P {i}", name_key=f"p {i}", organisation=personas.org_a) for i in range(count)
    )
    bulk_expected(target, people)
    return target


def _address(personas, view, meeting):
    if view == "list":
        return calendar_url(personas.network)
    if view == "month":
        return calendar_url(personas.network, view="month", month="2031-03")
    return detail_url(meeting)


# A second request -------------------------------------------------------------------------
@pytest.mark.parametrize("count", [3, 40])
@pytest.mark.parametrize("view", ["list", "month", "detail"])
def test_a_page_seen_again_comes_from_the_cache(
    personas, client, clock, django_assert_max_num_queries, view, count
):
    """The same page again, with the layout's and the live parts' queries only; the first
    request reads as many queries with 3 meetings and people as with 40."""
    meeting = _network_with(personas, count)
    client.force_login(personas.fiona)
    address = _address(personas, view, meeting)
    first, miss = get(client, address)
    assert len(miss) == MISS[view]
    with django_assert_max_num_queries(HIT[view]) as hit:
        second = client.get(address)
    assert page(second) == page(first)
    # the calendar feeds' person comes with their feed token: not a meeting
    read = [
        sql
        for sql in (q["sql"].replace('"meetings_feedtoken"', "") for q in hit.captured_queries)
        if '"meetings_' in sql
    ]
    if view == "detail":  # the viewer's own answer, for the form (the meeting is cached too)
        assert len(read) == 1 and not any("attendance" in sql for sql in read)
    else:
        assert read == []
    assert meeting.title in second.text


def test_a_meeting_seen_by_someone_who_may_not_register_reads_no_form(
    personas, client, clock, django_assert_max_num_queries
):
    """An observer linked to nobody: the meeting and the (empty) people to register."""
    meeting = MeetingFactory(network=personas.network, **at(60))
    client.force_login(personas.olga)
    first = client.get(detail_url(meeting))
    with django_assert_max_num_queries(6):
        second = client.get(detail_url(meeting))
    assert page(second) == page(first) and first.context["registration_form"] is None


# A change shows at once -------------------------------------------------------------------
def test_a_renamed_meeting_shows_at_once_in_the_list_and_the_month(personas, client, clock):
    """Renaming a meeting, or planning a new one, changes the cached list and month."""
    meeting = MeetingFactory(network=personas.network, title="Old name", **at(60))
    client.force_login(personas.olga)
    month = calendar_url(personas.network, view="month")
    assert "Old name" in client.get(calendar_url(personas.network)).text
    assert "Old name" in client.get(month).text
    meeting.title = "New name"
    meeting.save()
    MeetingFactory(network=personas.network, title="Another one", **at(120))
    for address in (calendar_url(personas.network), month):
        text = client.get(address).text
        assert "New name" in text and "Another one" in text and "Old name" not in text


def test_a_registration_and_attendance_show_at_once_on_the_meeting(personas, client, clock):
    """Registering (through the form) and checking in change the cached meeting page."""
    personas.person_a.user = personas.alice
    personas.person_a.save()
    meeting = MeetingFactory(network=personas.network, **at(60 * 24))
    client.force_login(personas.fiona)
    before = client.get(detail_url(meeting))
    assert before.context["counts"]["yes"] == 0 and "Nobody has registered yet." in before.text
    client.force_login(personas.alice)
    response = client.post(
        reverse("meetings:register", kwargs={"network": "testnet", "uid": meeting.uid}),
        {"person": personas.person_a.pk, "response": "yes"},
        follow=True,
    )
    assert "Anna Alpha registered: Yes." in response.text  # the message, outside the parts
    assert "Your answer: Yes." in response.text
    client.force_login(personas.fiona)
    after = client.get(detail_url(meeting))
    assert after.context["counts"]["yes"] == 1 and "Anna Alpha" in after.text
    assert "0 people attended." in after.text
    AttendanceFactory(meeting=meeting, person=personas.person_b)
    assert "1 person attended." in client.get(detail_url(meeting)).text


def test_follow_ups_a_facilitator_brings_in_show_to_members_at_once(personas, client, clock):
    """Opening the page, a facilitator puts earlier open actions on the agenda: a member
    whose page was cached before sees them on the next request."""
    past = MeetingFactory(network=personas.network, **at(-60 * 24 * 30))
    ActionItemFactory(meeting=past, title="Draft the terms", owner_organisation=personas.org_a)
    meeting = MeetingFactory(network=personas.network, **at(60 * 24))
    client.force_login(personas.olga)
    assert "Follow-up: Draft the terms" not in client.get(detail_url(meeting)).text
    client.force_login(personas.fiona)
    assert "Follow-up: Draft the terms" in client.get(detail_url(meeting)).text
    assert AgendaItem.objects.filter(meeting=meeting, action_item__isnull=False).count() == 1
    client.force_login(personas.olga)
    assert "Follow-up: Draft the terms" in client.get(detail_url(meeting)).text


def test_an_agenda_change_shows_at_once_with_its_timing(personas, client, clock):
    """The agenda section, read through the cached part, shows its items and an overrun;
    a new item shows on the next request."""
    meeting = MeetingFactory(network=personas.network, **at(60 * 24, hours=1))
    AgendaItem.objects.create(meeting=meeting, title="Welcome", position=0, duration_minutes=45)
    client.force_login(personas.olga)
    for _seen in range(2):  # the second from the cache
        text = client.get(detail_url(meeting)).text
        assert "Welcome" in text and "45 of 60 minutes planned" in text
        assert "The agenda runs" not in text
    AgendaItem.objects.create(meeting=meeting, title="Tariffs", position=1, duration_minutes=30)
    text = client.get(detail_url(meeting)).text
    assert "Tariffs" in text and "The agenda runs 15 minutes longer than the meeting." in text


# Time passes ------------------------------------------------------------------------------
def test_a_meeting_that_ends_moves_from_upcoming_to_past(personas, client, clock):
    """No data changes, yet the list moves a meeting to the past once it ends (the clock)."""
    MeetingFactory(network=personas.network, title="Running now", **at(-110))  # ends in 10'
    MeetingFactory(network=personas.network, title="Long ago", **at(-60 * 24 * 10))
    client.force_login(personas.olga)
    address = calendar_url(personas.network)
    assert [m.title for m in client.get(address).context["meetings"]] == ["Running now", "Long ago"]
    text = client.get(address).text  # from the cache
    assert text.index("Upcoming meetings") < text.index("Running now") < text.index("Past meetings")
    version = data_version(personas.network)
    clock.shift(dt.timedelta(minutes=11))  # well within the cached parts' lifetime
    text = client.get(address).text
    assert "Upcoming meetings" not in text
    assert text.index("Past meetings") < text.index("Running now") < text.index("Long ago")
    assert data_version(personas.network) == version


def test_registration_closes_when_the_meeting_starts_or_registration_ends(personas, client, clock):
    """The form and "open" give way to "closed" when the meeting starts, and when its
    registration closes, without any change of data."""
    starts = MeetingFactory(network=personas.network, **at(10))
    closes = MeetingFactory(
        network=personas.network,
        **at(60 * 24, registration_closes=NOW + dt.timedelta(minutes=20)),
    )
    client.force_login(personas.alice)
    for meeting in (starts, closes):
        for _seen in range(2):  # the second from the cache
            response = client.get(detail_url(meeting))
            assert response.context["registration_form"] is not None
            assert "Registration is closed." not in response.text
            assert 'class="form registration-form"' in response.text
    clock.shift(dt.timedelta(minutes=11))
    response = client.get(detail_url(starts))
    assert "Registration is closed." in response.text
    assert 'class="form registration-form"' not in response.text
    assert "Registration is closed." not in client.get(detail_url(closes)).text
    clock.shift(dt.timedelta(minutes=10))
    response = client.get(detail_url(closes))
    assert "Registration is closed." in response.text
    assert 'class="form registration-form"' not in response.text


# Users do not share parts ------------------------------------------------------------------
def test_members_only_meetings_are_not_shown_from_a_members_cache(personas, client, clock):
    """In a public network an observer sees a members-only meeting; after them, on the same
    address, someone without a role and an anonymous visitor do not."""
    personas.network.visibility = "public"
    personas.network.save()
    MeetingFactory(network=personas.network, title="Open day", visibility="public", **at(60))
    MeetingFactory(network=personas.network, title="Members talk", visibility="members", **at(90))
    for address in (
        calendar_url(personas.network),
        calendar_url(personas.network, view="month", month="2031-03"),
    ):
        client.force_login(personas.olga)
        assert "Members talk" in client.get(address).text
        client.force_login(personas.charlie)
        text = client.get(address).text
        assert "Open day" in text and "Members talk" not in text
        client.logout()
        text = client.get(address).text
        assert "Open day" in text and "Members talk" not in text


def test_registrations_are_not_shown_from_a_facilitators_cache(personas, client, clock):
    """The facilitator sees every registration; a focal point, after them, their own
    organisation's; an observer none."""
    meeting = MeetingFactory(network=personas.network, **at(60 * 24))
    RegistrationFactory(meeting=meeting, person=personas.person_a, access_needs="Ramp")
    RegistrationFactory(meeting=meeting, person=personas.person_b, access_needs="Diet")
    client.force_login(personas.fiona)
    text = client.get(detail_url(meeting)).text
    assert ">Registrations<" in text and "Anna Alpha" in text and "Diet" in text
    client.force_login(personas.alice)
    text = client.get(detail_url(meeting)).text
    assert "Registrations of your organisation" in text and "Ramp" in text
    assert "Diet" not in text
    client.force_login(personas.olga)
    text = client.get(detail_url(meeting)).text
    assert "Ramp" not in text and "Diet" not in text and "registrations-title" not in text


# What stays live --------------------------------------------------------------------------
def test_feeds_and_messages_stay_live_on_a_cached_list(personas, client, clock):
    """The feed addresses (the person, with its watched token, is kept with the page) and
    the message show at once after a reset, with the list."""
    personas.person_a.user = personas.alice
    personas.person_a.save()
    MeetingFactory(network=personas.network, title="Coffee", **at(60))
    client.force_login(personas.alice)
    address = calendar_url(personas.network)
    assert "Create my feed address" in client.get(address).text
    client.post(reverse("meetings:feed_reset", kwargs={"network": "testnet"}))
    token = personas.person_a.feed_token.token
    response = client.get(address)
    assert "Your calendar feed has a new address." in response.text
    assert token in response.text and "Reset my feed address" in response.text
    assert "Coffee" in response.text
    client.post(reverse("meetings:feed_reset", kwargs={"network": "testnet"}))
    personas.person_a.feed_token.refresh_from_db()
    text = client.get(address).text
    assert token not in text and personas.person_a.feed_token.token in text


def test_a_bound_forms_errors_are_shown_and_not_cached(personas, clock):
    """The meeting page rendered with a posted form shows its errors, live; the next
    rendering, from the cache, shows none."""
    meeting = MeetingFactory(network=personas.network, **at(60 * 24))
    meeting = Meeting.objects.select_related("host", "network", "task_group", "body").get(
        pk=meeting.pk
    )
    access = get_access(personas.alice, personas.network)

    def rendered(form=None):
        request = RequestFactory().get(detail_url(meeting))
        request.user = personas.alice
        request.session = SessionBase()
        request._messages = FallbackStorage(request)
        context = _detail_context(request, personas.network, access, meeting, form=form)
        return render(request, "meetings/meeting_detail.html", context).content.decode()

    people = Person.objects.filter(organisation=personas.org_a)
    posted = RegistrationForm({"person": personas.person_a.pk}, people=people)
    assert not posted.is_valid()
    with_errors = rendered(posted)
    assert "This field is required." in with_errors and "has-error" in with_errors
    again = rendered()
    assert "This field is required." not in again and "has-error" not in again
    assert 'class="form registration-form"' in again


# Bulk writes send no signals: the services bump the data version themselves ----------------
def test_bulk_writes_of_the_meeting_services_change_the_data_version(personas, clock):
    from netweave.meetings import services
    from netweave.meetings.tests.factories_agenda import AgendaItemFactory

    meeting = MeetingFactory(network=personas.network, **at(60))
    person = Person.objects.create(
        name="No Mail", name_key="no mail", organisation=personas.org_a, email=""
    )
    before = data_version(personas.network)
    services.invite_people(meeting, people=[person], acting_user=personas.fiona)
    assert data_version(personas.network) != before

    before = data_version(personas.network)
    RegistrationFactory(meeting=meeting, person=person)
    before = data_version(personas.network)
    assert services.check_in_registered(meeting, acting_user=personas.fiona) == 1
    assert data_version(personas.network) != before

    first = AgendaItemFactory(meeting=meeting, position=0)
    AgendaItemFactory(meeting=meeting, position=1)
    before = data_version(personas.network)
    services.move_agenda_item(first, "down", acting_user=personas.fiona)
    assert data_version(personas.network) != before
