"""The agenda builder page, its "add these items" button and `netweave agenda suggest`."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from netweave.directory.models import OrganisationInterest
from netweave.directory.tests.bulk import bulk_members
from netweave.directory.tests.factories import OrganisationFactory, TopicFactory
from netweave.meetings.models import ActionItem, OfferStatus
from netweave.meetings.tests.factories_agenda import (
    AgendaItemFactory,
    AgendaOfferFactory,
    coming_meeting,
    past_meeting,
)
from netweave.networks.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def url(meeting):
    return reverse(
        "meetings:agenda_builder", kwargs={"network": meeting.network.slug, "uid": meeting.uid}
    )


@pytest.fixture
def setup(personas):
    """Alpha cares about water, Beta about energy, Gamma declared nothing; two offers."""
    meeting = coming_meeting(personas.network, title="Quarterly meeting")
    water, energy = TopicFactory(slug="water"), TopicFactory(slug="energy")
    OrganisationInterest.objects.create(organisation=personas.org_a, topic=water, level=3)
    OrganisationInterest.objects.create(organisation=personas.org_b, topic=energy, level=2)
    gamma = OrganisationFactory(name="Gamma Media", slug="gamma")
    MembershipFactory(network=personas.network, organisation=gamma)
    wells = AgendaOfferFactory(
        network=personas.network, organisation=personas.org_a, title="Wells", meeting=meeting
    )
    wells.topics.set([water])
    solar = AgendaOfferFactory(network=personas.network, organisation=personas.org_b, title="Solar")
    solar.topics.set([energy])
    action = ActionItem.objects.create(
        network=personas.network,
        meeting=past_meeting(personas.network),
        title="Circulate the map",
        owner_organisation=personas.org_b,
    )
    return meeting, wells, solar, action


@pytest.mark.parametrize(("who", "status"), [("alice", 403), ("sam", 403), ("charlie", 404)])
def test_only_facilitators_use_the_builder(client, personas, setup, who, status):
    """Others are refused and nothing is added."""
    meeting, wells, *_ = setup
    client.force_login(getattr(personas, who))
    assert client.get(url(meeting)).status_code == status
    assert client.post(url(meeting), {"item": [str(wells.uid)]}).status_code == status
    assert not meeting.agenda.exists()


def test_builder_shows_coverage_served_members_and_left_out(client, personas, setup):
    """2 of 3 members covered; each item lists whom it serves; Gamma is left out and why."""
    meeting, *_ = setup
    client.force_login(personas.fiona)
    response = client.get(url(meeting), {"items": "3", "length": "120"})
    assert response.status_code == 200
    page = response.text
    assert "2 of 3 members (67%)" in page
    planned = {
        row["planned"].title: [o.slug for o in row["serves"]] for row in response.context["planned"]
    }
    assert planned == {"Wells": ["awi"], "Solar": ["bm"], "Circulate the map": ["bm"]}
    (left_out,) = response.context["uncovered"]
    assert left_out["organisation"].slug == "gamma"
    assert "has declared no interests" in page
    assert "Method: exact" in page


def test_builder_defaults_to_the_meetings_length(client, personas, setup):
    """Without parameters, the form holds the meeting's 180 minutes and 5 items."""
    meeting, *_ = setup
    client.force_login(personas.fiona)
    response = client.get(url(meeting))
    assert response.context["plan"].length_minutes == 180
    assert response.context["plan"].max_items == 5


def test_one_item_covers_only_one_member(client, personas, setup):
    """With k=1 one member is left out because the item that interests it did not fit."""
    meeting, *_ = setup
    client.force_login(personas.fiona)
    response = client.get(url(meeting), {"items": "1", "length": "60"})
    assert response.context["plan"].covered_count == 1
    reasons = {row["organisation"].slug: row["reason"] for row in response.context["uncovered"]}
    assert "did not fit" in str(reasons.get("awi") or reasons.get("bm"))


def test_add_these_items_is_idempotent(client, personas, setup):
    """Posting the suggestion appends it; posting again adds nothing more."""
    meeting, wells, solar, action = setup
    client.force_login(personas.fiona)
    ids = [str(wells.uid), str(solar.uid), str(action.uid)]
    response = client.post(url(meeting), {"item": ids})
    assert response.status_code == 302
    assert sorted(meeting.agenda.values_list("kind", flat=True)) == [
        "follow_up",
        "showcase",
        "showcase",
    ]
    solar.refresh_from_db()
    assert (solar.status, solar.meeting) == (OfferStatus.ACCEPTED, meeting)
    client.post(url(meeting), {"item": ids})
    assert meeting.agenda.count() == 3


def test_forged_item_ids_add_nothing(client, personas, setup):
    """An id that is no candidate of this meeting is refused with a message."""
    meeting, wells, *_ = setup
    client.force_login(personas.fiona)
    response = client.post(url(meeting), {"item": [str(wells.uid), "not-a-candidate"]}, follow=True)
    assert "not candidates for this meeting" in response.text
    assert not meeting.agenda.exists()


@pytest.mark.parametrize("members", [5, 200])
def test_builder_page_query_count_is_constant(client, personas, members, django_assert_num_queries):
    """The page reads the same number of queries for 5 or 200 member organisations."""
    meeting = coming_meeting(personas.network)
    bulk_members(personas.network, members, people_per_org=0)
    AgendaOfferFactory(network=personas.network, organisation=personas.org_a, meeting=meeting)
    AgendaItemFactory(meeting=meeting)
    client.force_login(personas.fiona)
    # 13 queries: session, user, network, roles, meeting, agenda items, their topics,
    # offers, their topics, their votes, open actions, members, their interests.
    with django_assert_num_queries(13):
        response = client.get(url(meeting))
    assert response.context["plan"].total == members + 2


# The command -----------------------------------------------------------------------------------
def test_command_prints_the_plan_as_json(personas, setup):
    """JSON has items, covered, uncovered and coverage; organisations by slug."""
    meeting, wells, solar, action = setup
    out = StringIO()
    call_command(
        "agenda",
        "suggest",
        "--meeting",
        str(meeting.uid),
        "--items",
        "2",
        "--format",
        "json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert {"items", "covered", "uncovered", "coverage"} <= data.keys()
    assert sorted(data["covered"]) == ["awi", "bm"]
    assert data["coverage"] == pytest.approx(2 / 3)
    assert [row["id"] for row in data["uncovered"]] == ["gamma"]
    assert {item["id"] for item in data["items"]} <= {
        str(wells.uid),
        str(solar.uid),
        str(action.uid),
    }
    assert len(data["items"]) == 2


def test_command_prints_a_table(personas, setup):
    """The table names the coverage, the items and who is left out."""
    meeting, *_ = setup
    out = StringIO()
    call_command("agenda", "suggest", "--meeting", str(meeting.uid), "--items", "3", stdout=out)
    text = out.getvalue()
    assert "Coverage: 2 of 3 members" in text
    assert "Wells [offer]" in text and "Gamma Media: no interests declared" in text


def test_command_refuses_an_unknown_meeting(db):
    """An unknown or malformed uid is a clear error."""
    for uid in ("00000000-0000-0000-0000-000000000000", "42"):
        with pytest.raises(CommandError, match="No meeting with the uid"):
            call_command("agenda", "suggest", "--meeting", uid, stdout=StringIO())
