import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from netweave.directory.models import Person
from netweave.directory.tests.bulk import bulk_members
from netweave.directory.tests.factories import OrganisationFactory, PersonFactory
from netweave.meetings import services
from netweave.meetings.models import Attendance, Invitation, Registration
from netweave.meetings.tests.factories import MeetingFactory
from netweave.meetings.tests.factories_day import bulk_expected

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(personas):
    return MeetingFactory(network=personas.network, title="Quarterly meeting")


def url(meeting, name="meetings:checkin", **extra):
    return reverse(name, kwargs={"network": meeting.network.slug, "uid": meeting.uid, **extra})


def test_facilitator_sees_expected_people_and_can_search(client, personas, meeting):
    """The list holds the invited and those registered yes or maybe, not those who said no."""
    refuser = PersonFactory(name="Nadia No", organisation=personas.org_b)
    Invitation.objects.create(meeting=meeting, person=personas.person_a)
    Registration.objects.create(meeting=meeting, person=personas.person_b, response="maybe")
    Registration.objects.create(meeting=meeting, person=refuser, response="no")
    client.force_login(personas.fiona)
    page = client.get(url(meeting)).content.decode()
    assert "Anna Alpha" in page and "Boris Beta" in page and "Nadia No" not in page
    found = client.get(url(meeting), {"q": "beta"}).content.decode()
    assert "Boris Beta" in found and "Anna Alpha" not in found


@pytest.mark.parametrize(("who", "status"), [("alice", 403), ("olga", 403), ("charlie", 404)])
def test_only_facilitators_run_the_check_in(client, personas, meeting, who, status):
    """Focal points and observers are refused (403), outsiders do not see the meeting (404)."""
    client.force_login(getattr(personas, who))
    assert client.get(url(meeting)).status_code == status
    toggle = url(meeting, "meetings:checkin_toggle", person=personas.person_a.uid)
    assert client.post(toggle).status_code == status
    assert not Attendance.objects.exists()


def test_tick_checks_in_and_a_second_tick_undoes_it(client, personas, meeting):
    """A tick records attendance from the check-in, invited; ticking again removes it."""
    Invitation.objects.create(meeting=meeting, person=personas.person_a)
    client.force_login(personas.fiona)
    toggle = url(meeting, "meetings:checkin_toggle", person=personas.person_a.uid)
    assert client.post(toggle).status_code == 302
    attendance = Attendance.objects.get()
    assert (attendance.person, attendance.source, attendance.invited) == (
        personas.person_a,
        "check_in",
        True,
    )
    assert attendance.checked_in_at is not None
    client.post(toggle)
    assert not Attendance.objects.exists()


def test_htmx_tick_returns_only_the_row(client, personas, meeting):
    """With htmx the answer is the person's row, ticked."""
    Invitation.objects.create(meeting=meeting, person=personas.person_a)
    client.force_login(personas.fiona)
    toggle = url(meeting, "meetings:checkin_toggle", person=personas.person_a.uid)
    response = client.post(toggle, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<li class="checkin-row is-present"')
    assert "<html" not in body


def test_someone_not_invited_is_checked_in_and_flagged(client, personas, meeting):
    """A person of the network without an invitation is checked in, flagged as not invited."""
    client.force_login(personas.fiona)
    client.post(url(meeting, "meetings:checkin_toggle", person=personas.person_b.uid))
    assert Attendance.objects.get().invited is False
    page = client.get(url(meeting)).content.decode()
    assert "Boris Beta" in page and "not invited" in page


def test_person_outside_the_network_is_refused(client, personas, meeting):
    """Someone whose organisation is not in the network cannot be checked in."""
    stranger = PersonFactory(organisation=OrganisationFactory())
    client.force_login(personas.fiona)
    client.post(url(meeting, "meetings:checkin_toggle", person=stranger.uid))
    assert not Attendance.objects.exists()


def test_everyone_registered_yes_is_checked_in_at_once(client, personas, meeting):
    """The bulk check-in takes registrations "yes" only and keeps who was invited."""
    maybe = PersonFactory(organisation=personas.org_b)
    Registration.objects.create(meeting=meeting, person=personas.person_a, response="yes")
    Registration.objects.create(meeting=meeting, person=personas.person_b, response="yes")
    Registration.objects.create(meeting=meeting, person=maybe, response="maybe")
    Invitation.objects.create(meeting=meeting, person=personas.person_a)
    client.force_login(personas.fiona)
    client.post(url(meeting, "meetings:checkin_registered"))
    rows = {a.person: a for a in Attendance.objects.all()}
    assert set(rows) == {personas.person_a, personas.person_b}
    assert rows[personas.person_a].invited and not rows[personas.person_b].invited
    assert {a.source for a in rows.values()} == {"registration"}
    assert services.check_in_registered(meeting) == 0  # a second run adds nobody


def test_walk_in_is_created_and_checked_in(client, personas, meeting):
    """A new person (name and organisation) is created and checked in as not invited."""
    client.force_login(personas.fiona)
    response = client.post(
        url(meeting, "meetings:checkin_add"), {"name": "Walter Walkin", "organisation": "awi"}
    )
    assert response.status_code == 302
    person = Person.objects.get(name="Walter Walkin")
    assert person.organisation == personas.org_a
    assert Attendance.objects.get(person=person).invited is False


def test_walk_in_from_outside_organisation_is_refused(client, personas, meeting):
    """An organisation outside the network is a field error and nothing is saved."""
    outside = OrganisationFactory(slug="outside")
    client.force_login(personas.fiona)
    response = client.post(
        url(meeting, "meetings:checkin_add"), {"name": "Olaf Out", "organisation": outside.slug}
    )
    assert response.status_code == 400
    assert "organisation" in response.context["form"].errors
    assert not Person.objects.filter(name="Olaf Out").exists()
    assert not Attendance.objects.exists()


def test_add_page_finds_people_of_the_network(client, personas, meeting):
    """Searching the add page lists people of member organisations who are not checked in."""
    client.force_login(personas.fiona)
    page = client.get(url(meeting, "meetings:checkin_add"), {"q": "anna"}).content.decode()
    assert "Anna Alpha" in page


def test_csrf_is_enforced(personas, meeting):
    """A check-in without the CSRF token is refused."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.fiona)
    toggle = url(meeting, "meetings:checkin_toggle", person=personas.person_a.uid)
    assert client.post(toggle).status_code == 403
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("count", [10, 500])
def test_check_in_page_query_count_is_constant(
    client, personas, meeting, django_assert_num_queries, count
):
    """The check-in page costs the same queries for 10 and 500 expected people."""
    orgs = bulk_members(personas.network, count, people_per_org=1)
    bulk_expected(meeting, list(Person.objects.filter(organisation__in=orgs)), present=False)
    client.force_login(personas.fiona)
    # 8 queries: session, user, network, roles, meeting, people page, attendance count,
    # registered-yes-not-present count
    with django_assert_num_queries(8):
        response = client.get(url(meeting))
    assert response.status_code == 200
    assert len(response.context["people"]) == min(count, 200)


def test_meeting_dates_are_not_needed_for_check_in(client, personas):
    """A meeting of any date can be checked in (late sign-in sheets are common)."""
    old = MeetingFactory(network=personas.network, start=dt.datetime(2010, 1, 5, tzinfo=dt.UTC))
    client.force_login(personas.fiona)
    client.post(url(old, "meetings:checkin_toggle", person=personas.person_a.uid))
    assert Attendance.objects.filter(meeting=old).count() == 1
