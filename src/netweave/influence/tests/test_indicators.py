"""Indicator pages: defining indicators with targets, entering values, charts and tables."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from netweave.influence import services
from netweave.influence.models import Indicator, IndicatorValue
from netweave.influence.tests.factories import (
    IndicatorFactory,
    IndicatorTargetFactory,
    IndicatorValueFactory,
    OutcomeFactory,
)

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs) -> str:
    return reverse(f"influence:{name}", kwargs={"network": "testnet", **kwargs})


def indicator_data(**overrides) -> dict:
    data = {
        "name": "Households with safe water",
        "description": "Share of surveyed households with safe drinking water.",
        "unit": "%",
        "source": "entered",
        "computation": "",
        "baseline_value": "42.5",
        "baseline_year": "2010",
        "targets": "2012: 50\n2014: 60\n",
    }
    data.update(overrides)
    return data


# Services --------------------------------------------------------------------------------------
def test_create_indicator_with_targets(personas):
    """An indicator keeps its baseline and its targets by year."""
    indicator = services.create_indicator(
        personas.network,
        acting_user=personas.fiona,
        name="Meetings",
        source="computed",
        computation="meetings_held",
        baseline_value=Decimal("2"),
        baseline_year=2010,
        targets={2011: "4", 2012: Decimal("6")},
    )
    assert {t.year: t.value for t in indicator.targets.all()} == {2011: 4, 2012: 6}
    services.update_indicator(indicator, {}, targets=[(2013, "8")])
    assert {t.year: t.value for t in indicator.targets.all()} == {2013: 8}


def test_indicator_rules(personas):
    """Unknown computation, half a baseline, a duplicate name and a bad target are refused."""
    IndicatorFactory(network=personas.network, name="Taken")
    with pytest.raises(ValidationError) as caught:
        services.create_indicator(
            personas.network,
            name="taken",
            source="computed",
            computation="nope",
            baseline_year=2010,
        )
    assert set(caught.value.message_dict) == {"name", "computation", "baseline_year"}
    with pytest.raises(ValidationError) as caught:
        services.create_indicator(personas.network, name="New", targets={2012: "many"})
    assert "2012" in caught.value.message_dict["targets"][0]
    with pytest.raises(ValidationError):
        services.create_indicator(personas.network, name="New", targets={2012: 1.5})
    assert Indicator.objects.count() == 1


def test_values_one_a_year_numbers_only(personas):
    """A value is a number, one a year, not for a year to come, and not on computed ones."""
    indicator = IndicatorFactory(network=personas.network)
    services.record_indicator_value(indicator, year=2012, value="12.5", source="Survey")
    with pytest.raises(ValidationError) as caught:
        services.record_indicator_value(indicator, year=2012, value="13")
    assert "already" in caught.value.message_dict["year"][0]
    with pytest.raises(ValidationError) as caught:
        services.record_indicator_value(indicator, year=2013, value="twelve")
    assert "not a number" in caught.value.message_dict["value"][0]
    with pytest.raises(ValidationError):
        services.record_indicator_value(indicator, year=timezone.localdate().year + 1, value="1")
    computed = IndicatorFactory(
        network=personas.network, source="computed", computation="meetings_held"
    )
    with pytest.raises(ValidationError):
        services.record_indicator_value(computed, year=2012, value="1")
    assert IndicatorValue.objects.count() == 1


# Pages -----------------------------------------------------------------------------------------
def test_facilitator_defines_an_indicator(client, personas):
    """The form saves the indicator with its baseline and targets."""
    client.force_login(personas.fiona)
    assert client.get(url("indicator_create")).status_code == 200
    response = client.post(url("indicator_create"), indicator_data())
    indicator = Indicator.objects.get()
    assert response.status_code == 302
    assert response["Location"] == indicator.get_absolute_url()
    assert indicator.baseline_value == Decimal("42.5")
    assert [(t.year, t.value) for t in indicator.targets.all()] == [(2012, 50), (2014, 60)]
    edit = client.get(url("indicator_edit", uid=indicator.uid)).content.decode()
    assert "2012: 50\n2014: 60" in edit


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        ("2012 fifty", "write the year, a colon and the target"),
        ("2012: lots", "is not a number"),
        ("2012: 5\n2012: 6", "a second target for 2012"),
    ],
)
def test_bad_targets_are_explained(client, personas, targets, message):
    """A target line that cannot be read says which line and why; nothing is saved."""
    client.force_login(personas.fiona)
    response = client.post(url("indicator_create"), indicator_data(targets=targets))
    assert message in response.content.decode()
    assert not Indicator.objects.exists()


def test_computed_indicator_needs_a_computation(client, personas):
    """A computed indicator without what it counts is refused on the form."""
    client.force_login(personas.fiona)
    response = client.post(url("indicator_create"), indicator_data(source="computed"))
    assert "Choose what a computed indicator counts" in response.content.decode()
    assert not Indicator.objects.exists()


def test_facilitator_enters_and_changes_values(client, personas):
    """Values are entered by year; a second value for a year is refused; one can be changed."""
    indicator = IndicatorFactory(network=personas.network, name="Safe water")
    client.force_login(personas.fiona)
    entry = url("value_create", uid=indicator.uid)
    assert client.get(entry).status_code == 200
    response = client.post(entry, {"year": "2012", "value": "48.2", "source": "Survey 2012"})
    assert response.status_code == 302
    again = client.post(entry, {"year": "2012", "value": "49"})
    assert "There is a value for 2012 already" in again.content.decode()
    wrong = client.post(entry, {"year": "2013", "value": "about half"})
    assert "Enter a number" in wrong.content.decode()
    value = IndicatorValue.objects.get()
    assert value.value == Decimal("48.2")
    change = url("value_edit", uid=indicator.uid, value=value.uid)
    changed = {"year": "2012", "value": "48.5", "source": "Survey 2012"}
    assert client.post(change, changed).status_code == 302
    value.refresh_from_db()
    assert value.value == Decimal("48.5")
    page = client.get(indicator.get_absolute_url()).content.decode()
    assert "Survey 2012" in page
    delete = url("value_delete", uid=indicator.uid, value=value.uid)
    assert client.post(delete).status_code == 302
    assert not IndicatorValue.objects.exists()


def test_computed_indicator_takes_no_values(client, personas):
    """The value page of a computed indicator sends back to the indicator."""
    indicator = IndicatorFactory(
        network=personas.network, source="computed", computation="outcomes_recorded"
    )
    client.force_login(personas.fiona)
    response = client.post(url("value_create", uid=indicator.uid), {"year": 2012, "value": "3"})
    assert response.status_code == 302
    assert not IndicatorValue.objects.exists()


def test_indicator_page_shows_chart_data_table_and_definition(client, personas):
    """The chart's numbers go in a json_script block; the table and definition are there."""
    net = personas.network
    OutcomeFactory(network=net, date=timezone.localdate().replace(month=1, day=1))
    indicator = IndicatorFactory(
        network=net,
        name="Outcomes",
        source="computed",
        computation="outcomes_recorded",
        baseline_year=timezone.localdate().year - 1,
        baseline_value=Decimal("0"),
    )
    IndicatorTargetFactory(indicator=indicator, year=timezone.localdate().year, value=2)
    client.force_login(personas.olga)
    page = client.get(indicator.get_absolute_url()).content.decode()
    start = page.index(f'id="indicator-{indicator.uid}"')
    block = page[page.index(">", start) + 1 : page.index("</script>", start)]
    data = json.loads(block)
    assert data["values"][-1] == 1.0
    assert data["targets"][-1] == 2.0
    assert "number of the network" in page  # the computation's definition
    assert "js/influence.js" in page and "vendor/plotly.min.js" in page
    assert "<script>" not in page  # no inline script


@pytest.mark.parametrize("who", ["alice", "olga", "sam"])
def test_members_read_but_only_the_facilitator_manages(client, personas, who):
    """Focal points, observers and steering members see indicators; they cannot change them."""
    indicator = IndicatorFactory(network=personas.network)
    value = IndicatorValueFactory(indicator=indicator)
    client.force_login(getattr(personas, who))
    assert client.get(url("indicator_list")).status_code == 200
    assert client.get(indicator.get_absolute_url()).status_code == 200
    assert client.post(url("indicator_create"), indicator_data()).status_code == 403
    assert (
        client.post(url("indicator_edit", uid=indicator.uid), indicator_data()).status_code == 403
    )
    assert (
        client.post(url("value_create", uid=indicator.uid), {"year": 2012, "value": 1}).status_code
        == 403
    )
    assert client.post(url("value_delete", uid=indicator.uid, value=value.uid)).status_code == 403
    assert Indicator.objects.count() == 1
    assert IndicatorValue.objects.count() == 1


def test_other_networks_facilitator_gets_404(client, personas):
    """Another network's facilitator finds no indicator here, nor by a forged address."""
    indicator = IndicatorFactory(network=personas.network)
    client.force_login(personas.frank)
    assert client.get(url("indicator_list")).status_code == 404
    assert client.get(indicator.get_absolute_url()).status_code == 404
    assert (
        client.post(url("value_create", uid=indicator.uid), {"year": 2012, "value": 1}).status_code
        == 404
    )
    mine = IndicatorFactory(network=personas.other_network)
    client.force_login(personas.fiona)
    assert client.get(url("indicator_detail", uid=mine.uid)).status_code == 404


def _indicators(personas, count: int) -> None:
    net = personas.network
    for i in range(count):
        indicator = IndicatorFactory(network=net)
        for year in (2012, 2013, 2014):
            IndicatorTargetFactory(indicator=indicator, year=year, value=10 + i)
            IndicatorValueFactory(indicator=indicator, year=year, value=i)
    for key in ("member_organisations", "meetings_held", "outcomes_recorded"):
        for _i in range(max(1, count // 5)):
            IndicatorFactory(network=net, source="computed", computation=key)
    for _i in range(count):
        OutcomeFactory(network=net)


@pytest.mark.parametrize("count", [1, 20])
def test_list_query_count_is_constant(client, personas, count, django_assert_max_num_queries):
    """The indicator list costs the same for 1 and for 20 indicators of each source."""
    _indicators(personas, count)
    client.force_login(personas.sam)
    # session, user, network, roles, indicators, targets, entries, milestones (start),
    # one aggregate per computed kind in use (3)
    with django_assert_max_num_queries(11):
        response = client.get(url("indicator_list"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 20])
def test_detail_query_count_is_constant(client, personas, count, django_assert_max_num_queries):
    """An indicator's page costs the same with 1 or 20 years of values."""
    indicator = IndicatorFactory(network=personas.network)
    for year in range(1990, 1990 + count):
        IndicatorValueFactory(indicator=indicator, year=year, value=year)
    client.force_login(personas.fiona)
    # session, user, network, roles, indicator, targets, entries, milestones
    with django_assert_max_num_queries(8):
        response = client.get(indicator.get_absolute_url())
    assert response.status_code == 200
