"""The report's sections on outcomes and indicators, against hand-computed figures for 2015.

Outcomes: o1 policy 2015-01-01 substantiated, o2 policy 2015-12-31 not substantiated, o3 law
2015-06-01 pending (actor: organisation A); left out: o4 dated 2014-12-31, o5 2016-01-01 and
another network's outcome of 2015. So 3 outcomes: 1 substantiated, 1 not, 1 pending.

Indicators (five member organisations since 2010):
- "Briefs" entered: baseline 2 (2012), target 6 in 2015 and 8 in 2016, value 7 → met;
- "Trainings" entered: target 10, value 8 → not met;
- "Members" computed (member organisations): baseline 1 (2013), target 7 in 2017 → the path
  stands at 1 + 6 × 2/4 = 4 in 2015, the value is 5 → on track;
- "Mentions" entered: no target, value 12 → no target;
- "Statements" entered: target 3, no value → no value;
- "Outcomes" computed (outcomes recorded): target 2, value 3 → met;
- "Members target" computed (member organisations): target 6, value 5 → not met.
So 7 indicators, 5 with a target for 2015, 2 targets met, 1 on track.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from netweave.directory.tests.factories import OrganisationFactory, sector
from netweave.influence.indicators import compute
from netweave.influence.tests.factories import (
    IndicatorFactory,
    IndicatorTargetFactory,
    IndicatorValueFactory,
    OutcomeFactory,
)
from netweave.networks.tests.factories import MembershipFactory, NetworkFactory
from netweave.reports.registry import section_type
from netweave.reports.sections.influence import build_indicators, build_outcomes

pytestmark = pytest.mark.django_db

YEAR = 2015
OUTCOME_QUERIES = 1  # the outcomes with their actor organisations
# 5 queries: indicators, their targets, their entries of the year, and one per kind of
# computation in use (member organisations, outcomes recorded).
INDICATOR_QUERIES = 5


def build() -> SimpleNamespace:
    net = NetworkFactory(slug="influence", name="Influence network")
    members = [
        OrganisationFactory(name=f"Member {i}", sector=sector("government")) for i in range(5)
    ]
    for organisation in members:
        MembershipFactory(network=net, organisation=organisation, joined=dt.date(2010, 1, 1))
    actor = OrganisationFactory(name="Ministry of Water", sector=sector("government"))
    OutcomeFactory(
        network=net, title="o1", kind="policy", date=dt.date(2015, 1, 1), substantiation="yes",
        significance="National policy.",
    )  # fmt: skip
    OutcomeFactory(
        network=net, title="o2", kind="policy", date=dt.date(2015, 12, 31), substantiation="no"
    )
    OutcomeFactory(
        network=net, title="o3", kind="law", date=dt.date(2015, 6, 1), substantiation="pending",
        actor_organisation=actor, actor_name="",
    )  # fmt: skip
    OutcomeFactory(network=net, title="o4", date=dt.date(2014, 12, 31), substantiation="yes")
    OutcomeFactory(network=net, title="o5", date=dt.date(2016, 1, 1), substantiation="yes")
    OutcomeFactory(network=NetworkFactory(slug="elsewhere"), title="o6", date=dt.date(2015, 3, 1))

    def indicator(name, *, computation="", baseline=None, baseline_year=None, targets=(),
                  values=()):  # fmt: skip
        item = IndicatorFactory(
            network=net,
            name=name,
            source="computed" if computation else "entered",
            computation=computation,
            baseline_value=Decimal(baseline) if baseline is not None else None,
            baseline_year=baseline_year,
        )
        for year, value in targets:
            IndicatorTargetFactory(indicator=item, year=year, value=Decimal(value))
        for year, value in values:
            IndicatorValueFactory(indicator=item, year=year, value=Decimal(value))
        return item

    indicator(
        "Briefs", baseline="2", baseline_year=2012, targets=[(2015, "6"), (2016, "8")],
        values=[(2014, "3"), (2015, "7")],
    )  # fmt: skip
    indicator("Trainings", targets=[(2015, "10")], values=[(2015, "8")])
    indicator(
        "Members", computation="member_organisations", baseline="1", baseline_year=2013,
        targets=[(2017, "7")],
    )  # fmt: skip
    indicator("Mentions", values=[(2015, "12")])
    indicator("Statements", targets=[(2015, "3")])
    indicator("Outcomes", computation="outcomes_recorded", targets=[(2015, "2")])
    indicator("Members target", computation="member_organisations", targets=[(2015, "6")])
    return SimpleNamespace(network=net, actor=actor)


@pytest.fixture
def net():
    return build()


class TestOutcomes:
    def test_outcomes_of_the_year(self, net):
        """Dated in the year, both ends included; other years and networks left out."""
        section = build_outcomes(net.network, YEAR)
        values = section.values()
        assert values == {
            "outcomes": 3,
            "outcomes_substantiated": 1,
            "outcomes_not_substantiated": 1,
            "outcomes_pending": 1,
        }
        assert values["outcomes"] == compute("outcomes_recorded", net.network, [YEAR])[YEAR]
        assert (
            values["outcomes_substantiated"]
            == compute("outcomes_substantiated", net.network, [YEAR])[YEAR]
        )
        rows = section.figure("outcomes").records.rows
        assert [row[0] for row in rows] == ["o1", "o3", "o2"]
        assert rows[0][2:] == [
            "Policy",
            "Ministry of Finance",
            dt.date(2015, 1, 1),
            "National policy.",
            "Substantiated",
        ]
        assert rows[1][3] == "Ministry of Water"
        assert [row[0] for row in section.figure("outcomes_pending").records.rows] == ["o3"]

    def test_chart_by_kind_and_substantiation(self, net):
        chart = build_outcomes(net.network, YEAR).charts[0]
        assert (chart.kind, chart.categories) == ("stacked", ["Law", "Policy"])
        assert chart.series == {
            "Substantiated": [0.0, 1.0],
            "Not substantiated": [0.0, 1.0],
            "Pending": [1.0, 0.0],
        }

    def test_empty_year(self, net):
        section = build_outcomes(net.network, 2013)
        assert all(value == 0 for value in section.values().values())
        assert section.charts == []

    def test_declared_figures(self, net):
        section = build_outcomes(net.network, YEAR)
        assert set(section.values()) == set(section_type("outcomes").figures)

    def test_constant_queries(self, net, django_assert_max_num_queries):
        with django_assert_max_num_queries(OUTCOME_QUERIES):
            build_outcomes(net.network, YEAR)
        for index in range(20):
            OutcomeFactory(
                network=net.network,
                date=dt.date(2015, 2, 1),
                actor_organisation=OrganisationFactory(name=f"Actor {index}"),
            )
        with django_assert_max_num_queries(OUTCOME_QUERIES):
            section = build_outcomes(net.network, YEAR)
        assert section.values()["outcomes"] == 23


class TestIndicators:
    def test_figures(self, net):
        section = build_indicators(net.network, YEAR)
        assert section.values() == {
            "indicators": 7,
            "indicators_with_target": 5,
            "targets_met": 2,
            "indicators_on_track": 1,
        }
        assert [row[0] for row in section.figure("targets_met").records.rows] == [
            "Briefs",
            "Outcomes",
        ]
        assert [row[0] for row in section.figure("indicators_with_target").records.rows] == [
            "Briefs",
            "Members target",
            "Outcomes",
            "Statements",
            "Trainings",
        ]
        assert [row[0] for row in section.figure("indicators_on_track").records.rows] == ["Members"]

    def test_table_rows(self, net):
        """Name, unit, source, baseline, baseline year, target, value and status."""
        table = build_indicators(net.network, YEAR).tables[0]
        rows = {row[0]: row for row in table.rows}
        assert len(table) == 7
        assert rows["Briefs"][3:] == [
            Decimal("2"),
            2012,
            Decimal("6"),
            Decimal("7"),
            "Target met",
        ]
        assert rows["Trainings"][5:] == [Decimal("10"), Decimal("8"), "Target not met"]
        assert rows["Members"][2] == "Computed from the data"
        assert rows["Members"][5:] == [None, Decimal("5"), "On track"]
        assert rows["Mentions"][5:] == [None, Decimal("12"), "No target"]
        assert rows["Statements"][5:] == [Decimal("3"), None, "No value for the year"]
        assert rows["Outcomes"][5:] == [Decimal("2"), Decimal("3"), "Target met"]
        assert rows["Members target"][5:] == [Decimal("6"), Decimal("5"), "Target not met"]

    def test_behind_the_path(self, net):
        """In 2014 "Members" should stand at 1 + 6 × 1/4 = 2.5 and has 5; with a baseline of
        5 the path stands at 5.5 and the indicator is behind."""
        table = build_indicators(net.network, 2014).tables[0]
        assert {row[0]: row[7] for row in table.rows}["Members"] == "On track"
        from netweave.influence.models import Indicator

        Indicator.objects.filter(name="Members").update(baseline_value=Decimal("5"))
        table = build_indicators(net.network, 2014).tables[0]
        assert {row[0]: row[7] for row in table.rows}["Members"] == (
            "Behind the path to the next target"
        )

    def test_chart_of_targets_reached(self, net):
        chart = build_indicators(net.network, YEAR).charts[0]
        assert chart.categories == ["Briefs", "Members target", "Outcomes", "Trainings"]
        assert list(chart.series.values()) == [[116.7, 83.3, 150.0, 80.0]]

    def test_declared_figures(self, net):
        section = build_indicators(net.network, YEAR)
        assert set(section.values()) == set(section_type("indicators").figures)

    def test_constant_queries(self, net, django_assert_max_num_queries):
        with django_assert_max_num_queries(INDICATOR_QUERIES):
            build_indicators(net.network, YEAR)
        for index in range(15):
            item = IndicatorFactory(
                network=net.network,
                name=f"More {index}",
                source="computed" if index % 2 else "entered",
                computation="member_organisations" if index % 2 else "",
            )
            IndicatorTargetFactory(indicator=item, year=YEAR, value=Decimal(index))
            IndicatorValueFactory(indicator=item, year=YEAR, value=Decimal(1))
        with django_assert_max_num_queries(INDICATOR_QUERIES):
            section = build_indicators(net.network, YEAR)
        assert section.values()["indicators"] == 22
