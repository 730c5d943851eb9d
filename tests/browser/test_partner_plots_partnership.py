"""A focal point places the partnership on the two axes and sees the plot and the health trend."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from netweave.partnerships.models import Placement
from netweave.partnerships.tests.factories import answers, make_partnership, make_round

pytestmark = pytest.mark.django_db(transaction=True)


def test_partner_plots_partnership_and_sees_health_trend(personas, page, sign_in):
    """Alice places AWI far from Beta Ministry: the plot draws, flags her, and health draws."""
    partnership = make_partnership(personas.network, personas.org_a, personas.org_b)
    Placement.objects.create(
        partner=partnership.partners.get(organisation=personas.org_b),
        placed_on=dt.date(2024, 1, 1),
        service_policy=-0.8,
        regulation_innovation=-0.8,
    )
    answers(make_round(partnership), [(4, 4, 4, 4, 4)] * 3)
    later = make_round(partnership, dt.date(2024, 3, 1), dt.date(2024, 3, 31))
    answers(later, [(3, 4, 4, 4, 4)] * 3)

    sign_in("alice")
    page.goto(f"/networks/testnet/partnerships/{partnership.uid}/")
    page.get_by_role("link", name="Place the partnership").click()
    page.get_by_label("Service delivery (−1) ↔ policy influence (1)").fill("0.8")
    page.get_by_label("Regulating delivery (−1) ↔ stimulating innovation (1)").fill("0.6")
    page.get_by_role("button", name="Save the placement").click()

    expect(page).to_have_url(re.compile(rf"/partnerships/{partnership.uid}/$"))
    expect(page.locator("[data-chart='chart-plot']")).to_have_class(re.compile("chart-drawn"))
    expect(page.locator("[data-chart='chart-plot'] .scatterlayer .point").first).to_be_visible()
    expect(page.locator("#divergence")).to_contain_text("AWI")
    expect(page.locator("#table-plot")).to_contain_text("0.80")
    expect(page.locator("[data-chart='chart-health']")).to_have_class(re.compile("chart-drawn"))
    expect(page.locator("#table-health")).to_contain_text("down 1.00")
