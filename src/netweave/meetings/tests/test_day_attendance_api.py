import datetime as dt

import pytest
from rest_framework.test import APIClient

from netweave.directory.tests.bulk import bulk_members
from netweave.directory.tests.factories import PersonFactory
from netweave.meetings.models import Attendance
from netweave.meetings.tests.factories import MeetingFactory
from netweave.networks.tests.factories import MembershipFactory, RoleFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/attendance/"
DAY = dt.datetime(2025, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def api():
    return APIClient()


def attend(meeting, *people):
    for person in people:
        Attendance.objects.create(meeting=meeting, person=person, organisation=person.organisation)


def rows(response):
    assert response.status_code == 200, response.content
    return [(row["meeting"], row["person_name"]) for row in response.json()["results"]]


@pytest.fixture
def two_networks(personas):
    """Fiona facilitates both networks; one meeting in each, Anna at both."""
    RoleFactory(user=personas.fiona, network=personas.other_network, kind="facilitator")
    MembershipFactory(network=personas.other_network, organisation=personas.org_a)
    here = MeetingFactory(network=personas.network, start=DAY, end=DAY + dt.timedelta(hours=2))
    there = MeetingFactory(
        network=personas.other_network,
        start=DAY - dt.timedelta(days=1),
        end=DAY - dt.timedelta(days=1) + dt.timedelta(hours=2),
    )
    attend(here, personas.person_a, personas.person_b)
    attend(there, personas.person_a)
    return here, there


def test_network_filter_keeps_that_network(api, personas, two_networks):
    """``?network=`` lists only that network's attendance; without it, every network's."""
    here, there = two_networks
    api.force_authenticate(personas.fiona)
    assert rows(api.get(URL, {"network": "testnet"})) == [
        (str(here.uid), "Anna Alpha"),
        (str(here.uid), "Boris Beta"),
    ]
    assert rows(api.get(URL, {"network": "othernet"})) == [(str(there.uid), "Anna Alpha")]
    assert len(rows(api.get(URL))) == 3


@pytest.mark.parametrize("slug", ["no-such-network", "othernet"])
def test_network_filter_refuses_unknown_networks(api, personas, two_networks, slug):
    """A network that does not exist, or that the caller may not read, is a 400 naming it."""
    api.force_authenticate(personas.alice)  # a focal point in testnet only
    response = api.get(URL, {"network": slug})
    assert response.status_code == 400
    assert list(response.json()) == ["network"]


@pytest.mark.parametrize("value", ["not-a-uid", "1234", "0" * 31])
def test_malformed_meeting_uid_is_a_clear_400(api, personas, two_networks, value):
    """A meeting filter that is not a uid is refused with a message, not ignored."""
    api.force_authenticate(personas.fiona)
    response = api.get(URL, {"meeting": value})
    assert response.status_code == 400
    assert response.json() == {"meeting": ["Enter a valid UUID."]}


def test_meeting_filter(api, personas, two_networks):
    """``?meeting=<uid>`` keeps that meeting's attendance; an unknown uid lists nothing."""
    here, there = two_networks
    api.force_authenticate(personas.fiona)
    assert rows(api.get(URL, {"meeting": str(there.uid)})) == [(str(there.uid), "Anna Alpha")]
    assert rows(api.get(URL, {"meeting": "00000000-0000-0000-0000-000000000000"})) == []


def test_order_is_by_meeting_start_then_person_name(api, personas):
    """Earlier meetings first; meetings starting together are not interleaved; names within."""
    first = MeetingFactory(network=personas.network, start=DAY, end=DAY + dt.timedelta(hours=1))
    second = MeetingFactory(network=personas.network, start=DAY, end=DAY + dt.timedelta(hours=1))
    earliest = MeetingFactory(
        network=personas.network,
        start=DAY - dt.timedelta(days=7),
        end=DAY - dt.timedelta(days=7) + dt.timedelta(hours=1),
    )
    zoe = PersonFactory(name="Zoe Zeta", organisation=personas.org_b)
    attend(second, zoe, personas.person_a)
    attend(first, zoe, personas.person_b)
    attend(earliest, zoe)
    api.force_authenticate(personas.fiona)
    assert rows(api.get(URL, {"network": "testnet"})) == [
        (str(earliest.uid), "Zoe Zeta"),
        (str(first.uid), "Boris Beta"),
        (str(first.uid), "Zoe Zeta"),
        (str(second.uid), "Anna Alpha"),
        (str(second.uid), "Zoe Zeta"),
    ]


def test_unlisted_people_hidden_from_members_with_the_network_filter(api, personas):
    """The network filter does not widen what an observer sees; a facilitator sees everyone."""
    meeting = MeetingFactory(network=personas.network)
    quiet = PersonFactory(name="Quiet Qodir", organisation=personas.org_b, consent_listed=False)
    attend(meeting, personas.person_a, quiet)
    api.force_authenticate(personas.olga)
    assert [name for _uid, name in rows(api.get(URL, {"network": "testnet"}))] == ["Anna Alpha"]
    api.force_authenticate(personas.bob)  # focal point of Quiet's organisation
    assert len(rows(api.get(URL, {"network": "testnet"}))) == 2
    api.force_authenticate(personas.fiona)
    assert len(rows(api.get(URL, {"network": "testnet"}))) == 2


def test_outsiders_see_nothing(api, personas, two_networks):
    """A user without a role lists no attendance; an anonymous caller is refused."""
    api.force_authenticate(personas.charlie)
    assert api.get(URL).json()["count"] == 0
    api.force_authenticate(None)
    assert api.get(URL).status_code in (401, 403)


@pytest.mark.parametrize("count", [1, 50])
def test_list_query_count_is_constant(api, personas, django_assert_num_queries, count):
    """The attendance list costs the same queries with 1 row and with 50."""
    meeting = MeetingFactory(network=personas.network)
    orgs = bulk_members(personas.network, count, people_per_org=1)
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, person=org.people.get(), organisation=org) for org in orgs
    )
    api.force_authenticate(personas.fiona)
    # 4 queries: facilitator of the asked network (yes), the network for the filter,
    # count, page of attendance with meeting, person and organisation
    with django_assert_num_queries(4):
        response = api.get(URL, {"network": "testnet"})
    assert response.json()["count"] == count
    # 2 queries without the network: count, page
    with django_assert_num_queries(2):
        response = api.get(URL)
    assert response.json()["count"] == count
    api.force_authenticate(personas.olga)
    # 4 queries: facilitator of the asked network (no), the network for the filter, count,
    # page (which also tests each person's consent)
    with django_assert_num_queries(4):
        response = api.get(URL, {"network": "testnet"})
    assert response.json()["count"] == count


@pytest.mark.parametrize("url", ["/api/v1/decisions/", "/api/v1/action-items/"])
def test_decisions_and_action_items_refuse_a_malformed_meeting_uid(api, personas, url):
    """The other lists filtered by meeting answer a malformed uid the same way, never a 500."""
    api.force_authenticate(personas.fiona)
    response = api.get(url, {"meeting": "not-a-uid"})
    assert response.status_code == 400
    assert response.json() == {"meeting": ["Enter a valid UUID."]}
    assert api.get(url, {"meeting": "5f0c6a4e-3b1e-4a57-9d7e-2f2c8b1d0a11"}).json()["count"] == 0
