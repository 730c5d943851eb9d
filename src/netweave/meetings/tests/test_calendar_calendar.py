import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from netweave.meetings.models import Meeting
from netweave.meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2015, 7, 15, 12, tzinfo=dt.UTC)


def url(network, **params):
    from urllib.parse import urlencode

    base = reverse("meetings:calendar", kwargs={"network": network.slug})
    return base + ("?" + urlencode(params, doseq=True) if params else "")


def titles(response):
    return [m.title for m in response.context["meetings"]]


def bulk_meetings(network, count, start=dt.datetime(2015, 7, 1, 9, tzinfo=dt.UTC)):
    Meeting.objects.bulk_create(
        Meeting(
            network=network,
            title=f"Bulk {i}",
            start=start + dt.timedelta(hours=5 * i),
            end=start + dt.timedelta(hours=5 * i + 2),
            venue="Hall",
            time_zone="Asia/Dushanbe",
        )
        for i in range(count)
    )


def test_outsiders_get_404(personas, client):
    """Anonymous visitors and people without a role do not see a members-only network's meetings."""
    assert client.get(url(personas.network)).status_code == 404
    client.force_login(personas.charlie)
    assert client.get(url(personas.network)).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_upcoming_first_then_past(personas, client):
    """The list shows upcoming meetings soonest first, then past meetings latest first."""
    for title, day in [("Past A", 1), ("Future B", 30), ("Past C", 10), ("Future D", 20)]:
        MeetingFactory(
            network=personas.network,
            title=title,
            start=dt.datetime(2015, 7, day, 9, tzinfo=dt.UTC),
        )
    client.force_login(personas.olga)
    response = client.get(url(personas.network))
    assert titles(response) == ["Future D", "Future B", "Past C", "Past A"]
    assert "Upcoming meetings" in response.text and "Past meetings" in response.text


def test_members_only_meetings_only_for_roles(personas, client):
    """In a public network, visitors see public meetings; people with a role see all."""
    personas.network.visibility = "public"
    personas.network.save()
    MeetingFactory(network=personas.network, title="Open day", visibility="public")
    MeetingFactory(network=personas.network, title="Members talk", visibility="members")
    assert titles(client.get(url(personas.network))) == ["Open day"]
    client.force_login(personas.charlie)
    assert titles(client.get(url(personas.network))) == ["Open day"]
    client.force_login(personas.olga)
    assert sorted(titles(client.get(url(personas.network)))) == ["Members talk", "Open day"]


def test_filter_by_type(personas, client):
    """Filtering by type keeps only meetings of the chosen types."""
    MeetingFactory(network=personas.network, title="Coffee", kind="coffee")
    MeetingFactory(network=personas.network, title="Roundtable", kind="roundtable")
    MeetingFactory(network=personas.network, title="Workshop", kind="workshop")
    client.force_login(personas.olga)
    response = client.get(url(personas.network, kind=["coffee", "roundtable"]))
    assert sorted(titles(response)) == ["Coffee", "Roundtable"]


def test_month_grid_places_meetings_on_their_local_day(personas, client):
    """The month grid puts a meeting on its own clock's day (23:30 UTC is next day in Dushanbe)."""
    MeetingFactory(
        network=personas.network,
        title="Special event",
        start=dt.datetime(2015, 7, 20, 23, 30, tzinfo=dt.UTC),
        time_zone="Asia/Dushanbe",
    )
    MeetingFactory(
        network=personas.network, title="August", start=dt.datetime(2015, 8, 20, 9, tzinfo=dt.UTC)
    )
    client.force_login(personas.olga)
    response = client.get(url(personas.network, view="month", month="2015-07"))
    assert response.status_code == 200
    days = {
        day["date"]: [m.title for m in day["meetings"]]
        for week in response.context["weeks"]
        for day in week
    }
    assert days[dt.date(2015, 7, 21)] == ["Special event"]
    assert days[dt.date(2015, 7, 20)] == []
    assert "August" not in response.text
    assert "July 2015" in response.text and "month=2015-08" in response.text


def test_bad_month_falls_back_to_current(personas, client):
    """A malformed month is ignored rather than failing."""
    client.force_login(personas.olga)
    assert client.get(url(personas.network, view="month", month="2015-13")).status_code == 200


def test_room_clash_badge_in_list(personas, client):
    """Meetings sharing a venue at the same time carry a room-clash badge in the list."""
    start = dt.datetime(2015, 7, 1, 9, tzinfo=dt.UTC)
    MeetingFactory(network=personas.network, start=start, venue="Hall")
    MeetingFactory(network=personas.network, start=start + dt.timedelta(hours=1), venue="hall")
    MeetingFactory(network=personas.network, start=start, venue="Garden")
    client.force_login(personas.olga)
    flags = [m.has_clash for m in client.get(url(personas.network)).context["meetings"]]
    assert sorted(flags) == [False, True, True]


@pytest.mark.parametrize("count", [5, 100])
def test_list_query_count_constant(personas, client, django_assert_num_queries, count):
    """The list page reads the same number of queries with 5 or 100 meetings."""
    bulk_meetings(personas.network, count)
    client.force_login(personas.olga)
    # 9 queries: session, user, network, roles, the user's person, the meetings' clock (the
    # key of the cached list), count, page of meetings, the page's room clashes
    with django_assert_num_queries(9):
        response = client.get(url(personas.network))
    assert len(response.context["meetings"]) == min(count, 20)


@pytest.mark.parametrize("count", [5, 100])
def test_month_query_count_constant(personas, client, django_assert_num_queries, count):
    """The month page reads the same number of queries with 5 or 100 meetings in the month."""
    bulk_meetings(personas.network, count)
    client.force_login(personas.olga)
    # 6 queries: session, user, network, roles, the user's person, meetings of the grid
    with django_assert_num_queries(6):
        response = client.get(url(personas.network, view="month", month="2015-07"))
    shown = sum(len(day["meetings"]) for week in response.context["weeks"] for day in week)
    assert shown == count


def test_feed_section_shows_personal_address(personas, client):
    """A signed-in person sees their feed address after creating it, and can reset it."""
    personas.person_a.user = personas.alice
    personas.person_a.save()
    client.force_login(personas.alice)
    assert "Create my feed address" in client.get(url(personas.network)).text
    response = client.post(
        reverse("meetings:feed_reset", kwargs={"network": personas.network.slug})
    )
    assert response.status_code == 302
    token = personas.person_a.__class__.objects.get(pk=personas.person_a.pk).feed_token.token
    page = client.get(url(personas.network)).text
    assert f"/feeds/{token}.ics" in page and "Reset my feed address" in page


def test_feed_reset_needs_a_linked_person(personas, client):
    """A user not linked to a person has no feed to reset (404); GET is not allowed."""
    client.force_login(personas.olga)
    address = reverse("meetings:feed_reset", kwargs={"network": personas.network.slug})
    assert client.post(address).status_code == 404
    assert client.get(address).status_code == 405
