"""The demo's outcomes and indicators: loaded once, linked to the network's work."""

from __future__ import annotations

import pytest
from django.urls import reverse

from netweave.demo.influence import INDICATORS, OUTCOMES, load_influence
from netweave.demo.services import load_demo
from netweave.influence.models import Indicator, IndicatorValue, Outcome
from netweave.influence.services import indicator_series
from netweave.networks.models import Network
from netweave.networks.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_loads_outcomes_and_indicators_once(client):
    """Three outcomes with their links and eight indicators; a second load adds nothing."""
    load_demo()
    water = Network.objects.get(slug="water-sanitation")
    outcomes = Outcome.objects.filter(network=water)
    assert outcomes.count() == len(OUTCOMES) == 3
    law = outcomes.get(kind="law")
    assert law.date.year == 2010
    assert law.substantiation == "yes"
    assert law.actor_organisation is not None
    assert law.task_groups.filter(name="Legislation").exists()
    assert law.activities.exists() and law.meetings.exists()
    assert law.evidence_documents.exists()
    assert outcomes.filter(title__contains="Protocol on Water and Health").exists()
    assert outcomes.filter(title__contains="tariffs").exists()
    indicators = Indicator.objects.filter(network=water)
    assert indicators.count() == len(INDICATORS)
    values = IndicatorValue.objects.count()
    assert load_influence() == (0, 0)
    assert Outcome.objects.count() == 3 and IndicatorValue.objects.count() == values
    members = indicators.filter(computation="member_organisations")
    (series,) = indicator_series(water, members.prefetch_related("targets", "entries"))
    by_year = {row.year: row for row in series.rows}
    assert by_year[2016].value > by_year[2010].value  # the network grew
    assert by_year[2016].target is not None
    client.force_login(UserFactory(username="demo-staff", is_staff=True))
    kwargs = {"network": "water-sanitation"}
    for name in ("outcome_list", "indicator_list"):
        assert client.get(reverse(f"influence:{name}", kwargs=kwargs)).status_code == 200
    assert client.get(law.get_absolute_url()).status_code == 200
