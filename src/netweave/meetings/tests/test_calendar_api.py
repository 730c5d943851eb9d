import datetime as dt

import pytest
import time_machine
from django.core import mail
from rest_framework.test import APIClient

from netweave.meetings.models import Invitation, Meeting, Registration
from netweave.meetings.tests.factories import MeetingFactory
from netweave.meetings.tests.factories_calendar import RegistrationFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2030, 7, 21, 9, tzinfo=dt.UTC)
BEFORE = dt.datetime(2030, 7, 1, tzinfo=dt.UTC)


@pytest.fixture
def api():
    return APIClient()


def meeting_payload(**overrides):
    data = {
        "network": "testnet",
        "title": "Roundtable",
        "kind": "roundtable",
        "start": "2030-07-21T09:00:00Z",
        "end": "2030-07-21T12:00:00Z",
        "time_zone": "Asia/Dushanbe",
        "venue": "Hall",
    }
    data.update(overrides)
    return data


def test_anonymous_refused(api):
    """The API needs a signed-in caller."""
    assert api.get("/api/v1/meetings/").status_code in (401, 403)


def test_list_scoped_and_filtered(personas, api):
    """Callers see meetings they may read; filters by network and dates apply."""
    MeetingFactory(network=personas.network, title="July", start=START)
    MeetingFactory(network=personas.network, title="August", start=START + dt.timedelta(days=31))
    MeetingFactory(network=personas.other_network, title="Elsewhere", start=START)
    api.force_authenticate(personas.olga)
    titles = [m["title"] for m in api.get("/api/v1/meetings/").json()["results"]]
    assert titles == ["July", "August"]
    response = api.get("/api/v1/meetings/", {"network": "testnet", "from": "2030-08-01"})
    assert [m["title"] for m in response.json()["results"]] == ["August"]
    response = api.get("/api/v1/meetings/", {"to": "2030-07-31"})
    assert [m["title"] for m in response.json()["results"]] == ["July"]
    api.force_authenticate(personas.charlie)
    assert api.get("/api/v1/meetings/").json()["results"] == []


def test_list_query_count_constant(personas, api, django_assert_num_queries):
    """The meetings list reads the same number of queries with 5 or 100 meetings."""
    api.force_authenticate(personas.olga)
    for count in (5, 95):
        MeetingFactory.create_batch(count, network=personas.network)
        # 3 queries: count, page of meetings (visible networks and roles as subqueries),
        # the page's room clashes
        with django_assert_num_queries(3):
            api.get("/api/v1/meetings/", {"page_size": 200})


def test_facilitator_creates_and_updates(personas, api):
    """A facilitator creates and updates a meeting; the service's rules apply."""
    api.force_authenticate(personas.fiona)
    response = api.post("/api/v1/meetings/", meeting_payload(), format="json")
    assert response.status_code == 201, response.json()
    uid = response.json()["uid"]
    response = api.patch(f"/api/v1/meetings/{uid}/", {"title": "Renamed"}, format="json")
    assert response.status_code == 200 and Meeting.objects.get().title == "Renamed"
    response = api.patch(f"/api/v1/meetings/{uid}/", {"end": "2030-07-21T08:00:00Z"}, format="json")
    assert response.status_code == 400 and "end" in response.json()


def test_room_clash_reported(personas, api):
    """Creating a meeting in a taken venue succeeds and says so."""
    MeetingFactory(network=personas.network, start=START, venue="hall")
    api.force_authenticate(personas.fiona)
    response = api.post("/api/v1/meetings/", meeting_payload(), format="json")
    assert response.status_code == 201 and response.json()["room_clash"] is True


def test_list_flags_clashes_beyond_the_page(personas, api):
    """A listed meeting's room clash counts meetings on other pages, and online ones never clash."""
    MeetingFactory(network=personas.network, start=START, venue="Hall")
    MeetingFactory(network=personas.network, start=START + dt.timedelta(hours=1), venue="hall")
    MeetingFactory(network=personas.network, start=START, venue="")
    MeetingFactory(network=personas.network, start=START + dt.timedelta(days=2), venue="Hall")
    api.force_authenticate(personas.olga)
    flags = []
    for page in range(1, 5):
        response = api.get("/api/v1/meetings/", {"page_size": 1, "page": page})
        assert response.status_code == 200
        flags += [(m["venue"], m["room_clash"]) for m in response.json()["results"]]
    assert sorted(flags) == [("", False), ("Hall", False), ("Hall", True), ("hall", True)]


def test_focal_point_cannot_create(personas, api):
    """A focal point may not plan meetings (403); a non-visible network is a 400."""
    api.force_authenticate(personas.alice)
    assert api.post("/api/v1/meetings/", meeting_payload(), format="json").status_code == 403
    api.force_authenticate(personas.frank)
    assert api.post("/api/v1/meetings/", meeting_payload(), format="json").status_code == 400
    assert not Meeting.objects.exists()


@time_machine.travel(BEFORE, tick=False)
def test_registration_rules_through_api(personas, api):
    """A focal point registers their people, not others; listing shows only what they may see."""
    meeting = MeetingFactory(network=personas.network, start=START)
    RegistrationFactory(meeting=meeting, person=personas.person_b, response="no")
    api.force_authenticate(personas.alice)
    payload = {"meeting": str(meeting.uid), "person": str(personas.person_a.uid), "response": "yes"}
    assert api.post("/api/v1/registrations/", payload, format="json").status_code == 201
    payload["response"] = "maybe"
    assert api.post("/api/v1/registrations/", payload, format="json").status_code == 201
    assert Registration.objects.get(person=personas.person_a).response == "maybe"
    payload["person"] = str(personas.person_b.uid)
    response = api.post("/api/v1/registrations/", payload, format="json")
    assert response.status_code == 400 and "person" in response.json()
    listed = api.get("/api/v1/registrations/", {"meeting": str(meeting.uid)}).json()["results"]
    assert [r["person_name"] for r in listed] == ["Anna Alpha"]
    api.force_authenticate(personas.fiona)
    listed = api.get("/api/v1/registrations/", {"meeting": str(meeting.uid)}).json()["results"]
    assert len(listed) == 2
    assert Registration.objects.get(person=personas.person_b).response == "no"


def test_invite_action_for_facilitators_only(personas, api):
    """Facilitators invite through the action; others are refused; invitations are listed."""
    meeting = MeetingFactory(network=personas.network)
    api.force_authenticate(personas.alice)
    payload = {"meeting": str(meeting.uid), "whole_network": True}
    assert api.post("/api/v1/invitations/invite/", payload, format="json").status_code == 403
    api.force_authenticate(personas.fiona)
    response = api.post("/api/v1/invitations/invite/", payload, format="json")
    assert response.status_code == 201 and response.json()["emailed"] == 2
    assert len(mail.outbox) == 2 and Invitation.objects.count() == 2
    listed = api.get("/api/v1/invitations/", {"meeting": str(meeting.uid)}).json()["results"]
    assert len(listed) == 2
    api.force_authenticate(personas.bob)
    listed = api.get("/api/v1/invitations/").json()["results"]
    assert [i["person_name"] for i in listed] == ["Boris Beta"]
