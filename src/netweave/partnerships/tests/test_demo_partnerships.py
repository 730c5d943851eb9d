"""The demo partnerships: loaded once, with a divergence and a health drop to discuss."""

import pytest

from netweave.demo.partnerships import load_partnerships
from netweave.demo.services import load_demo
from netweave.networks.models import Network
from netweave.partnerships.models import Partnership
from netweave.partnerships.services import health_trend, plot_summary

pytestmark = pytest.mark.django_db


def test_demo_loads_partnerships_once():
    """Both networks get their partnerships; loading again adds nothing."""
    load_demo()
    names = set(Partnership.objects.values_list("network__slug", "name"))
    assert ("food-security", "Tavush berry market coordination network") in names
    assert len(names) == 3
    water = Network.objects.get(slug="water-sanitation")
    ppp = Partnership.objects.get(network=water, arrangement__slug="partnership")
    assert ppp.partners.count() == 7
    assert plot_summary(ppp).flagged
    trend = health_trend(ppp)
    assert [r.shown for r in trend] == [True, False, True]
    assert "equity" in trend[-1].drops
    assert load_partnerships(water) == 0
    load_demo()
    assert Partnership.objects.count() == 3
