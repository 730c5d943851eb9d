"""The indicators API (definitions, values by year, value entry) and the values export."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from netweave.core.exports import build_dataset
from netweave.influence.models import Indicator, IndicatorValue
from netweave.influence.tests.factories import (
    IndicatorFactory,
    IndicatorTargetFactory,
    IndicatorValueFactory,
)

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_list_gives_values_and_targets_by_year(personas):
    """Each indicator comes with its years: value, target, source and note."""
    indicator = IndicatorFactory(network=personas.network, name="Safe water")
    IndicatorTargetFactory(indicator=indicator, year=2013, value=Decimal("50"))
    IndicatorValueFactory(indicator=indicator, year=2012, value=Decimal("45.5"), source="Survey")
    response = api(personas.olga).get("/api/v1/indicators/", {"network": "testnet"})
    (row,) = response.json()["results"]
    assert row["name"] == "Safe water"
    assert row["years"] == [
        {"year": 2012, "value": "45.50", "target": None, "source": "Survey", "note": ""},
        {"year": 2013, "value": None, "target": "50.00", "source": "", "note": ""},
    ]


def test_facilitator_creates_indicator_and_enters_values(personas):
    """Create with targets; a value is entered once a year; words are not numbers."""
    client = api(personas.fiona)
    response = client.post(
        "/api/v1/indicators/",
        {
            "network": "testnet",
            "name": "Member organisations",
            "source": "computed",
            "computation": "member_organisations",
            "targets": [{"year": 2012, "value": "40"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["definition"].startswith("Member organisations:")
    entered = Indicator.objects.create(network=personas.network, name="Trained operators")
    values = f"/api/v1/indicators/{entered.uid}/values/"
    assert client.post(values, {"year": 2012, "value": "75"}, format="json").status_code == 201
    duplicate = client.post(values, {"year": 2012, "value": "80"}, format="json")
    assert duplicate.status_code == 400
    assert "already" in duplicate.json()["year"][0]
    words = client.post(values, {"year": 2013, "value": "many"}, format="json")
    assert words.status_code == 400
    computed = Indicator.objects.get(name="Member organisations")
    refused = client.post(
        f"/api/v1/indicators/{computed.uid}/values/", {"year": 2012, "value": "1"}, format="json"
    )
    assert refused.status_code == 400
    assert IndicatorValue.objects.count() == 1


def test_focal_point_and_outsiders_cannot_manage(personas):
    """A focal point may not define indicators or enter values; another facilitator gets 404."""
    indicator = IndicatorFactory(network=personas.network)
    alice = api(personas.alice)
    body = {"network": "testnet", "name": "Mine"}
    assert alice.post("/api/v1/indicators/", body, format="json").status_code == 403
    values = f"/api/v1/indicators/{indicator.uid}/values/"
    assert alice.post(values, {"year": 2012, "value": "1"}, format="json").status_code == 403
    frank = api(personas.frank)
    assert frank.get(f"/api/v1/indicators/{indicator.uid}/").status_code == 404
    assert frank.post(values, {"year": 2012, "value": "1"}, format="json").status_code == 404
    assert not IndicatorValue.objects.exists()
    assert Indicator.objects.count() == 1


@pytest.mark.parametrize("count", [1, 20])
def test_list_query_count_is_constant(personas, count, django_assert_max_num_queries):
    """The API list costs the same for 1 and for 20 indicators."""
    for i in range(count):
        indicator = IndicatorFactory(network=personas.network)
        IndicatorValueFactory(indicator=indicator, year=2012, value=i)
        IndicatorFactory(network=personas.network, source="computed", computation="meetings_held")
    # count, indicators, targets, entries, milestones, one aggregate
    with django_assert_max_num_queries(7):
        assert api(personas.sam).get("/api/v1/indicators/").status_code == 200


def test_export_of_indicator_values(personas):
    """The export has a row per indicator and year with value and target."""
    indicator = IndicatorFactory(network=personas.network, name="Safe water")
    IndicatorTargetFactory(indicator=indicator, year=2013, value=Decimal("50"))
    IndicatorValueFactory(indicator=indicator, year=2012, value=Decimal("45.5"))
    data = build_dataset("indicator_values", personas.network, personas.sam)
    rows = [dict(zip(data.headers, row, strict=True)) for row in data]
    assert [(r["indicator"], r["year"], r["value"], r["target"]) for r in rows] == [
        ("Safe water", 2012, "45.50", ""),
        ("Safe water", 2013, "", "50.00"),
    ]
