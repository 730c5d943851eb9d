"""A focal point's request becomes a task group whose deliverable a document fulfils."""

import re

import pytest
from playwright.sync_api import expect

from netweave.governance.models import Deliverable, MemberRequest

pytestmark = pytest.mark.django_db(transaction=True)


def test_member_request_becomes_task_group_with_a_fulfilled_deliverable(
    personas, page, sign_in, settings, tmp_path
):
    """Alice raises a need, Sam forms a task group, Alice adds a deliverable and fulfils it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    report = tmp_path / "tariff-methodology.pdf"
    report.write_bytes(b"%PDF-1.4\n% the methodology\n")

    sign_in("alice")
    page.goto("/networks/testnet/governance/requests/")
    page.get_by_role("link", name="Raise a request").click()
    page.get_by_label("Raised by organisation").select_option(label="Alpha Water Institute (AWI)")
    page.get_by_label("Title").fill("A tariff methodology for small operators")
    page.get_by_label("Description").fill("Our operators cannot cover their costs.")
    page.get_by_label("Urgency").select_option("high")
    page.get_by_role("button", name="Raise the request").click()
    expect(page.locator("#request-status")).to_have_text("Open")
    request_url = page.url

    sign_in("sam")
    page.goto("/networks/testnet/governance/requests/")
    page.get_by_role("link", name="A tariff methodology for small operators").click()
    expect(page).to_have_url(request_url)
    page.get_by_label("Form a new task group").check()
    page.get_by_label("Name of the new task group").fill("Small operators' tariffs")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator("#request-status")).to_have_text("Accepted into a task group")
    expect(page.locator("#request-history tbody tr")).to_have_count(2)

    sign_in("alice")
    page.goto(request_url)
    page.get_by_role("link", name="Small operators' tariffs").click()
    page.get_by_role("link", name="Add a deliverable").click()
    page.get_by_label("Deliverable").fill("Draft methodology")
    page.get_by_label("Due").fill("2030-06-30")
    page.get_by_role("button", name="Add the deliverable").click()
    expect(page.locator("#deliverables")).to_contain_text("Draft methodology")
    expect(page.locator("#deliverables")).to_contain_text("Open")

    page.locator("#deliverables").get_by_role("link", name="Add a document").click()
    page.get_by_label("Document title").fill("Methodology, first draft")
    page.get_by_label("File").set_input_files(str(report))
    page.get_by_role("button", name="Attach the document").click()

    expect(page).to_have_url(re.compile(r"/governance/task-groups/[0-9a-f-]+/$"))
    row = page.locator("#deliverables tbody tr", has_text="Draft methodology")
    expect(row).to_contain_text("Done")
    expect(row.get_by_role("link", name="Methodology, first draft")).to_be_visible()
    assert MemberRequest.objects.get().task_group.lead == personas.org_a
    assert Deliverable.objects.get().documents.get().file_name == "tariff-methodology.pdf"
