"""The facilitator of the demo water network reads its 2015 report and downloads the PDF."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from netweave.analysis import services as analysis
from netweave.demo.data import DEMO_PASSWORD
from netweave.demo.services import load_demo
from netweave.directory.sectors import ensure_sectors

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    analysis.analysis_cache().clear()
    cache.clear()
    ensure_sectors()  # an earlier transactional test may have emptied the seeded table
    load_demo()
    yield
    analysis.analysis_cache().clear()
    cache.clear()


def test_facilitator_reads_the_2015_report(demo, page, sign_in):
    """From the reports page to 2015: the sections in the template's order, a figure's
    records shown on a click, and the PDF downloaded."""
    page.set_default_timeout(60_000)  # the first look computes the whole report
    sign_in("facilitator", DEMO_PASSWORD)
    page.goto("/networks/water-sanitation/reports/")
    page.locator("#report-years").get_by_role("link", name="Report 2015").click()
    expect(page).to_have_url(re.compile(r"/networks/water-sanitation/reports/2015/$"))

    expect(page.get_by_role("heading", level=1)).to_contain_text("annual report 2015")
    headings = page.locator(".report-section > h2")
    expect(headings.first).to_have_text("Who the network brings together")
    expect(headings.nth(1)).to_have_text("Outcomes")
    expect(headings.nth(2)).to_have_text("Meetings")
    expect(page.locator(".report-introduction")).to_contain_text("In 2015 the network counted")

    # A click on the number of members opens the records behind it in the annex.
    records = page.locator("#records-membership-members_total")
    expect(records.locator("table")).to_be_hidden()
    figure = page.locator("#figure-membership-members_total a.figure-link")
    members = figure.inner_text()
    assert int(re.sub(r"\D", "", members)) >= 70
    figure.click()
    expect(page).to_have_url(re.compile("#records-membership-members_total$"))
    expect(records.locator("table")).to_be_visible()
    expect(records.locator("table tbody tr").first).to_be_visible()
    assert records.locator("table tbody tr").count() == int(re.sub(r"\D", "", members))

    with page.expect_download() as info:
        page.locator("#download-pdf").click()
    download = info.value
    assert download.suggested_filename == "water-sanitation-report-2015.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
