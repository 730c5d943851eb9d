"""A meeting of a task group or of a standing body: chosen on the form and the API, shown on
the meeting page with the body's quorum and sector balance."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from netweave.directory.tests.bulk import bulk_members
from netweave.governance import services as governance
from netweave.governance.models import Seat
from netweave.governance.tests.factories import make_group
from netweave.meetings.models import Attendance, Meeting
from netweave.meetings.tests.factories import MeetingFactory
from netweave.networks.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PAST = dt.datetime(2024, 3, 5, 9, tzinfo=dt.UTC)


def create_url() -> str:
    return reverse("meetings:create", kwargs={"network": "testnet"})


def detail_url(meeting) -> str:
    return reverse("meetings:detail", kwargs={"network": "testnet", "uid": meeting.uid})


def form_data(**overrides):
    data = {
        "title": "Tariffs group",
        "kind": "task_group",
        "start": "2030-07-21T09:00",
        "end": "2030-07-21T11:00",
        "time_zone": "Asia/Dushanbe",
        "visibility": "members",
        "confidentiality": "attributable",
    }
    data.update(overrides)
    return data


def _steering(personas, network=None):
    return governance.create_body(
        network or personas.network,
        name="Steering committee",
        kind="steering",
        quorum=2,
        sector_mix={"government": 1, "academia": 1},
    )


def _other_group(personas):
    MembershipFactory(network=personas.other_network, organisation=personas.org_a)
    return governance.create_task_group(
        personas.other_network, name="Elsewhere", lead=personas.org_a
    )


# The form ------------------------------------------------------------------------------------
def test_planning_from_the_task_group_page_prefills_the_group(client, personas):
    """``?task_group=<uid>`` chooses the group and the task-group type."""
    group = make_group(personas)
    client.force_login(personas.fiona)
    form = client.get(create_url(), {"task_group": str(group.uid)}).context["form"]
    assert form.initial["task_group"] == group.uid and form.initial["kind"] == "task_group"
    response = client.post(create_url(), form_data(task_group=str(group.uid)))
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and meeting.task_group == group


def test_planning_from_the_body_page_prefills_the_body(client, personas):
    """``?body=<uid>`` of the steering committee chooses it and the steering type."""
    body = _steering(personas)
    client.force_login(personas.fiona)
    form = client.get(create_url(), {"body": str(body.uid)}).context["form"]
    assert form.initial["body"] == body.uid and form.initial["kind"] == "steering"
    client.post(create_url(), form_data(kind="steering", body=str(body.uid)))
    assert Meeting.objects.get().body == body


def test_prefill_ignores_another_networks_group_and_nonsense(client, personas):
    """A uid of another network's group, or not a uid, prefills nothing."""
    other = _other_group(personas)
    client.force_login(personas.fiona)
    for value in (str(other.uid), "nonsense"):
        form = client.get(create_url(), {"task_group": value}).context["form"]
        assert "task_group" not in form.initial


def test_forged_group_or_body_of_another_network_is_refused(client, personas):
    """Another network's task group or body is not a valid choice; nothing is saved."""
    other_group = _other_group(personas)
    other_body = _steering(personas, network=personas.other_network)
    client.force_login(personas.fiona)
    for field, uid in (("task_group", other_group.uid), ("body", other_body.uid)):
        response = client.post(create_url(), form_data(**{field: str(uid)}))
        assert response.status_code == 200
        assert field in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_a_meeting_is_of_a_group_or_a_body_not_both(client, personas):
    """Choosing both is refused with a message on the body."""
    group = make_group(personas)
    body = _steering(personas)
    client.force_login(personas.fiona)
    response = client.post(create_url(), form_data(task_group=str(group.uid), body=str(body.uid)))
    assert "not to both" in response.context["form"].errors["body"][0]
    assert not Meeting.objects.exists()


def test_edit_form_shows_and_clears_the_group(client, personas):
    """The edit form starts from the meeting's group; emptying it unlinks the meeting."""
    group = make_group(personas)
    meeting = MeetingFactory(network=personas.network, task_group=group, kind="task_group")
    client.force_login(personas.fiona)
    address = reverse("meetings:update", kwargs={"network": "testnet", "uid": meeting.uid})
    assert client.get(address).context["form"].initial["task_group"] == group.uid
    response = client.post(
        address,
        form_data(
            title=meeting.title,
            start="2030-07-21T09:00",
            end="2030-07-21T11:00",
            task_group="",
        ),
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.task_group is None


def test_service_refuses_another_networks_group(personas):
    """The meeting service itself refuses a group of another network."""
    from django.core.exceptions import ValidationError

    from netweave.meetings.services import create_meeting

    with pytest.raises(ValidationError) as err:
        create_meeting(
            personas.network,
            {
                "title": "X",
                "start": PAST,
                "end": PAST + dt.timedelta(hours=1),
                "task_group": _other_group(personas),
            },
        )
    assert "task_group" in err.value.message_dict


# The API -------------------------------------------------------------------------------------
def api_payload(**overrides):
    data = {
        "network": "testnet",
        "title": "Tariffs group",
        "kind": "task_group",
        "start": "2030-07-21T09:00:00Z",
        "end": "2030-07-21T11:00:00Z",
        "time_zone": "Asia/Dushanbe",
    }
    data.update(overrides)
    return data


def test_api_sets_and_shows_the_group_and_body(personas):
    """Created with a task group, then moved to the steering committee by PATCH."""
    group = make_group(personas)
    body = _steering(personas)
    api = APIClient()
    api.force_authenticate(personas.fiona)
    created = api.post("/api/v1/meetings/", api_payload(task_group=str(group.uid)), format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["task_group"] == str(group.uid) and created.json()["body"] is None
    uid = created.json()["uid"]
    moved = api.patch(
        f"/api/v1/meetings/{uid}/", {"task_group": None, "body": str(body.uid)}, format="json"
    )
    assert moved.status_code == 200
    assert moved.json()["body"] == str(body.uid) and moved.json()["task_group"] is None


def test_api_refuses_forged_groups_and_bodies(personas):
    """Another network's group: 400 whether its network is readable (public) or not."""
    group = _other_group(personas)
    body = _steering(personas, network=personas.other_network)
    api = APIClient()
    api.force_authenticate(personas.fiona)
    for visibility in ("members", "public"):
        personas.other_network.visibility = visibility
        personas.other_network.save()
        for field, uid in (("task_group", group.uid), ("body", body.uid)):
            response = api.post(
                "/api/v1/meetings/", api_payload(**{field: str(uid)}), format="json"
            )
            assert response.status_code == 400, (visibility, field)
            assert field in response.json()
    assert not Meeting.objects.exists()


# The meeting page ----------------------------------------------------------------------------
def test_page_links_the_task_group(client, personas):
    """The meeting page names its task group with a link."""
    group = make_group(personas)
    meeting = MeetingFactory(network=personas.network, task_group=group, kind="task_group")
    client.force_login(personas.olga)
    response = client.get(detail_url(meeting))
    assert group.get_absolute_url() in response.text
    assert "quorum" not in response.context


def test_page_shows_quorum_and_sector_balance_of_a_body_meeting(client, personas):
    """Beta Ministry (government) attended, Alpha (academia) did not: 1 of 2, not met."""
    body = _steering(personas)
    governance.add_seat(body, organisation=personas.org_b, chair=True)
    governance.add_seat(body, organisation=personas.org_a)
    meeting = MeetingFactory(network=personas.network, body=body, kind="steering", start=PAST)
    Attendance.objects.create(
        meeting=meeting, person=personas.person_b, organisation=personas.org_b
    )
    client.force_login(personas.olga)
    response = client.get(detail_url(meeting))
    quorum = response.context["quorum"]
    assert (quorum.present, quorum.seat_count, quorum.met, quorum.balanced) == (1, 2, False, False)
    assert {row.slug: row.met for row in quorum.sectors} == {"government": True, "academia": False}
    assert 'id="quorum"' in response.text and body.get_absolute_url() in response.text
    Attendance.objects.create(
        meeting=meeting, person=personas.person_a, organisation=personas.org_a
    )
    quorum = client.get(detail_url(meeting)).context["quorum"]
    assert quorum.met and quorum.balanced


def test_upcoming_body_meeting_explains_the_quorum_instead(client, personas):
    """A meeting still to come says what it needs rather than 'not met'."""
    body = _steering(personas)
    meeting = MeetingFactory(
        network=personas.network,
        body=body,
        kind="steering",
        start=dt.datetime(2099, 1, 1, 9, tzinfo=dt.UTC),
    )
    client.force_login(personas.fiona)
    response = client.get(detail_url(meeting))
    assert not response.context["quorum"].held
    assert "has not started" in response.text


def test_seat_presence_is_for_people_with_a_role(client, personas):
    """Anonymous visitors of a public meeting see the quorum but not which seats came."""
    personas.network.visibility = "public"
    personas.network.save()
    body = _steering(personas)
    governance.add_seat(body, organisation=personas.org_b)
    meeting = MeetingFactory(
        network=personas.network, body=body, kind="steering", start=PAST, visibility="public"
    )
    response = client.get(detail_url(meeting))
    assert response.status_code == 200 and 'id="quorum"' in response.text
    assert 'id="quorum-seats"' not in response.text
    client.force_login(personas.olga)
    assert 'id="quorum-seats"' in client.get(detail_url(meeting)).text


def _queries(client, address):
    # each page as first seen: its cached parts and the meetings' clock are built anew
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_body_meeting_page_queries_do_not_grow(client, personas):
    """The quorum costs the same with 2 seats and 2 attending as with 200 of each."""
    small_body = _steering(personas)
    large_body = governance.create_body(
        personas.network, name="Large", quorum=100, sector_mix={"government": 1}
    )
    orgs = bulk_members(personas.network, 200, people_per_org=1)
    Seat.objects.bulk_create(Seat(body=large_body, organisation=org) for org in orgs)
    Seat.objects.bulk_create(Seat(body=small_body, organisation=org) for org in orgs[:2])
    small = MeetingFactory(network=personas.network, body=small_body, start=PAST)
    large = MeetingFactory(network=personas.network, body=large_body, start=PAST)
    for meeting, some in ((small, orgs[:2]), (large, orgs)):
        Attendance.objects.bulk_create(
            Attendance(meeting=meeting, person=org.people.first(), organisation=org) for org in some
        )
    client.force_login(personas.fiona)
    # The quorum adds three queries to the page: the body's seats with organisation, sector
    # and person; their organisations' attendance; the names of the target sectors.
    assert _queries(client, detail_url(small)) == _queries(client, detail_url(large))
    assert client.get(detail_url(large)).context["quorum"].met
