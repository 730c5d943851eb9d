"""A consultation runs end to end: opened, commented by three organisations, synthesised,
exported."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from netweave.consultations.models import Comment, Consultation, Recommendation
from netweave.consultations.tests.factories import bank
from netweave.directory.tests.factories import OrganisationFactory, sector
from netweave.networks.tests.factories import MembershipFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

LOCAL = "%Y-%m-%dT%H:%M"


def test_consultation_runs_end_to_end(personas, page, sign_in):
    """Fiona opens it; Alice, Bob and Carol comment; Fiona synthesises, publishes, exports."""
    bank()
    ngo = OrganisationFactory(
        name="Clean Water Coalition", acronym="CWC", slug="cwc", sector=sector("civil-society")
    )
    MembershipFactory(network=personas.network, organisation=ngo)
    carol = UserFactory(username="carol")
    RoleFactory(user=carol, network=personas.network, kind="focal_point", organisation=ngo)
    page.on("dialog", lambda dialog: dialog.accept())
    now = dt.datetime.now(ZoneInfo("Asia/Dushanbe"))

    # The facilitator drafts the consultation with two sections, and opens it.
    sign_in("fiona")
    page.goto("/networks/testnet/consultations/")
    page.get_by_role("link", name="New consultation").click()
    page.get_by_label("Title").fill("Poverty diagnostic of the water sector")
    page.get_by_label("Owner organisation").select_option(
        label="Global Reconstruction and Development Bank (GRDB)"
    )
    page.get_by_label("Opens").fill((now - dt.timedelta(hours=1)).strftime(LOCAL))
    page.get_by_label("Closes").fill((now + dt.timedelta(days=10)).strftime(LOCAL))
    page.get_by_label("Time zone").select_option("Asia/Dushanbe")
    page.locator("[name=sections-0-heading]").fill("Access and poverty")
    page.locator("[name=sections-0-body]").fill("<p>Half of rural households lack piped water.</p>")
    page.get_by_role("button", name="Add a section").click()
    page.locator("[name=sections-1-heading]").fill("Tariffs and affordability")
    page.get_by_role("button", name="Save the consultation").click()
    expect(page.locator("#consultation-phase")).to_have_text("Draft")
    page.get_by_role("button", name="Open the consultation").click()
    expect(page.locator("#consultation-phase")).to_have_text("Open for comments")
    expect(page.locator("#invited-list summary")).to_have_text("3 organisations")
    consultation_url = page.url

    # Three focal points comment for their organisations in turn.
    def comment_as(username: str, section: str, kind: str, text: str) -> None:
        sign_in(username)
        page.goto("/networks/testnet/consultations/")
        page.get_by_role("link", name="Poverty diagnostic of the water sector").click()
        block = page.locator("section.consultation-section", has_text=section)
        block.get_by_label(kind, exact=True).check()
        block.get_by_label(f"Your comment on “{section}”").fill(text)
        block.get_by_role("button", name="Add the comment").click()
        expect(page.locator(".messages")).to_contain_text("Your comment is recorded.")

    comment_as("alice", "Access and poverty", "Concern", "Schools are missing from the data.")
    comment_as("bob", "Tariffs and affordability", "Suggestion", "A lifeline tariff.")
    # Bob endorses Alice's comment without leaving the page (htmx swaps the comment).
    alice_comment = page.locator(".comment", has_text="Schools are missing from the data.")
    alice_comment.get_by_role("button", name="Endorse for Beta Ministry (BM)").click()
    expect(alice_comment).to_contain_text("Endorsed by: Beta Ministry (BM)")
    comment_as("carol", "Access and poverty", "Support", "<b>Agreed</b>, add clinics too.")
    expect(page.locator(".comment", has_text="Agreed")).to_contain_text("<b>Agreed</b>")

    # The facilitator closes it and groups the comments into recommendations.
    sign_in("fiona")
    page.goto(consultation_url)
    page.get_by_role("button", name="Close now").click()
    expect(page).to_have_url(re.compile(r"/synthesis/$"))
    recommendation = page.get_by_role("textbox", name="Recommendation")
    recommendation.fill("Count schools and clinics in the diagnostic.")
    page.get_by_label(re.compile("Alpha Water Institute")).check()
    page.get_by_label(re.compile("Clean Water Coalition")).check()
    expect(page.locator("[data-selected-count]")).to_have_text("2 comments ticked")
    page.get_by_role("button", name="Add the recommendation").click()
    recommendation.fill("Protect the poorest with a lifeline tariff.")
    page.get_by_label(re.compile("Beta Ministry")).check()
    page.get_by_role("button", name="Add the recommendation").click()
    recommendations = page.locator("#recommendations > li")
    expect(recommendations).to_have_count(2)
    expect(recommendations.first).to_contain_text("Alpha Water Institute (AWI)")
    expect(recommendations.first).to_contain_text("Beta Ministry (BM) (endorsement)")
    page.get_by_label("Introduction to the synthesis").fill("Three members commented.")
    page.get_by_role("button", name="Publish the synthesis").click()
    expect(page.locator("#consultation-phase")).to_have_text("Synthesis published")

    # The coordinated feedback: a printable page with support by sector, and a PDF.
    page.get_by_role("link", name="Printable page").click()
    expect(page.locator("#feedback-title")).to_have_text("Poverty diagnostic of the water sector")
    table = page.locator("#support-by-sector")
    expect(table).to_contain_text("Count schools and clinics in the diagnostic.")
    expect(table.locator("thead")).to_contain_text("Academia and research")
    expect(table.locator("thead")).to_contain_text("National or local NGO and civil society")
    expect(table.locator("thead")).to_contain_text("Government")
    expect(page.locator(".annex")).to_contain_text("A lifeline tariff.")
    pdf = page.request.get(page.get_by_role("link", name="Download as PDF").get_attribute("href"))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    docx = page.request.get(page.get_by_role("link", name="Download as DOCX").get_attribute("href"))
    assert docx.status == 200
    assert docx.headers["content-disposition"].startswith("attachment;")
    assert docx.body().startswith(b"PK")

    consultation = Consultation.objects.get()
    assert consultation.status == "published"
    assert Comment.objects.filter(section__consultation=consultation).count() == 3
    assert Recommendation.objects.filter(consultation=consultation).count() == 2
