import datetime as dt

import pytest
from django.urls import reverse

from netweave.directory.tests.bulk import bulk_members
from netweave.meetings.models import ActionItem
from netweave.meetings.tests.factories import MeetingFactory
from netweave.meetings.tests.factories_day import ActionItemFactory

pytestmark = pytest.mark.django_db

LONG_AGO = dt.date(2012, 1, 1)


@pytest.fixture
def meeting(personas):
    return MeetingFactory(network=personas.network)


def board(network, **params):
    return reverse("meetings:action_board", kwargs={"network": network.slug})


def status_url(action):
    return reverse(
        "meetings:action_status", kwargs={"network": action.network.slug, "action": action.uid}
    )


def test_board_shows_columns_by_status(client, personas, meeting):
    """Members see every action item in the column of its status."""
    ActionItemFactory(meeting=meeting, title="Open one", owner_organisation=personas.org_a)
    ActionItemFactory(
        meeting=meeting, title="Done one", status="done", owner_organisation=personas.org_b
    )
    client.force_login(personas.olga)
    response = client.get(board(personas.network))
    columns = {c["status"]: [i.title for i in c["items"]] for c in response.context["columns"]}
    assert columns["open"] == ["Open one"] and columns["done"] == ["Done one"]
    assert columns["in_progress"] == [] and columns["dropped"] == []


@pytest.mark.parametrize("who", ["charlie", "frank"])
def test_board_is_missing_for_outsiders(client, personas, who):
    """Users without a role in the network do not see its board (404)."""
    client.force_login(getattr(personas, who))
    assert client.get(board(personas.network)).status_code == 404


def test_overdue_list_per_network_and_per_organisation(client, personas, meeting):
    """?overdue=1 lists open items past due; ?organisation= narrows to one owner."""
    ActionItemFactory(
        meeting=meeting, title="Late A", due=LONG_AGO, owner_organisation=personas.org_a
    )
    ActionItemFactory(
        meeting=meeting, title="Late B", due=LONG_AGO, owner_organisation=personas.org_b
    )
    ActionItemFactory(
        meeting=meeting, title="Later", due=dt.date(2999, 1, 1), owner_organisation=personas.org_a
    )
    ActionItemFactory(
        meeting=meeting,
        title="Late but done",
        due=LONG_AGO,
        status="done",
        owner_organisation=personas.org_a,
    )
    client.force_login(personas.alice)

    def titles(**params):
        response = client.get(board(personas.network), params)
        return sorted(i.title for c in response.context["columns"] for i in c["items"])

    assert titles(overdue="1") == ["Late A", "Late B"]
    assert titles(overdue="1", organisation="awi") == ["Late A"]
    assert titles(organisation="awi") == ["Late A", "Late but done", "Later"]


def test_owner_focal_point_moves_an_action(client, personas, meeting):
    """The focal point of the owner organisation may change the status; done is timestamped."""
    action = ActionItemFactory(meeting=meeting, owner_organisation=personas.org_a)
    client.force_login(personas.alice)
    assert client.post(status_url(action), {"status": "done"}).status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.completed_at is not None


@pytest.mark.parametrize(("who", "status"), [("bob", 403), ("olga", 403), ("charlie", 404)])
def test_others_may_not_move_an_action(client, personas, meeting, who, status):
    """Other focal points and observers are refused (403); outsiders get 404."""
    action = ActionItemFactory(meeting=meeting, owner_organisation=personas.org_a)
    client.force_login(getattr(personas, who))
    assert client.post(status_url(action), {"status": "done"}).status_code == status
    action.refresh_from_db()
    assert action.status == "open"


def test_facilitator_moves_any_action(client, personas, meeting):
    """Facilitators move any action item."""
    action = ActionItemFactory(meeting=meeting, owner_organisation=personas.org_b)
    client.force_login(personas.fiona)
    client.post(status_url(action), {"status": "in_progress"})
    action.refresh_from_db()
    assert action.status == "in_progress"


@pytest.mark.parametrize("count", [10, 500])
def test_board_query_count_is_constant(client, personas, meeting, django_assert_num_queries, count):
    """The board costs the same queries for 10 and 500 action items."""
    orgs = bulk_members(personas.network, count, people_per_org=0)
    ActionItem.objects.bulk_create(
        ActionItem(
            network=personas.network,
            meeting=meeting,
            title=f"Action {i}",
            owner_organisation=org,
            status=("open", "in_progress", "done", "dropped")[i % 4],
            due=LONG_AGO,
        )
        for i, org in enumerate(orgs)
    )
    client.force_login(personas.fiona)
    # 7 queries: session, user, network, roles, member organisations, open items, closed items
    with django_assert_num_queries(7):
        response = client.get(board(personas.network))
    assert sum(len(c["items"]) for c in response.context["columns"]) == count // 2 + min(
        count // 2, 30
    )
