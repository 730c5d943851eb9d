"""A facilitator runs a meeting from plan to follow-up.

Fiona plans a meeting, builds its agenda with the builder, invites the network; Alice
registers; Fiona checks Alice in, writes the minutes with a decision and an action item,
plans the next meeting, and finds the action item on its agenda as a follow-up.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from netweave.directory.models import OrganisationInterest
from netweave.directory.tests.factories import TopicFactory
from netweave.meetings.models import ActionItem, AgendaOffer, Attendance, Meeting, Registration

pytestmark = pytest.mark.django_db(transaction=True)


def plan_meeting(page, title: str, start: str, end: str) -> None:
    page.goto("/networks/testnet/meetings/")
    page.get_by_role("link", name="Plan a meeting").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Starts").fill(start)
    page.get_by_label("Ends").fill(end)
    page.get_by_label("Time zone").select_option("Asia/Dushanbe")
    page.get_by_label("Venue").fill("Hotel Tajikistan, Dushanbe")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def test_facilitator_runs_a_meeting_from_agenda_to_follow_up(personas, page, sign_in):
    """Create → build the agenda → invite → register → check in → minutes → follow-up."""
    topic = TopicFactory(name="Hygiene in schools", slug="hygiene-in-schools")
    for org in (personas.org_a, personas.org_b):
        OrganisationInterest.objects.create(organisation=org, topic=topic)
    offer = AgendaOffer.objects.create(
        network=personas.network,
        organisation=personas.org_a,
        person=personas.person_a,
        kind="showcase",
        title="Handwashing stations in 40 schools",
        duration_minutes=20,
    )
    offer.topics.set([topic])
    personas.person_a.user = personas.alice
    personas.person_a.save()

    # Fiona plans the meeting and builds its agenda with the builder.
    sign_in("fiona")
    plan_meeting(page, "Network meeting Q1 2030", "2030-03-14T10:00", "2030-03-14T13:00")
    meeting = Meeting.objects.get(title="Network meeting Q1 2030")
    page.get_by_role("link", name="Agenda builder").click()
    expect(page.locator("#coverage")).to_contain_text("2 of 2")
    page.get_by_role("button", name="Add these items to the agenda").click()
    expect(page.locator("main")).to_contain_text("Handwashing stations in 40 schools")

    # She invites the whole network.
    page.goto(meeting.get_absolute_url())
    page.get_by_role("link", name="Invite", exact=True).click()
    page.get_by_role("button", name="Invite and e-mail").click()
    assert any("Network meeting Q1 2030" in message.subject for message in mail.outbox)

    # Alice registers herself.
    sign_in("alice")
    page.goto(meeting.get_absolute_url())
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Register").click()
    expect(page.locator(".messages")).to_be_visible()
    assert Registration.objects.get(meeting=meeting, person=personas.person_a).response == "yes"

    # On the day Fiona ticks Alice's person in the check-in list.
    sign_in("fiona")
    page.goto(meeting.get_absolute_url())
    page.get_by_role("link", name="Check-in").click()
    page.get_by_label("Find a name or organisation").fill("Anna")
    row = page.locator(f"#person-{personas.person_a.uid}")
    row.get_by_role("button").click()
    expect(page.locator(f"#person-{personas.person_a.uid}")).to_have_class(re.compile("is-present"))
    assert Attendance.objects.get(meeting=meeting).invited is True

    # She writes the minutes, a decision and an action item.
    page.goto(meeting.get_absolute_url())
    page.get_by_role("link", name="Write the minutes").click()
    page.get_by_label("Minutes", exact=True).fill("<p>Members welcomed the showcase.</p>")
    page.get_by_label("Published to members").check()
    page.get_by_role("button", name="Save the minutes").click()
    page.get_by_label(re.compile(r"^Decision\b")).fill("Scale the handwashing stations up.")
    page.get_by_role("button", name="Add the decision").click()
    expect(page.locator("#decisions")).to_contain_text("Scale the handwashing stations up.")
    page.get_by_role("textbox", name="Action", exact=True).fill(
        "Cost the scale-up of handwashing stations"
    )
    page.get_by_label("Owner (organisation)").select_option(label="Alpha Water Institute (AWI)")
    page.get_by_label("Due").fill("2030-05-01")
    page.get_by_role("button", name="Add the action item").click()
    expect(page.locator("#actions")).to_contain_text("Cost the scale-up of handwashing stations")
    action = ActionItem.objects.get()

    # The next meeting's agenda carries the open action item as a follow-up.
    plan_meeting(page, "Network meeting Q2 2030", "2030-06-13T10:00", "2030-06-13T13:00")
    expect(page.locator(".followup")).to_contain_text("Cost the scale-up of handwashing stations")
    page.get_by_role("link", name="Edit the agenda").click()
    expect(page.locator("main")).to_contain_text(
        "Follow-up: Cost the scale-up of handwashing stations"
    )
    following = Meeting.objects.get(title="Network meeting Q2 2030")
    assert following.agenda.get(kind="follow_up").action_item == action
