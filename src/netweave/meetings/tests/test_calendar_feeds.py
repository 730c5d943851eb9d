import icalendar
import pytest
from django.urls import reverse

from netweave.meetings.models import FeedToken
from netweave.meetings.tests.factories import MeetingFactory
from netweave.meetings.tests.factories_calendar import InvitationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def network_feed(network, **params):
    from urllib.parse import urlencode

    base = reverse("meetings:network_feed", kwargs={"network": network.slug})
    return base + ("?" + urlencode(params) if params else "")


def summaries(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))


@pytest.fixture
def meetings(personas):
    personas.network.visibility = "public"
    personas.network.save()
    return (
        MeetingFactory(network=personas.network, title="Open day", visibility="public"),
        MeetingFactory(network=personas.network, title="Members talk", visibility="members"),
        MeetingFactory(network=personas.other_network, title="Elsewhere", visibility="public"),
    )


def test_network_feed_public_meetings_for_anyone(personas, client, meetings):
    """Anyone who may read the network gets its public meetings only."""
    assert summaries(client.get(network_feed(personas.network))) == ["Open day"]


def test_network_feed_all_meetings_with_member_token(personas, client, meetings):
    """A member's person token opens the members-only meetings too."""
    FeedToken.objects.create(person=personas.person_a, token="member-secret")
    response = client.get(network_feed(personas.network, token="member-secret"))
    assert summaries(response) == ["Members talk", "Open day"]


def test_network_feed_unknown_token_is_404(personas, client, meetings):
    """A wrong token is refused as missing."""
    assert client.get(network_feed(personas.network, token="guess")).status_code == 404


def test_members_only_network_feed_needs_member_token(personas, client):
    """A members-only network's feed is missing without a token, open with a member's."""
    MeetingFactory(network=personas.network, title="Members talk")
    assert client.get(network_feed(personas.network)).status_code == 404
    FeedToken.objects.create(person=personas.person_a, token="member-secret")
    assert summaries(client.get(network_feed(personas.network, token="member-secret"))) == [
        "Members talk"
    ]
    assert (
        client.get(network_feed(personas.other_network, token="member-secret")).status_code == 404
    )


def test_person_feed_lists_invited_and_registered(personas, client, meetings):
    """The personal feed holds meetings the person is invited to or registered for, not declined."""
    open_day, members_talk, elsewhere = meetings
    declined = MeetingFactory(network=personas.network, title="Declined")
    InvitationFactory(meeting=open_day, person=personas.person_a)
    RegistrationFactory(meeting=members_talk, person=personas.person_a, response="maybe")
    InvitationFactory(meeting=declined, person=personas.person_a)
    RegistrationFactory(meeting=declined, person=personas.person_a, response="no")
    InvitationFactory(meeting=elsewhere, person=personas.person_a)
    InvitationFactory(meeting=open_day, person=personas.person_b)
    FeedToken.objects.create(person=personas.person_a, token="a-secret")
    address = reverse(
        "meetings:person_feed", kwargs={"network": personas.network.slug, "token": "a-secret"}
    )
    assert summaries(client.get(address)) == ["Members talk", "Open day"]


def test_person_feed_wrong_token_404(personas, client):
    """An unknown personal token is missing."""
    address = reverse(
        "meetings:person_feed", kwargs={"network": personas.network.slug, "token": "nope"}
    )
    assert client.get(address).status_code == 404


def test_feed_query_count_constant(personas, client, django_assert_num_queries):
    """The feed reads the same number of queries with 5 or 100 meetings."""
    FeedToken.objects.create(person=personas.person_a, token="member-secret")
    for count in (5, 95):
        MeetingFactory.create_batch(count, network=personas.network)
        # 4 queries: network, token with person, member networks, meetings with network
        with django_assert_num_queries(4):
            client.get(network_feed(personas.network, token="member-secret"))
