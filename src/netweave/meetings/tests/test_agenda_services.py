"""Agenda services: items, offers and votes, candidates and the builder's input."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from netweave.directory.models import Organisation, OrganisationInterest
from netweave.directory.tests.bulk import bulk_members
from netweave.directory.tests.factories import OrganisationFactory, PersonFactory, TopicFactory
from netweave.meetings import services
from netweave.meetings.models import (
    ActionItem,
    AgendaItem,
    AgendaOffer,
    AgendaVote,
    OfferStatus,
)
from netweave.meetings.tests.factories import MeetingFactory
from netweave.meetings.tests.factories_agenda import (
    AgendaItemFactory,
    AgendaOfferFactory,
    coming_meeting,
    past_meeting,
)
from netweave.networks.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(personas):
    return coming_meeting(personas.network, title="Quarterly meeting")


def titles(meeting):
    return list(meeting.agenda.order_by("position", "id").values_list("title", flat=True))


# Agenda items ----------------------------------------------------------------------------------
def test_items_are_appended_in_order(personas, meeting):
    """Each new item goes to the end of the agenda."""
    for title in ("Welcome", "Showcase", "Any other business"):
        services.add_agenda_item(meeting, {"title": title}, acting_user=personas.fiona)
    assert titles(meeting) == ["Welcome", "Showcase", "Any other business"]


def test_presenter_from_outside_the_network_is_refused(personas, meeting):
    """A presenter organisation or person outside the network is an error; nothing is saved."""
    outsider = OrganisationFactory(name="Not a member")
    with pytest.raises(ValidationError) as error:
        services.add_agenda_item(
            meeting, {"title": "X", "presenter_organisation": outsider}, acting_user=None
        )
    assert "presenter_organisation" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.add_agenda_item(
            meeting,
            {"title": "X", "presenter_person": PersonFactory(organisation=outsider)},
            acting_user=None,
        )
    assert "presenter_person" in error.value.message_dict
    assert not AgendaItem.objects.exists()


def test_member_presenters_are_accepted(personas, meeting):
    """A member organisation and one of its people may present."""
    item = services.add_agenda_item(
        meeting,
        {
            "title": "Our study",
            "presenter_organisation": personas.org_a,
            "presenter_person": personas.person_a,
            "duration_minutes": 30,
        },
        topics=[TopicFactory(slug="wash")],
        acting_user=personas.fiona,
    )
    assert item.presenter_organisation == personas.org_a
    assert [t.slug for t in item.topics.all()] == ["wash"]


def test_zero_minutes_is_refused(personas, meeting):
    """An item lasts at least a minute."""
    with pytest.raises(ValidationError) as error:
        services.add_agenda_item(meeting, {"title": "X", "duration_minutes": 0}, acting_user=None)
    assert "duration_minutes" in error.value.message_dict


def test_move_up_and_down_swaps_neighbours(personas, meeting):
    """Moving swaps with the neighbour; the first item cannot go further up."""
    a, b, c = (AgendaItemFactory(meeting=meeting, title=t, position=0) for t in "ABC")
    services.move_agenda_item(c, "up", acting_user=None)
    assert titles(meeting) == ["A", "C", "B"]
    services.move_agenda_item(a, "down", acting_user=None)
    assert titles(meeting) == ["C", "A", "B"]
    services.move_agenda_item(c, "up", acting_user=None)
    assert titles(meeting) == ["C", "A", "B"]
    with pytest.raises(ValidationError):
        services.move_agenda_item(b, "sideways", acting_user=None)


def test_schedule_gives_start_times_on_the_meeting_clock(personas):
    """Items start one after another, in the meeting's time zone; overruns are flagged."""
    meeting = MeetingFactory(
        network=personas.network,
        start=dt.datetime(2025, 3, 4, 4, 0, tzinfo=dt.UTC),  # 09:00 in Dushanbe
        end=dt.datetime(2025, 3, 4, 5, 0, tzinfo=dt.UTC),
        time_zone="Asia/Dushanbe",
    )
    items = [
        AgendaItemFactory(meeting=meeting, duration_minutes=30),
        AgendaItemFactory(meeting=meeting, duration_minutes=45),
    ]
    rows = services.schedule(meeting, items)
    assert [row.start.strftime("%H:%M") for row in rows] == ["09:00", "09:30"]
    assert [row.overruns for row in rows] == [False, True]


# Offers and votes ------------------------------------------------------------------------------
def test_offer_for_a_coming_meeting(personas, meeting):
    """A member offers an item for a meeting, with topics; it starts as proposed."""
    offer = services.offer_item(
        personas.network,
        {"title": "Our pilot", "urgency": 2, "duration_minutes": 20},
        organisation=personas.org_a,
        meeting=meeting,
        topics=[TopicFactory(slug="pilots")],
        acting_user=personas.alice,
    )
    assert offer.status == OfferStatus.PROPOSED
    assert offer.created_by == personas.alice
    assert offer.meeting == meeting


def test_offer_needs_a_member_and_a_coming_meeting_of_the_network(personas, meeting):
    """Non-members, other networks' meetings, past meetings and urgency 4 are refused."""
    outsider = OrganisationFactory()
    other_meeting = coming_meeting(personas.other_network)
    past = past_meeting(personas.network)
    for organisation, target, data, field in [
        (outsider, meeting, {"title": "X"}, "organisation"),
        (personas.org_a, other_meeting, {"title": "X"}, "meeting"),
        (personas.org_a, past, {"title": "X"}, "meeting"),
        (personas.org_a, meeting, {"title": "X", "urgency": 4}, "urgency"),
    ]:
        with pytest.raises(ValidationError) as error:
            services.offer_item(
                personas.network, data, organisation=organisation, meeting=target, acting_user=None
            )
        assert field in error.value.message_dict
    assert not AgendaOffer.objects.exists()


def test_vote_toggles(personas):
    """A vote is counted once per user; voting again takes it back."""
    offer = AgendaOfferFactory(network=personas.network, organisation=personas.org_a)
    assert services.toggle_vote(offer, organisation=personas.org_b, acting_user=personas.bob)
    assert AgendaVote.objects.get().organisation == personas.org_b
    assert not services.toggle_vote(offer, acting_user=personas.bob)
    assert not AgendaVote.objects.exists()


def test_no_votes_on_decided_offers(personas):
    """Once accepted or declined, an offer takes no votes."""
    offer = AgendaOfferFactory(
        network=personas.network, organisation=personas.org_a, status=OfferStatus.DECLINED
    )
    with pytest.raises(ValidationError):
        services.toggle_vote(offer, acting_user=personas.bob)


def test_accept_puts_the_offer_on_the_agenda(personas, meeting):
    """Accepting creates a linked agenda item at the end of the agenda; again changes nothing."""
    AgendaItemFactory(meeting=meeting, title="Welcome")
    topic = TopicFactory(slug="sanitation")
    offer = AgendaOfferFactory(
        network=personas.network,
        organisation=personas.org_a,
        person=personas.person_a,
        title="Latrine study",
        duration_minutes=25,
    )
    offer.topics.set([topic])
    item = services.accept_offer(offer, meeting=meeting, acting_user=personas.fiona)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED and offer.meeting == meeting
    assert offer.decided_by == personas.fiona
    assert item.offer == offer and item.presenter_organisation == personas.org_a
    assert item.presenter_person == personas.person_a and item.duration_minutes == 25
    assert list(item.topics.all()) == [topic]
    assert titles(meeting) == ["Welcome", "Latrine study"]
    assert services.accept_offer(offer, meeting=meeting, acting_user=personas.fiona) == item
    assert meeting.agenda.count() == 2


def test_accept_without_a_meeting_asks_for_one(personas):
    """An offer for the next suitable meeting needs a meeting to be accepted into."""
    offer = AgendaOfferFactory(network=personas.network, organisation=personas.org_a)
    with pytest.raises(ValidationError) as error:
        services.accept_offer(offer, acting_user=personas.fiona)
    assert "meeting" in error.value.message_dict


def test_decline_needs_a_reason(personas):
    """A decline without a reason is refused; with one, the reason is kept."""
    offer = AgendaOfferFactory(network=personas.network, organisation=personas.org_a)
    with pytest.raises(ValidationError) as error:
        services.decline_offer(offer, reason="   ", acting_user=personas.fiona)
    assert "reason" in error.value.message_dict
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PROPOSED
    services.decline_offer(offer, reason="Covered last quarter.", acting_user=personas.fiona)
    offer.refresh_from_db()
    assert (offer.status, offer.decline_reason) == (OfferStatus.DECLINED, "Covered last quarter.")


# Candidates and the builder --------------------------------------------------------------------
def test_candidates_come_from_offers_and_open_actions(personas, meeting):
    """Accepted-but-unscheduled and proposed offers, and open actions of earlier meetings."""
    other = coming_meeting(personas.network, title="Another")
    net = personas.network
    org = personas.org_a
    proposed_here = AgendaOfferFactory(network=net, organisation=org, meeting=meeting)
    proposed_any = AgendaOfferFactory(network=net, organisation=org, meeting=None)
    AgendaOfferFactory(network=net, organisation=org, meeting=other)  # another meeting's
    accepted = AgendaOfferFactory(network=net, organisation=org, meeting=meeting, status="accepted")
    scheduled = AgendaOfferFactory(
        network=net, organisation=org, meeting=meeting, status="accepted"
    )
    AgendaItemFactory(meeting=meeting, offer=scheduled)
    AgendaOfferFactory(network=net, organisation=org, status="declined")
    earlier = past_meeting(net)
    open_action = ActionItem.objects.create(
        network=net, meeting=earlier, title="Share the map", owner_organisation=personas.org_b
    )
    ActionItem.objects.create(network=net, meeting=earlier, title="Done", status="done")
    followed = ActionItem.objects.create(network=net, meeting=earlier, title="Followed up")
    AgendaItemFactory(meeting=meeting, action_item=followed)

    candidates = services.agenda_candidates(meeting)
    assert {c.id for c in candidates} == {
        str(proposed_here.uid),
        str(proposed_any.uid),
        str(accepted.uid),
        str(open_action.uid),
    }
    follow_up = next(c for c in candidates if c.action is not None)
    assert follow_up.item.organisations == frozenset(["bm"])
    assert follow_up.item.source == "follow_up"


def test_voters_organisations_are_served_by_the_offer(personas, meeting):
    """A member who voted for an offer counts as interested in it."""
    offer = AgendaOfferFactory(network=personas.network, organisation=personas.org_a, urgency=3)
    AgendaVote.objects.create(offer=offer, voter=personas.bob, organisation=personas.org_b)
    (candidate,) = services.offer_candidates(meeting)
    assert candidate.item.organisations == frozenset(["bm"])
    assert candidate.item.urgency == 1.0


def test_suggestion_covers_the_members_and_says_who_is_left_out(personas, meeting):
    """The plan covers members through shared topics and explains the uncovered."""
    water, energy = TopicFactory(slug="water"), TopicFactory(slug="energy")
    OrganisationInterest.objects.create(organisation=personas.org_a, topic=water, level=3)
    OrganisationInterest.objects.create(organisation=personas.org_b, topic=energy, level=1)
    silent = OrganisationFactory(name="Silent NGO", slug="silent")
    MembershipFactory(network=personas.network, organisation=silent)
    elsewhere = OrganisationFactory(name="Elsewhere Bank", slug="elsewhere")
    MembershipFactory(network=personas.network, organisation=elsewhere)
    OrganisationInterest.objects.create(organisation=elsewhere, topic=TopicFactory(slug="finance"))
    offer = AgendaOfferFactory(network=personas.network, organisation=personas.org_a)
    offer.topics.set([water])
    long_offer = AgendaOfferFactory(
        network=personas.network, organisation=personas.org_b, duration_minutes=500
    )
    long_offer.topics.set([energy])

    suggestion = services.suggest_agenda(meeting, max_items=3)
    plan = suggestion.plan
    assert plan.length_minutes == 180
    assert plan.item_ids == (str(offer.uid),)
    assert plan.covered == ("awi",)
    reasons = {row.id: (row.reason_code, row.item_ids) for row in plan.uncovered}
    assert reasons == {
        "bm": ("did_not_fit", (str(long_offer.uid),)),
        "elsewhere": ("no_interest", ()),
        "silent": ("no_interests_declared", ()),
    }
    assert plan.too_long == (str(long_offer.uid),)
    data = suggestion.as_dict()
    assert data["coverage"] == pytest.approx(1 / 4)
    assert data["organisations"]["awi"] == "Alpha Water Institute"


def test_adding_suggested_items_is_idempotent(personas, meeting):
    """Adding the same suggestion twice adds each item once; unknown ids add nothing."""
    offer = AgendaOfferFactory(network=personas.network, organisation=personas.org_a)
    action = ActionItem.objects.create(
        network=personas.network,
        meeting=past_meeting(personas.network),
        title="Share the map",
        owner_person=personas.person_b,
    )
    ids = [str(offer.uid), str(action.uid)]
    added = services.add_suggested_items(meeting, ids, acting_user=personas.fiona)
    assert [item.kind for item in added] == ["showcase", "follow_up"]
    assert added[1].action_item == action and added[1].presenter_organisation == personas.org_b
    assert services.add_suggested_items(meeting, ids, acting_user=personas.fiona) == []
    assert meeting.agenda.count() == 2
    with pytest.raises(ValidationError):
        services.add_suggested_items(
            meeting,
            [
                str(
                    AgendaOfferFactory(
                        network=personas.other_network, organisation=personas.org_a
                    ).uid
                )
            ],
        )
    assert meeting.agenda.count() == 2


@pytest.mark.parametrize("members", [5, 200])
def test_builder_input_takes_a_constant_number_of_queries(
    personas, meeting, members, django_assert_num_queries
):
    """Candidates and interests load in the same number of queries for 5 or 200 members."""
    orgs = bulk_members(personas.network, members, people_per_org=0)
    topics = list(OrganisationInterest.objects.values_list("topic_id", flat=True).distinct())
    for i, org in enumerate(orgs[:5]):
        offer = AgendaOfferFactory(network=personas.network, organisation=org)
        offer.topics.set(topics[i % len(topics) : i % len(topics) + 1])
        AgendaVote.objects.create(offer=offer, voter=personas.bob, organisation=personas.org_b)
    ActionItem.objects.create(
        network=personas.network,
        meeting=past_meeting(personas.network),
        title="Open action",
        owner_organisation=orgs[0],
    )
    # 6 queries: offers, their topics, their votes, open actions, member organisations,
    # their interests.
    with django_assert_num_queries(6):
        candidates = services.agenda_candidates(meeting)
        organisations, _by_slug = services.agenda_organisations(personas.network)
    assert len(candidates) == 6
    assert len(organisations) == members + 2
    assert Organisation.objects.count() >= members
