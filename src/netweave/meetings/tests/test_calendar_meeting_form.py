import datetime as dt

import pytest
from django.urls import reverse

from netweave.meetings.models import Meeting
from netweave.meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def create_url(network):
    return reverse("meetings:create", kwargs={"network": network.slug})


def form_data(**overrides):
    data = {
        "title": "Special event",
        "kind": "special_event",
        "start": "2015-07-21T09:00",
        "end": "2015-07-21T13:00",
        "time_zone": "Asia/Dushanbe",
        "venue": "Serena hotel",
        "online_url": "",
        "host": "",
        "languages": "en, ru",
        "visibility": "public",
        "confidentiality": "chatham_house",
        "description": "The development bank presents its poverty diagnostic.",
        "registration_closes": "2015-07-19T18:00",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", ["alice", "sam", "olga"])
def test_only_facilitators_plan_meetings(personas, client, persona):
    """Focal points, steering members and observers are refused (403)."""
    client.force_login(getattr(personas, persona))
    assert client.get(create_url(personas.network)).status_code == 403
    assert client.post(create_url(personas.network), form_data()).status_code == 403
    assert not Meeting.objects.exists()


def test_facilitator_creates_meeting_on_its_own_clock(personas, client):
    """Times are read in the chosen time zone and stored as the right instant."""
    client.force_login(personas.fiona)
    response = client.post(create_url(personas.network), form_data(host=personas.org_a.pk))
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.start == dt.datetime(2015, 7, 21, 4, tzinfo=dt.UTC)  # Dushanbe is UTC+5
    assert meeting.registration_closes == dt.datetime(2015, 7, 19, 13, tzinfo=dt.UTC)
    assert meeting.host == personas.org_a and meeting.confidentiality == "chatham_house"


def test_end_before_start_refused(personas, client):
    """An end before the start is shown on the end field and nothing is saved."""
    client.force_login(personas.fiona)
    response = client.post(create_url(personas.network), form_data(end="2015-07-21T08:00"))
    assert response.status_code == 200
    assert response.context["form"].errors["end"]
    assert not Meeting.objects.exists()


def test_registration_closing_after_start_refused(personas, client):
    """Registration closing after the start is shown on its field."""
    client.force_login(personas.fiona)
    response = client.post(
        create_url(personas.network), form_data(registration_closes="2015-07-21T10:00")
    )
    assert response.context["form"].errors["registration_closes"]
    assert not Meeting.objects.exists()


def test_room_clash_saved_with_warning(personas, client):
    """A meeting in a taken venue is saved, with a warning naming the other meeting."""
    MeetingFactory(
        network=personas.network,
        title="Steering committee",
        venue="serena hotel",
        start=dt.datetime(2015, 7, 21, 5, tzinfo=dt.UTC),
    )
    client.force_login(personas.fiona)
    response = client.post(create_url(personas.network), form_data(), follow=True)
    assert Meeting.objects.count() == 2
    messages = [str(m) for m in response.context["messages"]]
    assert any("room clash with Steering committee" in m for m in messages)
    assert "Room clash" in response.text


def test_facilitator_edits_meeting(personas, client):
    """A facilitator changes a meeting; the form shows times on the meeting's clock."""
    meeting = MeetingFactory(
        network=personas.network,
        start=dt.datetime(2015, 7, 21, 4, tzinfo=dt.UTC),
        time_zone="Asia/Dushanbe",
    )
    address = reverse("meetings:update", kwargs={"network": "testnet", "uid": meeting.uid})
    client.force_login(personas.fiona)
    assert 'value="2015-07-21T09:00"' in client.get(address).text
    response = client.post(address, form_data(title="Renamed"))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Renamed"


def test_edit_refused_for_focal_point(personas, client):
    """A focal point may read a meeting but not change it (403)."""
    meeting = MeetingFactory(network=personas.network)
    address = reverse("meetings:update", kwargs={"network": "testnet", "uid": meeting.uid})
    client.force_login(personas.alice)
    assert client.post(address, form_data(title="Hijacked")).status_code == 403
    meeting.refresh_from_db()
    assert meeting.title != "Hijacked"
