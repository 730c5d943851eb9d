import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from netweave.directory.tests.factories import OrganisationFactory, PersonFactory
from netweave.meetings import services
from netweave.meetings.models import Attendance, Meeting

pytestmark = pytest.mark.django_db

START = dt.datetime(2015, 7, 21, 9, tzinfo=dt.UTC)


def meeting_data(**overrides):
    data = {
        "title": "Special event",
        "kind": "special_event",
        "start": START,
        "end": START + dt.timedelta(hours=4),
        "time_zone": "Asia/Dushanbe",
    }
    data.update(overrides)
    return data


def test_meeting_must_end_after_it_starts(personas):
    """End before start is refused on the end field; nothing is saved."""
    with pytest.raises(ValidationError) as err:
        services.create_meeting(personas.network, meeting_data(end=START - dt.timedelta(hours=1)))
    assert "end" in err.value.message_dict
    assert not Meeting.objects.exists()


def test_unknown_time_zone_refused(personas):
    """A time zone that does not exist is refused."""
    with pytest.raises(ValidationError) as err:
        services.create_meeting(personas.network, meeting_data(time_zone="Mars/Olympus"))
    assert "time_zone" in err.value.message_dict


def test_host_must_be_a_member(personas):
    """Only a member organisation can host a network meeting."""
    with pytest.raises(ValidationError) as err:
        services.create_meeting(personas.network, meeting_data(host=OrganisationFactory()))
    assert "host" in err.value.message_dict
    meeting = services.create_meeting(personas.network, meeting_data(host=personas.org_a))
    assert meeting.host == personas.org_a


def test_attendance_recorded_once_with_the_organisation_of_the_day(personas):
    """Attending is recorded once and keeps the organisation the person came for."""
    meeting = services.create_meeting(personas.network, meeting_data())
    person = PersonFactory(organisation=personas.org_a)
    first, created = services.record_attendance(meeting, person, source="import")
    again, created_again = services.record_attendance(meeting, person, source="import")
    assert created and not created_again and first == again
    person.organisation = personas.org_b
    person.save()
    assert Attendance.objects.get().organisation == personas.org_a
