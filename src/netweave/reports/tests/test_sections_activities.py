"""The report's section on joint activities and co-financing, against hand-computed figures.

The network of 2015, reporting in USD, with 1 EUR = 1.25 USD in 2015 and no KZT rate:

- activities: act1 research 2014-03-01…2015-06-30 completed (lead A); act2 training from
  2015-02-01 ongoing (lead C); act3 pilot in 2015 but cancelled; act4 from 2016; act5
  2013…2014; act6 evaluation starting 2015-12-31; act7 policy brief 2014-06-01…2015-01-01,
  still "ongoing". Running in 2015: act1, act2, act6, act7; started: act2, act6;
  completed: act1.
- contributions of 2015: act1: B 1000 USD, A 400 EUR (= 500 USD); act2: B 200 EUR in kind
  (= 250 USD), C 300 USD; act6: D 5000 KZT (no rate). Left out: B 100 EUR of 2014 and
  A 999 USD of 2016 on act1, and another network's 2015 money.
  Money 1800.00, in kind 250.00, total 2050.00 USD; 5000.00 KZT not converted.
  By sector: donor (B) 1250, government (A) 500, academia (C) 300, civil society (D) 0.
  Co-financed by two or more in 2015: act1 (A, B) and act2 (B, C).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from netweave.activities.models import ActivityStatus
from netweave.activities.tests.factories import (
    ContributionFactory,
    ExchangeRateFactory,
    JointActivityFactory,
    ParticipationFactory,
)
from netweave.directory.tests.factories import OrganisationFactory, sector
from netweave.influence.indicators import compute
from netweave.networks.tests.factories import NetworkFactory
from netweave.reports.registry import section_type
from netweave.reports.sections.activities import build_activities

pytestmark = pytest.mark.django_db

YEAR = 2015
# 16 queries: activities and their leads (2), four grouped totals of activities.totals
# (reporting currency, rates, sums: 3 each), the rates again and the year's contributions.
QUERIES = 16


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def build() -> SimpleNamespace:
    net = NetworkFactory(slug="acts", name="Activities network")
    o = {
        key: OrganisationFactory(name=f"Org {key}", acronym=key, sector=sector(slug))
        for key, slug in {
            "A": "government",
            "B": "donor",
            "C": "academia",
            "D": "civil-society",
        }.items()
    }
    ExchangeRateFactory(network=net, year=2015, currency="EUR", rate="1.25")
    ExchangeRateFactory(network=net, year=2014, currency="EUR", rate="1.10")

    def activity(key, kind, start, end=None, status=ActivityStatus.ONGOING):
        return JointActivityFactory(
            network=net, title=f"Activity {key}", kind=kind, start=d(start),
            end=d(end) if end else None, status=status,
        )  # fmt: skip

    a = {
        "act1": activity("act1", "research", "2014-03-01", "2015-06-30", "completed"),
        "act2": activity("act2", "training", "2015-02-01"),
        "act3": activity("act3", "pilot", "2015-05-01", "2015-12-31", "cancelled"),
        "act4": activity("act4", "research", "2016-01-01"),
        "act5": activity("act5", "advocacy", "2013-01-01", "2014-12-31", "completed"),
        "act6": activity("act6", "evaluation", "2015-12-31", status="planned"),
        "act7": activity("act7", "policy_brief", "2014-06-01", "2015-01-01"),
    }
    ParticipationFactory(activity=a["act1"], organisation=o["A"], role="lead")
    ParticipationFactory(activity=a["act2"], organisation=o["C"], role="lead")

    def give(act, org, amount, currency, year=YEAR, kind="money", description=""):
        return ContributionFactory(
            activity=a[act], organisation=o[org], amount=Decimal(amount), currency=currency,
            year=year, kind=kind, description=description,
        )  # fmt: skip

    give("act1", "B", "1000.00", "USD")
    give("act1", "A", "400.00", "EUR")
    give("act2", "B", "200.00", "EUR", kind="in_kind", description="Venue and catering")
    give("act2", "C", "300.00", "USD")
    give("act6", "D", "5000.00", "KZT")
    give("act2", "B", "100.00", "EUR", year=2014)
    give("act1", "A", "999.00", "USD", year=2016)
    other = NetworkFactory(slug="other")
    ContributionFactory(
        activity=JointActivityFactory(network=other, start=d("2015-01-01")),
        organisation=o["B"],
        amount=Decimal("7777.00"),
        year=YEAR,
    )
    return SimpleNamespace(network=net, o=o, a=a)


@pytest.fixture
def net():
    return build()


def test_activities_running_started_completed(net):
    """Running, started and completed follow the year's boundaries; cancelled is left out."""
    section = build_activities(net.network, YEAR)
    running = section.figure("activities_running")
    assert running.value == 4
    assert [row[0] for row in running.records.rows] == [
        "Activity act1",
        "Activity act7",
        "Activity act2",
        "Activity act6",
    ]
    assert running.records.rows[0][5] == "Org A"  # the lead
    started = section.figure("activities_started")
    assert (started.value, [r[0] for r in started.records.rows]) == (
        2,
        ["Activity act2", "Activity act6"],
    )
    assert started.value == compute("joint_activities_started", net.network, [YEAR])[YEAR]
    completed = section.figure("activities_completed")
    assert (completed.value, [r[0] for r in completed.records.rows]) == (1, ["Activity act1"])
    chart = next(c for c in section.charts if c.key == "activities_by_kind")
    assert chart.categories == ["Research", "Evaluation", "Training", "Policy brief"]
    assert list(chart.series.values()) == [[1.0, 1.0, 1.0, 1.0]]


def test_cofinancing_totals_in_the_reporting_currency(net):
    """Money, in kind and total are converted with the year's rates, to the cent."""
    section = build_activities(net.network, YEAR)
    values = section.values()
    assert values["cofinancing_money"] == Decimal("1800.00")
    assert values["cofinancing_in_kind"] == Decimal("250.00")
    assert values["cofinancing_total"] == Decimal("2050.00")
    assert section.figure("cofinancing_total").unit == "USD"
    assert len(section.figure("cofinancing_total").records) == 5
    assert len(section.figure("cofinancing_money").records) == 4
    in_kind = section.figure("cofinancing_in_kind").records.rows
    assert in_kind == [
        [
            "Org B",
            sector("donor").name,
            "Activity act2",
            "In kind",
            "Venue and catering",
            Decimal("200.00"),
            "EUR",
            Decimal("250.00"),
        ]
    ]


def test_missing_rate_is_reported_not_dropped(net):
    """The KZT contribution has no rate: it is named in a note and a figure of its own."""
    section = build_activities(net.network, YEAR)
    figure = section.figure("contributions_not_converted")
    assert figure.value == 1
    assert figure.records.rows[0][:3] == ["Org D", sector("civil-society").name, "Activity act6"]
    assert figure.records.rows[0][-1] == "no exchange rate"
    assert any("KZT 2015" in note and "5000.00 KZT" in note for note in section.notes)
    assert "5000.00 KZT" in section.figure("cofinancing_total").note


def test_funders_sectors_and_cofinanced_activities(net):
    section = build_activities(net.network, YEAR)
    funders = section.figure("funders")
    assert funders.value == 4
    assert [row[0] for row in funders.records.rows] == ["Org B", "Org A", "Org C", "Org D"]
    assert [row[2] for row in funders.records.rows] == [
        Decimal("1250.00"),
        Decimal("500.00"),
        Decimal("300.00"),
        Decimal("0.00"),
    ]
    assert funders.records.rows[3][3] == "5000.00 KZT"
    cofinanced = section.figure("cofinanced_activities")
    assert cofinanced.value == 2
    assert cofinanced.records.rows == [
        ["Activity act1", "Org A, Org B"],
        ["Activity act2", "Org B, Org C"],
    ]
    chart = next(c for c in section.charts if c.key == "cofinancing_by_sector")
    assert chart.kind == "stacked"
    assert chart.categories == [
        sector(slug).name for slug in ("donor", "government", "academia", "civil-society")
    ]
    assert chart.series == {
        "Money": [1000.0, 500.0, 300.0, 0.0],
        "In kind": [250.0, 0.0, 0.0, 0.0],
    }
    top, by_sector = section.tables
    assert len(top) == 4
    assert [row[1] for row in by_sector.rows] == [
        Decimal("1250.00"),
        Decimal("500.00"),
        Decimal("300.00"),
        Decimal("0.00"),
    ]


def test_other_years(net):
    """2014 has act1, act5, act7 running and B's 100 EUR at the 2014 rate; 2017 no money."""
    section = build_activities(net.network, 2014)
    assert section.values()["activities_running"] == 3
    assert section.values()["cofinancing_total"] == Decimal("110.00")
    assert section.values()["cofinanced_activities"] == 0
    empty = build_activities(net.network, 2017)
    assert empty.values()["activities_running"] == 3  # act2, act4 and act6 have no end
    assert empty.values()["cofinancing_total"] == Decimal("0.00")
    assert empty.notes == []
    assert [chart.key for chart in empty.charts] == ["activities_by_kind"]
    assert empty.tables == []


def test_declared_figures_are_the_produced_ones(net):
    section = build_activities(net.network, YEAR)
    assert set(section.values()) == set(section_type("activities").figures)


def test_no_contact_details_in_records(net):
    section = build_activities(net.network, YEAR)
    text = repr([f.records.rows for f in section.figures] + [t.rows for t in section.tables])
    for organisation in net.o.values():
        assert organisation.email not in text
        assert organisation.phone not in text


def test_constant_queries(net, django_assert_max_num_queries):
    """The same number of queries for a few records and for many more."""
    with django_assert_max_num_queries(QUERIES):
        build_activities(net.network, YEAR)
    for index in range(30):
        organisation = OrganisationFactory(sector=sector("media"))
        activity = JointActivityFactory(network=net.network, start=d("2015-03-01"))
        ParticipationFactory(activity=activity, organisation=organisation, role="lead")
        ContributionFactory(
            activity=activity, organisation=organisation, amount=Decimal(index), year=YEAR,
            currency="EUR" if index % 2 else "USD",
        )  # fmt: skip
    with django_assert_max_num_queries(QUERIES):
        section = build_activities(net.network, YEAR)
    assert section.values()["activities_running"] == 34
