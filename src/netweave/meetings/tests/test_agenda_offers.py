"""Members' offers: the list with votes, offering, voting, accepting and declining."""

import pytest
from django.urls import reverse

from netweave.directory.tests.bulk import bulk_members
from netweave.directory.tests.factories import TopicFactory
from netweave.meetings.models import AgendaOffer, AgendaVote, OfferStatus
from netweave.meetings.tests.factories_agenda import AgendaOfferFactory, coming_meeting

pytestmark = pytest.mark.django_db


def url(network, name="meetings:offer_list", **kwargs):
    return reverse(name, kwargs={"network": network.slug, **kwargs})


@pytest.fixture
def meeting(personas):
    return coming_meeting(personas.network, title="Quarterly meeting")


@pytest.fixture
def offer(personas, meeting):
    return AgendaOfferFactory(
        network=personas.network, organisation=personas.org_a, meeting=meeting, title="Our pilot"
    )


def test_outsiders_do_not_see_offers(client, personas, offer):
    """Anonymous visitors, users without a role and other networks' facilitators get 404."""
    assert client.get(url(personas.network)).status_code == 404
    for user in (personas.charlie, personas.frank):
        client.force_login(user)
        assert client.get(url(personas.network)).status_code == 404
        vote = url(personas.network, "meetings:offer_vote", uid=offer.uid)
        assert client.post(vote).status_code == 404
    assert not AgendaVote.objects.exists()


def test_observer_reads_offers_with_vote_counts(client, personas, offer):
    """The list shows each offer with its number of votes."""
    AgendaVote.objects.create(offer=offer, voter=personas.bob, organisation=personas.org_b)
    client.force_login(personas.olga)
    response = client.get(url(personas.network))
    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert row["offer"].vote_count == 1 and not row["offer"].voted
    assert "Our pilot" in response.text


def test_status_filter(client, personas, offer):
    """?status=declined lists only declined offers."""
    AgendaOfferFactory(
        network=personas.network, organisation=personas.org_b, title="Old idea", status="declined"
    )
    client.force_login(personas.olga)
    rows = client.get(url(personas.network), {"status": "declined"}).context["rows"]
    assert [row["offer"].title for row in rows] == ["Old idea"]


def test_focal_point_offers_for_own_organisation(client, personas, meeting):
    """Alice offers an item for her organisation and a coming meeting."""
    TopicFactory(slug="pilots")
    client.force_login(personas.alice)
    assert client.get(url(personas.network, "meetings:offer_create")).status_code == 200
    response = client.post(
        url(personas.network, "meetings:offer_create"),
        {
            "organisation": "awi",
            "meeting": str(meeting.uid),
            "kind": "showcase",
            "title": "Our pilot",
            "topics": ["pilots"],
            "duration_minutes": "20",
            "urgency": "2",
        },
    )
    assert response.status_code == 302
    offer = AgendaOffer.objects.get()
    assert (offer.organisation, offer.meeting, offer.urgency) == (personas.org_a, meeting, 2)


def test_focal_point_cannot_offer_for_another_organisation(client, personas):
    """Bob's organisation is not among Alice's choices; nothing is saved."""
    client.force_login(personas.alice)
    response = client.post(
        url(personas.network, "meetings:offer_create"),
        {
            "organisation": "bm",
            "kind": "showcase",
            "title": "X",
            "duration_minutes": "10",
            "urgency": "1",
        },
    )
    assert response.status_code == 400
    assert "organisation" in response.context["form"].errors
    assert not AgendaOffer.objects.exists()


@pytest.mark.parametrize("who", ["olga", "sam"])
def test_members_without_an_organisation_cannot_offer(client, personas, who):
    """Observers and steering members without a focal role get 403."""
    client.force_login(getattr(personas, who))
    assert client.get(url(personas.network, "meetings:offer_create")).status_code == 403


def test_vote_toggles(client, personas, offer):
    """A vote is counted, a second click takes it back."""
    client.force_login(personas.bob)
    vote = url(personas.network, "meetings:offer_vote", uid=offer.uid)
    client.post(vote)
    assert AgendaVote.objects.get().organisation == personas.org_b
    assert client.get(url(personas.network)).context["rows"][0]["offer"].voted
    client.post(vote)
    assert not AgendaVote.objects.exists()


def test_facilitator_accepts_into_a_meeting(client, personas, offer, meeting):
    """Accepting puts the offer on the chosen meeting's agenda."""
    client.force_login(personas.fiona)
    response = client.post(
        url(personas.network, "meetings:offer_accept", uid=offer.uid), {"meeting": str(meeting.uid)}
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED
    assert list(meeting.agenda.values_list("title", flat=True)) == ["Our pilot"]


@pytest.mark.parametrize("who", ["alice", "sam", "olga"])
def test_only_facilitators_decide(client, personas, offer, meeting, who):
    """Focal points, steering members and observers may not accept or decline (403)."""
    client.force_login(getattr(personas, who))
    accept = url(personas.network, "meetings:offer_accept", uid=offer.uid)
    assert client.post(accept, {"meeting": str(meeting.uid)}).status_code == 403
    decline = url(personas.network, "meetings:offer_decline", uid=offer.uid)
    assert client.post(decline, {"reason": "No"}).status_code == 403
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PROPOSED


def test_decline_needs_a_reason_that_the_offering_member_reads(client, personas, offer):
    """Without a reason the form refuses; the reason shows to Alice, not to Bob."""
    client.force_login(personas.fiona)
    decline = url(personas.network, "meetings:offer_decline", uid=offer.uid)
    response = client.post(decline, {"reason": ""})
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    client.post(decline, {"reason": "We covered pilots last quarter."})
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED
    client.force_login(personas.alice)
    assert "We covered pilots last quarter." in client.get(url(personas.network)).text
    client.force_login(personas.bob)
    assert "We covered pilots last quarter." not in client.get(url(personas.network)).text


@pytest.mark.parametrize("count", [10, 200])
def test_list_query_count_is_constant(client, personas, count, django_assert_num_queries):
    """The list reads the same number of queries for 10 or 200 offers."""
    orgs = bulk_members(personas.network, 10, people_per_org=0)
    topic = TopicFactory()
    offers = AgendaOffer.objects.bulk_create(
        AgendaOffer(network=personas.network, organisation=orgs[i % 10], title=f"Offer {i}")
        for i in range(count)
    )
    AgendaOffer.topics.through.objects.bulk_create(
        AgendaOffer.topics.through(agendaoffer_id=o.pk, topic_id=topic.pk) for o in offers
    )
    AgendaVote.objects.bulk_create(
        AgendaVote(offer=o, voter=personas.bob, organisation=personas.org_b) for o in offers
    )
    client.force_login(personas.fiona)
    # 7 queries: session, user, network, roles, coming meetings, offers with votes, topics.
    with django_assert_num_queries(7):
        response = client.get(url(personas.network))
    assert len(response.context["rows"]) == count
