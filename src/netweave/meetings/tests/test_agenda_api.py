"""API of agendas: /api/v1/agenda-items/, /agenda-offers/, /agenda-suggestions/."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from netweave.directory.models import OrganisationInterest
from netweave.directory.tests.factories import OrganisationFactory, TopicFactory
from netweave.meetings.models import AgendaItem, AgendaOffer, AgendaVote, OfferStatus
from netweave.meetings.tests.factories_agenda import (
    AgendaItemFactory,
    AgendaOfferFactory,
    coming_meeting,
    past_meeting,
)

pytestmark = pytest.mark.django_db

ITEMS = "/api/v1/agenda-items/"
OFFERS = "/api/v1/agenda-offers/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def meeting(personas):
    return coming_meeting(personas.network, title="Quarterly meeting")


# Agenda items ----------------------------------------------------------------------------------
def test_facilitator_creates_moves_updates_and_deletes_items(api, personas, meeting):
    """CRUD and move for the network's facilitator."""
    TopicFactory(slug="wash")
    api.force_authenticate(personas.fiona)
    first = api.post(
        ITEMS,
        {
            "meeting": str(meeting.uid),
            "title": "Welcome",
            "kind": "discussion",
            "topics": ["wash"],
            "presenter_organisation": "awi",
            "duration_minutes": 10,
        },
        format="json",
    )
    assert first.status_code == 201, first.json()
    assert first.json()["presenter_organisation"] == "awi"
    second = api.post(ITEMS, {"meeting": str(meeting.uid), "title": "Showcase"}, format="json")
    uid = second.json()["uid"]
    moved = api.post(f"{ITEMS}{uid}/move/", {"direction": "up"}, format="json")
    assert moved.status_code == 200 and moved.json()["position"] == 0
    listed = api.get(ITEMS, {"meeting": str(meeting.uid)}).json()["results"]
    assert [row["title"] for row in listed] == ["Showcase", "Welcome"]
    assert api.patch(f"{ITEMS}{uid}/", {"duration_minutes": 40}, format="json").status_code == 200
    assert AgendaItem.objects.get(uid=uid).duration_minutes == 40
    assert api.delete(f"{ITEMS}{uid}/").status_code == 204
    assert meeting.agenda.count() == 1


def test_presenter_from_outside_the_network_is_a_400(api, personas, meeting):
    """A visible organisation that is not a member is refused by the service."""
    other = OrganisationFactory(slug="elsewhere")
    from netweave.networks.tests.factories import MembershipFactory

    MembershipFactory(network=personas.other_network, organisation=other)
    api.force_authenticate(personas.fiona)
    response = api.post(
        ITEMS,
        {"meeting": str(meeting.uid), "title": "X", "presenter_organisation": "elsewhere"},
        format="json",
    )
    assert response.status_code == 400
    assert "presenter_organisation" in response.json()
    assert not AgendaItem.objects.exists()


def test_focal_point_reads_but_may_not_write_items(api, personas, meeting):
    """Alice lists the agenda; creating, changing and deleting are 403."""
    item = AgendaItemFactory(meeting=meeting)
    api.force_authenticate(personas.alice)
    assert api.get(ITEMS, {"meeting": str(meeting.uid)}).json()["count"] == 1
    assert (
        api.post(ITEMS, {"meeting": str(meeting.uid), "title": "X"}, format="json").status_code
        == 403
    )
    assert api.patch(f"{ITEMS}{item.uid}/", {"title": "Y"}, format="json").status_code == 403
    assert api.delete(f"{ITEMS}{item.uid}/").status_code == 403


def test_outsider_sees_no_items_of_members_only_meetings(api, personas, meeting):
    """Charlie lists nothing and gets 404 for an item."""
    item = AgendaItemFactory(meeting=meeting)
    api.force_authenticate(personas.charlie)
    assert api.get(ITEMS).json()["count"] == 0
    assert api.get(f"{ITEMS}{item.uid}/").status_code == 404


@pytest.mark.parametrize("count", [3, 60])
def test_item_list_query_count_is_constant(
    api, personas, meeting, count, django_assert_num_queries
):
    """Listing reads the same number of queries for 3 or 60 items."""
    topic = TopicFactory()
    items = AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, title=f"Item {i}", position=i) for i in range(count)
    )
    for item in items:
        item.topics.add(topic)
    api.force_authenticate(personas.olga)
    # 3 queries: count, items page (meetings, presenters joined), topics.
    with django_assert_num_queries(3):
        response = api.get(ITEMS, {"meeting": str(meeting.uid)})
    assert response.json()["count"] == count


# Offers ----------------------------------------------------------------------------------------
def test_focal_point_offers_and_members_vote(api, personas, meeting):
    """Alice offers for her organisation; Bob votes and takes it back."""
    api.force_authenticate(personas.alice)
    response = api.post(
        OFFERS,
        {
            "network": "testnet",
            "organisation": "awi",
            "meeting": str(meeting.uid),
            "title": "Our pilot",
            "urgency": 3,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    uid = response.json()["uid"]
    api.force_authenticate(personas.bob)
    assert api.post(f"{OFFERS}{uid}/vote/").json() == {"voted": True, "vote_count": 1}
    assert AgendaVote.objects.get().organisation == personas.org_b
    assert api.get(f"{OFFERS}{uid}/").json()["voted"] is True
    assert api.post(f"{OFFERS}{uid}/vote/").json() == {"voted": False, "vote_count": 0}


def test_focal_point_may_not_offer_for_another_organisation(api, personas):
    """Alice offering in Beta's name is 403; nothing saved."""
    api.force_authenticate(personas.alice)
    response = api.post(
        OFFERS, {"network": "testnet", "organisation": "bm", "title": "X"}, format="json"
    )
    assert response.status_code == 403
    assert not AgendaOffer.objects.exists()


def test_facilitator_accepts_and_declines(api, personas, meeting):
    """Accept returns the new agenda item; decline needs a reason, read by the offerer only."""
    accepted = AgendaOfferFactory(network=personas.network, organisation=personas.org_a)
    declined = AgendaOfferFactory(network=personas.network, organisation=personas.org_a)
    api.force_authenticate(personas.fiona)
    response = api.post(
        f"{OFFERS}{accepted.uid}/accept/", {"meeting": str(meeting.uid)}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["offer"] == str(accepted.uid)
    assert api.post(f"{OFFERS}{declined.uid}/decline/", {}, format="json").status_code == 400
    response = api.post(f"{OFFERS}{declined.uid}/decline/", {"reason": "Next year."}, format="json")
    assert response.json()["status"] == OfferStatus.DECLINED
    api.force_authenticate(personas.alice)
    assert api.get(f"{OFFERS}{declined.uid}/").json()["decline_reason"] == "Next year."
    api.force_authenticate(personas.bob)
    assert api.get(f"{OFFERS}{declined.uid}/").json()["decline_reason"] is None


def test_focal_point_may_not_decide(api, personas, meeting):
    """Accepting and declining are for facilitators (403)."""
    offer = AgendaOfferFactory(network=personas.network, organisation=personas.org_a)
    api.force_authenticate(personas.alice)
    assert (
        api.post(f"{OFFERS}{offer.uid}/accept/", {"meeting": str(meeting.uid)}).status_code == 403
    )
    assert api.post(f"{OFFERS}{offer.uid}/decline/", {"reason": "x"}).status_code == 403


def test_outsider_sees_no_offers(api, personas):
    """Without a role: an empty list and 404s."""
    offer = AgendaOfferFactory(network=personas.network, organisation=personas.org_a)
    api.force_authenticate(personas.charlie)
    assert api.get(OFFERS).json()["count"] == 0
    assert api.post(f"{OFFERS}{offer.uid}/vote/").status_code == 404


@pytest.mark.parametrize("count", [5, 100])
def test_offer_list_query_count_is_constant(api, personas, count, django_assert_num_queries):
    """Listing reads the same number of queries for 5 or 100 offers."""
    AgendaOffer.objects.bulk_create(
        AgendaOffer(network=personas.network, organisation=personas.org_a, title=f"Offer {i}")
        for i in range(count)
    )
    api.force_authenticate(personas.olga)
    # 4 queries: count, offers page with votes, topics, the caller's roles (decline reasons).
    with django_assert_num_queries(4):
        response = api.get(OFFERS, {"page_size": 500})
    assert response.json()["count"] == count


# The suggestion --------------------------------------------------------------------------------
def test_suggestion_for_facilitators(api, personas, meeting):
    """The builder's plan as JSON; organisations by slug."""
    water = TopicFactory(slug="water")
    OrganisationInterest.objects.create(organisation=personas.org_a, topic=water, level=2)
    offer = AgendaOfferFactory(network=personas.network, organisation=personas.org_b)
    offer.topics.set([water])
    url = reverse("api:agenda-suggestion-detail", kwargs={"meeting_uid": meeting.uid})
    api.force_authenticate(personas.fiona)
    data = api.get(url, {"items": 2}).json()
    assert data["covered"] == ["awi"]
    assert data["items"][0]["id"] == str(offer.uid)
    assert [row["id"] for row in data["uncovered"]] == ["bm"]
    api.force_authenticate(personas.alice)
    assert api.get(url).status_code == 403
    api.force_authenticate(personas.charlie)
    assert api.get(url).status_code == 404
    past = past_meeting(personas.other_network)
    api.force_authenticate(personas.fiona)
    url = reverse("api:agenda-suggestion-detail", kwargs={"meeting_uid": past.uid})
    assert api.get(url).status_code == 404
