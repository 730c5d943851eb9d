"""The facilitator of the demo water network reads its analysis dashboard and its map."""

import re

import pytest
from playwright.sync_api import expect

from netweave.analysis import services
from netweave.demo.data import DEMO_PASSWORD
from netweave.demo.services import load_demo
from netweave.directory.sectors import ensure_sectors

pytestmark = pytest.mark.django_db(transaction=True)

POINTS = ".scatterlayer .trace .point"


@pytest.fixture
def demo():
    services.analysis_cache().clear()
    ensure_sectors()  # an earlier transactional test may have emptied the seeded table
    load_demo()
    yield
    services.analysis_cache().clear()


def _centre(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_facilitator_reads_dashboard_and_map(demo, page, sign_in):
    """From the network home, the dashboard's figures and charts, then the map: colour and
    size switch, where the survey and the records disagree, hovering shows a member's figures,
    the year slider redraws, a click opens the member's profile."""
    page.set_viewport_size({"width": 1280, "height": 1100})
    sign_in("facilitator", DEMO_PASSWORD)
    page.goto("/networks/water-sanitation/")
    page.locator("main").get_by_role("link", name="Network analysis").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Network analysis")
    expect(page.locator("#analysis-figures")).to_contain_text("Density")
    expect(page.locator("[data-chart='chart-analysis-growth']")).to_have_class(
        re.compile("chart-drawn")
    )
    expect(page.locator("#top-betweenness tbody tr").first).to_be_visible()
    expect(page.locator("#betweenness-method")).to_contain_text("computed exactly")

    page.locator("main").get_by_role("link", name="Network map").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Network map")
    plot = page.locator("#network-map")
    expect(plot).to_have_class(re.compile("chart-drawn"))
    expect(plot.locator(POINTS).first).to_be_visible()
    shown = int(plot.get_attribute("data-nodes"))
    assert shown > 20
    assert plot.locator(POINTS).count() == shown
    assert page.locator("#map-table tbody tr[data-id]").count() == shown
    legend = plot.locator(".legendtext")
    expect(legend.first).to_be_visible()
    assert "Community 1" not in legend.all_inner_texts()

    # The latest survey round against the records: lines on the map, the pairs listed below.
    for kind in (
        "Recorded tie the survey does not confirm",
        "Strong tie in the survey with no record",
    ):
        expect(legend.filter(has_text=kind)).to_have_count(1)
    survey = page.locator("#map-survey")
    expect(survey).to_be_visible()
    expect(survey.locator("tbody tr[data-kind='recorded_not_perceived']").first).to_be_visible()
    expect(survey.locator("tbody tr[data-kind='perceived_not_recorded']").first).to_be_visible()

    # Colour by community: the legend lists communities instead of sectors.
    page.get_by_label("Community", exact=True).check()
    expect(plot).to_have_attribute("data-colour", "community")
    expect(legend.first).to_have_text("Community 1")
    expect(page).to_have_url(re.compile("colour=community"))
    expect(page.locator("#map-svg-link")).to_have_attribute("href", re.compile("colour=community"))

    # Size by betweenness: the table follows, biggest broker first.
    page.get_by_label("Size by").select_option("betweenness")
    expect(plot).to_have_attribute("data-size", "betweenness")
    expect(page.locator("#map-table th[data-sort='betweenness']")).to_have_attribute(
        "aria-sort", "descending"
    )

    # The year slider asks for that year's analysis and redraws map and table.
    page.locator("#map-year").evaluate(
        "(input) => { input.value = input.max - 2;"
        " input.dispatchEvent(new Event('input', {bubbles: true}));"
        " input.dispatchEvent(new Event('change', {bubbles: true})); }"
    )
    year = page.locator("#map-year-value").inner_text()
    assert re.fullmatch(r"\d{4}", year)
    expect(page.locator("#map-summary")).to_have_attribute("data-year", year)
    expect(page).to_have_url(re.compile(f"year={year}"))
    expect(page.locator("#filter-year")).to_have_value(year)
    expect(plot.locator(POINTS).first).to_be_visible()

    # Hovering a member shows its figures beside the map; clicking opens its profile.
    point = plot.locator(POINTS).first
    point.scroll_into_view_if_needed()
    x, y = _centre(point)
    page.mouse.move(x - 40, y - 40)
    page.mouse.move(x, y, steps=5)
    details = page.locator("#map-details-body")
    expect(details).to_contain_text("Betweenness")
    profile = details.get_by_role("link", name="Open the profile").get_attribute("href")
    assert re.match(r"^/networks/water-sanitation/organisations/[\w-]+/$", profile)
    page.mouse.click(x, y)
    expect(page).to_have_url(re.compile(re.escape(profile) + "$"))


def test_map_table_reads_without_javascript(demo, browser, live_server):
    """With JavaScript off, the table under the map lists the organisations, sortable."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("facilitator")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/networks/water-sanitation/analysis/map/")
    table = page.locator("#map-table")
    ministry = table.get_by_role("link", name="MEWR", exact=True)
    expect(ministry).to_have_attribute(
        "href", re.compile(r"^/networks/water-sanitation/organisations/[\w-]+/$")
    )
    assert table.locator("tbody tr[data-id]").count() > 20
    table.get_by_role("link", name="Eigenvector").click()
    expect(page).to_have_url(re.compile("sort=-eigenvector"))
    expect(page.locator("#map-table th[data-sort='eigenvector']")).to_have_attribute(
        "aria-sort", "descending"
    )
    context.close()
