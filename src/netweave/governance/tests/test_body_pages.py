"""The bodies list and a body's page with seats, quorum and sector balance."""

import datetime as dt

import pytest
from django.urls import reverse

from netweave.directory.tests.bulk import bulk_members
from netweave.governance import services
from netweave.governance.models import Body, Seat
from netweave.meetings.models import Attendance, Meeting

pytestmark = pytest.mark.django_db


def _body(personas, **kwargs):
    return services.create_body(
        personas.network,
        name="Steering committee",
        kind="steering",
        quorum=2,
        sector_mix={"government": 1, "academia": 2},
        **kwargs,
    )


def test_body_page_shows_chair_and_balance(client, personas):
    """Beta Ministry chairs; academia has 1 of 2 seats: sector balance not met."""
    body = _body(personas)
    services.add_seat(body, organisation=personas.org_b, chair=True)
    services.add_seat(body, organisation=personas.org_a, person=personas.person_a)
    start = dt.datetime(2024, 1, 10, 9, tzinfo=dt.UTC)
    meeting = Meeting.objects.create(
        network=personas.network,
        title="SC meeting",
        kind="steering",
        start=start,
        end=start + dt.timedelta(hours=1),
    )
    Attendance.objects.create(
        meeting=meeting, person=personas.person_a, organisation=personas.org_a
    )
    client.force_login(personas.olga)
    response = client.get(body.get_absolute_url())
    assert response.status_code == 200
    balance = response.context["balance"]
    assert balance.chair.organisation == personas.org_b and not balance.balanced
    [quorum] = response.context["quorums"]
    assert quorum.present == 1 and not quorum.met


def test_bodies_list(client, personas):
    """The list shows the body with its seats held today."""
    body = _body(personas)
    services.add_seat(body, organisation=personas.org_a)
    services.add_seat(body, organisation=personas.org_b, end=dt.date(2000, 1, 1))
    client.force_login(personas.alice)
    response = client.get(reverse("governance:body_list", kwargs={"network": "testnet"}))
    [row] = response.context["bodies"]
    assert row.seat_count == 1


def test_outsider_gets_404(client, personas):
    """Charlie sees neither the list nor the body."""
    body = _body(personas)
    client.force_login(personas.charlie)
    assert client.get(body.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("governance:body_list", kwargs={"network": "testnet"})).status_code
        == 404
    )


@pytest.mark.parametrize("n", [10, 500])
def test_body_queries_do_not_grow(client, personas, django_assert_num_queries, n):
    """The body page and the list cost the same with 10 or 500 seats and meetings."""
    body = _body(personas)
    orgs = bulk_members(personas.network, n, people_per_org=0)
    Seat.objects.bulk_create(Seat(body=body, organisation=org) for org in orgs)
    Body.objects.bulk_create(Body(network=personas.network, name=f"Body {i}") for i in range(n))
    start = dt.datetime(2024, 1, 10, 9, tzinfo=dt.UTC)
    Meeting.objects.bulk_create(
        Meeting(
            network=personas.network,
            title=f"SC {i}",
            kind="steering",
            start=start + dt.timedelta(days=i),
            end=start + dt.timedelta(days=i, hours=1),
        )
        for i in range(n)
    )
    client.force_login(personas.fiona)
    # session, user, network, roles, body; seats with sector and person; sector names;
    # meetings; the body's seats; their attendance
    with django_assert_num_queries(10):
        response = client.get(body.get_absolute_url())
    assert response.context["balance"].seat_count == n
    # session, user, network, roles; bodies with their seat counts
    with django_assert_num_queries(5):
        client.get(reverse("governance:body_list", kwargs={"network": "testnet"}))
