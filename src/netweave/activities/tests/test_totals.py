"""Co-financing totals against values computed by hand (see the table in ``money``)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from netweave.activities import services, totals
from netweave.directory.tests.factories import OrganisationFactory, sector
from netweave.networks.tests.factories import MembershipFactory

D = Decimal


@pytest.fixture
def money(personas):
    """Two activities, three members of three sectors, four currencies, one rate missing.

    | activity | organisation      | amount       | year | rate  | in USD    |
    | A1       | org_a (academia)  | 1000.00 USD  | 2012 | —     | 1000.00   |
    | A1       | org_b (government)| 800.00 EUR   | 2012 | 1.25  | 1000.00   |
    | A1       | org_b in kind     | 5000.00 TJS  | 2012 | 0.2   | 1000.00   |
    | A2       | org_a             | 333.33 EUR   | 2013 | 1.35  | 449.9955  |
    | A2       | org_c (civil soc.)| 700.00 CHF   | 2012 | none  | not conv. |
    | A2       | org_b             | 0.10 EUR     | 2013 | 1.35  | 0.135     |
    """
    net = personas.network
    org_c = OrganisationFactory(name="Civic Voice", sector=sector("civil-society"))
    MembershipFactory(network=net, organisation=org_c)
    for year, currency, rate in [
        (2012, "EUR", "1.25"),
        (2012, "TJS", "0.2"),
        (2013, "EUR", "1.35"),
    ]:
        services.set_exchange_rate(net, year=year, currency=currency, rate=rate)
    a1 = services.create_activity(net, kind="research", title="A1", lead=personas.org_a)
    a2 = services.create_activity(net, kind="pilot", title="A2", lead=personas.org_b)
    add = services.add_contribution
    add(a1, organisation=personas.org_a, amount="1000.00", currency="USD", year=2012)
    add(a1, organisation=personas.org_b, amount="800.00", currency="EUR", year=2012)
    add(
        a1,
        organisation=personas.org_b,
        kind="in_kind",
        description="Office space",
        amount="5000",
        currency="TJS",
        year=2012,
    )
    add(a2, organisation=personas.org_a, amount="333.33", currency="EUR", year=2013)
    add(a2, organisation=org_c, amount="700", currency="CHF", year=2012)
    add(a2, organisation=personas.org_b, amount="0.10", currency="EUR", year=2013)
    return {"a1": a1, "a2": a2, "org_c": org_c}


def _by_key(result: totals.Totals) -> dict:
    return {row.key: (row.converted, row.not_converted) for row in result.rows}


def test_totals_per_activity(personas, money):
    """Per activity: converted sums rounded to cents, the CHF without a rate kept apart."""
    result = totals.totals_by_activity(personas.network)
    assert result.currency == "USD"
    assert _by_key(result) == {
        money["a1"].pk: (D("3000.00"), {}),
        money["a2"].pk: (D("450.13"), {"CHF": D("700.00")}),
    }


def test_totals_per_organisation(personas, money):
    """Per organisation: 1449.9955 → 1450.00 and 2000.135 → 2000.14 (half up)."""
    result = totals.totals_by_organisation(personas.network)
    assert _by_key(result) == {
        personas.org_a.pk: (D("1450.00"), {}),
        personas.org_b.pk: (D("2000.14"), {}),
        money["org_c"].pk: (D("0.00"), {"CHF": D("700.00")}),
    }
    assert [row.key for row in result.rows] == [
        personas.org_b.pk,
        personas.org_a.pk,
        money["org_c"].pk,
    ]


def test_totals_per_sector(personas, money):
    """Per sector, with the overall total and the missing rate named."""
    result = totals.totals_by_sector(personas.network)
    named = {
        row.extra["organisation__sector__name"]: (row.converted, row.not_converted)
        for row in result.rows
    }
    assert named == {
        sector("academia").name: (D("1450.00"), {}),
        sector("government").name: (D("2000.14"), {}),
        sector("civil-society").name: (D("0.00"), {"CHF": D("700.00")}),
    }
    assert result.overall.converted == D("3450.13")
    assert result.overall.not_converted == {"CHF": D("700.00")}
    assert result.missing_rates == [("CHF", 2012)]


def test_totals_are_decimals_not_floats(personas, money):
    """Every amount that comes out is a Decimal."""
    result = totals.totals_by_organisation(personas.network)
    values = [row.converted for row in result.rows] + [
        amount for row in result.rows for amount in row.not_converted.values()
    ]
    assert values and all(type(value) is Decimal for value in values)


def test_entering_the_missing_rate_converts_it(personas, money):
    """Once the CHF rate of 2012 is entered, nothing is left unconverted."""
    services.set_exchange_rate(personas.network, year=2012, currency="CHF", rate="1.1")
    result = totals.totals_by_activity(personas.network)
    # 450.1305 + 700 × 1.1 = 1220.1305
    assert _by_key(result)[money["a2"].pk] == (D("1220.13"), {})
    assert result.overall.converted == D("4220.13")


def test_another_reporting_currency_needs_rates_to_it(personas, money):
    """In EUR, USD amounts without a USD rate stay unconverted; EUR amounts count as they are."""
    services.set_reporting_currency(personas.network, "EUR")
    result = totals.totals_by_organisation(personas.network)
    assert result.currency == "EUR"
    converted, not_converted = _by_key(result)[personas.org_a.pk]
    assert converted == D("333.33")
    assert not_converted == {"USD": D("1000.00")}


def test_totals_leave_other_networks_out(personas, money):
    """Contributions to another network's activities do not count."""
    other = OrganisationFactory()
    MembershipFactory(network=personas.other_network, organisation=other)
    elsewhere = services.create_activity(personas.other_network, kind="training", title="B")
    services.add_contribution(elsewhere, organisation=other, amount="99", currency="USD", year=2012)
    assert totals.totals_by_activity(personas.network).overall.converted == D("3450.13")


def test_totals_take_the_same_queries_for_few_and_many(personas, money, django_assert_num_queries):
    """Three queries whatever the number of contributions: reporting currency, rates, sums."""
    with django_assert_num_queries(3):
        totals.totals_by_sector(personas.network)
    from netweave.activities.models import Contribution

    Contribution.objects.bulk_create(
        Contribution(
            activity=money["a1"], organisation=personas.org_a, amount="1", currency="USD", year=2012
        )
        for _ in range(300)
    )
    with django_assert_num_queries(3):
        result = totals.totals_by_sector(personas.network)
    assert result.overall.converted == D("3750.13")


def test_large_sums_stay_exact_to_the_cent(personas):
    """Eleven of the largest amounts: 11 × 999 999 999 999.99 = 10 999 999 999 999.89 USD,
    and 0.01 + 0.02 + … in EUR at 1.10000001 — sums that binary floats get wrong."""
    net = personas.network
    activity = services.create_activity(net, kind="research", title="Big", lead=personas.org_a)
    for _ in range(11):
        services.add_contribution(
            activity,
            organisation=personas.org_a,
            amount="999999999999.99",
            currency="USD",
            year=2014,
        )
    services.set_exchange_rate(net, year=2014, currency="EUR", rate="1.10000001")
    for cents in range(1, 11):
        services.add_contribution(
            activity,
            organisation=personas.org_b,
            amount=D(cents) / 100,
            currency="EUR",
            year=2014,
        )
    result = totals.totals_by_organisation(net)
    # 0.01 + … + 0.10 = 0.55 EUR; × 1.10000001 = 0.6050000055 → 0.61 USD
    assert _by_key(result) == {
        personas.org_a.pk: (D("10999999999999.89"), {}),
        personas.org_b.pk: (D("0.61"), {}),
    }
    assert result.overall.converted == D("11000000000000.50")
