"""The member requests page: the steering committee's queue, a member's own requests."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from netweave.directory.tests.bulk import bulk_members
from netweave.governance.models import MemberRequest
from netweave.governance.tests.factories import make_request

pytestmark = pytest.mark.django_db


def url(personas) -> str:
    return reverse("governance:request_list", kwargs={"network": personas.network.slug})


def test_steering_sees_the_queue_with_ages(client, personas):
    """Sam sees both organisations' requests, each with its age in days."""
    with time_machine.travel(dt.datetime(2024, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        make_request(personas, title="Old need")
    with time_machine.travel(dt.datetime(2024, 3, 11, 12, tzinfo=dt.UTC), tick=False):
        make_request(personas, title="New need", organisation=personas.org_b)
        client.force_login(personas.sam)
        response = client.get(url(personas))
    assert response.status_code == 200
    rows = {item.title: age for item, age in response.context["rows"]}
    assert rows == {"Old need": 10, "New need": 0}


def test_focal_point_sees_only_own_organisations_requests(client, personas):
    """Alice sees AWI's request, not Beta Ministry's."""
    make_request(personas, title="AWI need")
    make_request(personas, title="BM need", organisation=personas.org_b)
    client.force_login(personas.alice)
    response = client.get(url(personas))
    assert "AWI need" in response.text and "BM need" not in response.text


def test_status_filter(client, personas):
    """?status=declined lists only declined requests."""
    make_request(personas, title="Still open")
    client.force_login(personas.fiona)
    response = client.get(url(personas), {"status": "declined"})
    assert "Still open" not in response.text


def test_observer_sees_no_requests_and_outsider_gets_404(client, personas):
    """Olga (observer) lists nothing; Charlie, without a role, gets 404."""
    make_request(personas, title="AWI need")
    client.force_login(personas.olga)
    assert "AWI need" not in client.get(url(personas)).text
    client.force_login(personas.charlie)
    assert client.get(url(personas)).status_code == 404


@pytest.mark.parametrize("n", [10, 500])
def test_queue_queries_do_not_grow(client, personas, django_assert_num_queries, n):
    """The queue costs the same number of queries with 10 or 500 requests."""
    orgs = bulk_members(personas.network, n, people_per_org=0)
    MemberRequest.objects.bulk_create(
        MemberRequest(network=personas.network, organisation=org, title=f"Need {i}")
        for i, org in enumerate(orgs)
    )
    client.force_login(personas.fiona)
    # 4 queries: session, user, network, roles; 1: requests with organisation, topic, group
    with django_assert_num_queries(5):
        response = client.get(url(personas))
    assert len(response.context["rows"]) == n
