"""A request's page: status and history for its member; triage for the steering committee."""

import pytest

from netweave.directory.tests.bulk import bulk_members
from netweave.governance.models import TaskGroup
from netweave.governance.tests.factories import make_request

pytestmark = pytest.mark.django_db


def url(item) -> str:
    return item.get_absolute_url()


def test_steering_forms_a_new_task_group(client, personas):
    """Sam triages "form a new task group": the request is accepted into the new group."""
    item = make_request(personas, title="Tariffs")
    client.force_login(personas.sam)
    response = client.post(url(item), {"decision": "form_new", "name": "Tariff group"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "accepted" and item.task_group.name == "Tariff group"


def test_member_sees_status_and_history_but_no_triage(client, personas):
    """Alice sees the declined status, the reason and two history rows; no triage form."""
    item = make_request(personas)
    client.force_login(personas.sam)
    client.post(url(item), {"decision": "decline", "reason": "Covered by the M&E group"})
    client.force_login(personas.alice)
    response = client.get(url(item))
    assert response.status_code == 200
    assert response.context["form"] is None
    assert "Covered by the M&amp;E group" in response.text
    assert [r.status for r in response.context["history"]] == ["open", "declined"]


def test_decline_without_reason_shows_the_error(client, personas):
    """Declining with no reason is a 400 with the message on the reason field."""
    item = make_request(personas)
    client.force_login(personas.fiona)
    response = client.post(url(item), {"decision": "decline"})
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    item.refresh_from_db()
    assert item.status == "open"


def test_raising_member_may_not_triage(client, personas):
    """Alice posting a decision on her own request gets 403."""
    item = make_request(personas)
    client.force_login(personas.alice)
    response = client.post(url(item), {"decision": "decline", "reason": "x"})
    assert response.status_code == 403


def test_other_member_and_observer_get_404(client, personas):
    """Bob and Olga cannot see AWI's request at all."""
    item = make_request(personas)
    for user in (personas.bob, personas.olga):
        client.force_login(user)
        assert client.get(url(item)).status_code == 404


@pytest.mark.parametrize("n", [10, 500])
def test_detail_queries_do_not_grow(client, personas, django_assert_num_queries, n):
    """The triage page costs the same with 10 or 500 members and task groups."""
    orgs = bulk_members(personas.network, n, people_per_org=0)
    TaskGroup.objects.bulk_create(
        TaskGroup(network=personas.network, name=f"Group {i}", lead=org)
        for i, org in enumerate(orgs)
    )
    item = make_request(personas)
    client.force_login(personas.sam)
    # session, user, network, roles, request; history; the joint activities that came
    # from it; the form's task groups and leads
    with django_assert_num_queries(9):
        response = client.get(url(item))
    assert response.status_code == 200
