"""The bodies list and a body's page with seats, terms, quorum, sector balance and meetings."""

import datetime as dt

import pytest
from django.core.cache import cache
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


def _meeting(personas, body, title="SC meeting", start=None, **kwargs):
    start = start or dt.datetime(2024, 1, 10, 9, tzinfo=dt.UTC)
    return Meeting.objects.create(
        network=personas.network,
        title=title,
        kind="steering",
        body=body,
        start=start,
        end=start + dt.timedelta(hours=1),
        **kwargs,
    )


def test_body_page_shows_chair_balance_and_its_meetings_quorum(client, personas):
    """Beta Ministry chairs; academia has 1 of 2 seats; its one meeting had 1 seat of 2."""
    body = _body(personas)
    services.add_seat(body, organisation=personas.org_b, chair=True)
    services.add_seat(body, organisation=personas.org_a, person=personas.person_a)
    meeting = _meeting(personas, body)
    _meeting(personas, None, title="Steering-kind meeting of no body")
    Attendance.objects.create(
        meeting=meeting, person=personas.person_a, organisation=personas.org_a
    )
    client.force_login(personas.olga)
    response = client.get(body.get_absolute_url())
    assert response.status_code == 200
    balance = response.context["balance"]
    assert balance.chair.organisation == personas.org_b and not balance.balanced
    [quorum] = response.context["quorums"]
    assert quorum.meeting == meeting and quorum.present == 1 and not quorum.met
    assert "Steering-kind meeting of no body" not in response.text
    assert "1 of 2" in response.text


def test_terms_list_past_and_future_seats(client, personas):
    """Every term is listed with its status; only facilitators see the seat actions."""
    body = _body(personas)
    old = services.add_seat(
        body, organisation=personas.org_a, start=dt.date(2000, 1, 1), end=dt.date(2001, 1, 1)
    )
    services.add_seat(body, organisation=personas.org_b, start=dt.date(2099, 1, 1))
    client.force_login(personas.olga)
    response = client.get(body.get_absolute_url())
    assert len(response.context["terms"]) == 2
    assert "ended" in response.text and "starts later" in response.text
    edit = reverse(
        "governance:seat_update", kwargs={"network": "testnet", "uid": body.uid, "seat": old.uid}
    )
    assert edit not in response.text
    client.force_login(personas.fiona)
    assert edit in client.get(body.get_absolute_url()).text


def test_upcoming_meeting_is_not_counted_as_missing_its_quorum(client, personas):
    """A meeting still to come shows as upcoming, not as quorum not met."""
    body = _body(personas)
    services.add_seat(body, organisation=personas.org_b, chair=True)
    _meeting(personas, body, start=dt.datetime(2099, 1, 1, 9, tzinfo=dt.UTC))
    client.force_login(personas.fiona)
    response = client.get(body.get_absolute_url())
    [quorum] = response.context["quorums"]
    assert not quorum.held
    assert "upcoming" in response.text


def test_bodies_list(client, personas):
    """The list shows the body with its seats held today; only facilitators may add one."""
    body = _body(personas)
    services.add_seat(body, organisation=personas.org_a)
    services.add_seat(body, organisation=personas.org_b, end=dt.date(2000, 1, 1))
    new = reverse("governance:body_create", kwargs={"network": "testnet"})
    client.force_login(personas.alice)
    response = client.get(reverse("governance:body_list", kwargs={"network": "testnet"}))
    [row] = response.context["bodies"]
    assert row.seat_count == 1
    assert new not in response.text
    client.force_login(personas.fiona)
    assert new in client.get(reverse("governance:body_list", kwargs={"network": "testnet"})).text


def test_outsider_gets_404(client, personas):
    """Charlie sees neither the list nor the body."""
    body = _body(personas)
    client.force_login(personas.charlie)
    assert client.get(body.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("governance:body_list", kwargs={"network": "testnet"})).status_code
        == 404
    )


def test_members_only_meetings_hidden_from_anonymous_visitors(client, personas):
    """On a public network anonymous visitors see the body but not its members-only meetings."""
    personas.network.visibility = "public"
    personas.network.save()
    body = _body(personas)
    _meeting(personas, body, title="Open session", visibility="public")
    _meeting(personas, body, title="Closed session", visibility="members")
    response = client.get(body.get_absolute_url())
    assert response.status_code == 200
    assert "Open session" in response.text and "Closed session" not in response.text


@pytest.mark.parametrize("n", [10, 500])
def test_body_queries_do_not_grow(client, personas, django_assert_num_queries, n):
    """The body page and the list cost the same with 10 or 500 seats and meetings."""
    body = _body(personas)
    orgs = bulk_members(personas.network, n, people_per_org=1)
    Seat.objects.bulk_create(Seat(body=body, organisation=org) for org in orgs)
    Body.objects.bulk_create(Body(network=personas.network, name=f"Body {i}") for i in range(n))
    start = dt.datetime(2024, 1, 10, 9, tzinfo=dt.UTC)
    meetings = Meeting.objects.bulk_create(
        Meeting(
            network=personas.network,
            body=body,
            title=f"SC {i}",
            kind="steering",
            start=start + dt.timedelta(days=i),
            end=start + dt.timedelta(days=i, hours=1),
        )
        for i in range(n)
    )
    people = {org.pk: org.people.first() for org in orgs[:5]}
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, person=people[org.pk], organisation=org)
        for meeting in meetings[:5]
        for org in orgs[:5]
    )
    client.force_login(personas.fiona)
    # session, user, network, roles, body; today's seats with sector and person; sector
    # names; every term; the body's meetings; for their quorum: the seats, their
    # organisations' attendance, the sector names
    cache.clear()  # the page built afresh, as after a change
    with django_assert_num_queries(12):
        response = client.get(body.get_absolute_url())
    assert response.context["balance"].seat_count == n
    assert len(response.context["quorums"]) == n
    assert {q.present for q in response.context["quorums"]} == {0, 5}
    # session, user, network, roles; bodies with their seat counts
    cache.clear()  # the page built afresh, as after a change
    with django_assert_num_queries(5):
        client.get(reverse("governance:body_list", kwargs={"network": "testnet"}))
