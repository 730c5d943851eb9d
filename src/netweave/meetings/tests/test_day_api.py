import datetime as dt

import pytest
from rest_framework.test import APIClient

from netweave.directory.tests.bulk import bulk_members
from netweave.directory.tests.factories import OrganisationFactory
from netweave.meetings import services
from netweave.meetings.models import ActionItem, Attendance, Statement
from netweave.meetings.tests.factories import MeetingFactory
from netweave.meetings.tests.factories_day import ActionItemFactory

pytestmark = pytest.mark.django_db

LONG_AGO = dt.date(2012, 1, 1)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def meeting(personas):
    return MeetingFactory(network=personas.network)


def test_facilitator_checks_in_through_the_api(api, personas, meeting):
    """POST check-in records the attendance once; the list shows it."""
    api.force_authenticate(personas.fiona)
    body = {"meeting": str(meeting.uid), "person": str(personas.person_a.uid)}
    assert api.post("/api/v1/attendance/check-in/", body).status_code == 201
    assert api.post("/api/v1/attendance/check-in/", body).status_code == 200
    assert Attendance.objects.count() == 1
    listed = api.get("/api/v1/attendance/", {"meeting": str(meeting.uid)}).json()["results"]
    assert [row["person_name"] for row in listed] == ["Anna Alpha"]


@pytest.mark.parametrize(("who", "status"), [("alice", 403), ("charlie", 400)])
def test_check_in_refused_to_others(api, personas, meeting, who, status):
    """Focal points may not check people in; outsiders do not see the meeting."""
    api.force_authenticate(getattr(personas, who))
    body = {"meeting": str(meeting.uid), "person": str(personas.person_a.uid)}
    assert api.post("/api/v1/attendance/check-in/", body).status_code == status
    assert not Attendance.objects.exists()


def test_minutes_get_and_put(api, personas, meeting):
    """Facilitators put sanitised minutes; members get them once published."""
    api.force_authenticate(personas.fiona)
    url = f"/api/v1/minutes/{meeting.uid}/"
    response = api.put(
        url, {"text": "<p>Hi<script>x</script></p>", "published": False}, format="json"
    )
    assert response.status_code == 200 and response.json()["text"] == "<p>Hi</p>"
    api.force_authenticate(personas.alice)
    assert api.get(url).status_code == 404
    assert api.put(url, {"text": "x", "published": True}, format="json").status_code == 403
    services.save_minutes(meeting, text="<p>Hi</p>", published=True)
    assert api.get(url).json()["text"] == "<p>Hi</p>"


def test_minutes_api_hides_speakers_under_chatham_house(api, personas, meeting):
    """A speaker stored before the Chatham House rule was chosen is not returned."""
    Statement.objects.create(meeting=meeting, text="Said", speaker_person=personas.person_a)
    meeting.confidentiality = "chatham_house"
    meeting.save()
    api.force_authenticate(personas.fiona)
    statement = api.get(f"/api/v1/minutes/{meeting.uid}/").json()["statements"][0]
    assert statement == {
        "position": 0,
        "speaker_person": None,
        "speaker_organisation": None,
        "text": "Said",
    }


def test_decisions_created_by_facilitators_only(api, personas, meeting):
    """Facilitators record decisions; focal points are refused."""
    api.force_authenticate(personas.alice)
    body = {"meeting": str(meeting.uid), "text": "Adopt the plan"}
    assert api.post("/api/v1/decisions/", body, format="json").status_code == 403
    api.force_authenticate(personas.fiona)
    response = api.post("/api/v1/decisions/", body, format="json")
    assert response.status_code == 201 and response.json()["position"] == 1


def test_action_items_created_with_the_owner_rule(api, personas, meeting):
    """An owner from outside the network is a 400 on its field; a member owner is accepted."""
    api.force_authenticate(personas.fiona)
    outside = OrganisationFactory(slug="outside")
    body = {"meeting": str(meeting.uid), "title": "Survey", "owner_organisation": outside.slug}
    response = api.post("/api/v1/action-items/", body, format="json")
    assert response.status_code == 400 and "owner_organisation" in response.json()
    assert not ActionItem.objects.exists()
    body["owner_organisation"] = "awi"
    assert api.post("/api/v1/action-items/", body, format="json").status_code == 201


def test_action_item_filters(api, personas, meeting):
    """The list filters by network, owner organisation, status and overdue."""
    ActionItemFactory(
        meeting=meeting, title="Late A", due=LONG_AGO, owner_organisation=personas.org_a
    )
    ActionItemFactory(meeting=meeting, title="B", owner_organisation=personas.org_b)
    api.force_authenticate(personas.olga)

    def titles(**params):
        rows = api.get("/api/v1/action-items/", params).json()["results"]
        return sorted(row["title"] for row in rows)

    assert titles(network="testnet") == ["B", "Late A"]
    assert titles(overdue="1") == ["Late A"]
    assert titles(organisation="bm") == ["B"]
    assert titles(status="done") == []
    api.force_authenticate(personas.charlie)
    assert titles() == []


def test_focal_point_changes_only_the_status(api, personas, meeting):
    """The owner's focal point moves the status but may not retitle; others are refused."""
    action = ActionItemFactory(meeting=meeting, owner_organisation=personas.org_a)
    url = f"/api/v1/action-items/{action.uid}/"
    api.force_authenticate(personas.bob)
    assert api.patch(url, {"status": "done"}, format="json").status_code == 403
    api.force_authenticate(personas.alice)
    assert api.patch(url, {"title": "Other"}, format="json").status_code == 400
    response = api.patch(url, {"status": "done"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "done"


@pytest.mark.parametrize("count", [10, 500])
def test_action_item_list_query_count_is_constant(
    api, personas, meeting, django_assert_num_queries, count
):
    """Listing action items costs the same queries for 10 and 500 rows."""
    orgs = bulk_members(personas.network, count, people_per_org=0)
    ActionItem.objects.bulk_create(
        ActionItem(network=personas.network, meeting=meeting, title=f"A{i}", owner_organisation=org)
        for i, org in enumerate(orgs)
    )
    api.force_authenticate(personas.fiona)
    # 2 queries: count, page of action items with their meeting, network and owners
    with django_assert_num_queries(2):
        response = api.get("/api/v1/action-items/", {"page_size": 500})
    assert response.json()["count"] == count
