"""The membership section's figures match counts made by hand on a small network."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from netweave.directory.sectors import ensure_sectors
from netweave.directory.tests.factories import OrganisationFactory, sector
from netweave.influence.indicators import compute
from netweave.networks.models import StageMilestone
from netweave.networks.tests.factories import MembershipFactory, NetworkFactory
from netweave.reports.registry import section_type
from netweave.reports.sections.membership import build_membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    """Eight organisations around the turn of 2014/2015.

    Members on 31 December (hand count):
      2013: A (civil society), C (academia), H (academia)                          → 3
      2014: A, B (government, joined 1 Jan), D (civil society, joined 31 Dec), H;
            C left on 31 Dec 2014                                                  → 4, 3 sectors
      2015: A, B, D, E (government, joined 1 Jan 2015); H left on 1 Jan 2015       → 4
    F is an applicant and G suspended: never counted. A also belongs to another network.
    """
    ensure_sectors()
    net = NetworkFactory(slug="mnet", launched=dt.date(2013, 5, 1))
    other = NetworkFactory(slug="elsewhere")

    def org(name: str, slug: str):
        return OrganisationFactory(name=name, sector=sector(slug))

    orgs = {
        "A": org("Alpha", "civil-society"),
        "B": org("Bravo", "government"),
        "C": org("Charlie", "academia"),
        "D": org("Delta", "civil-society"),
        "E": org("Echo", "government"),
        "F": org("Foxtrot", "media"),
        "G": org("Golf", "donor"),
        "H": org("Hotel", "academia"),
    }
    d = dt.date
    member = MembershipFactory
    member(network=net, organisation=orgs["A"], joined=d(2013, 6, 1))
    member(network=net, organisation=orgs["B"], joined=d(2014, 1, 1))
    member(network=net, organisation=orgs["C"], joined=d(2013, 9, 1), left=d(2014, 12, 31))
    member(network=net, organisation=orgs["D"], joined=d(2014, 12, 31))
    member(network=net, organisation=orgs["E"], joined=d(2015, 1, 1))
    member(network=net, organisation=orgs["F"], joined=d(2014, 3, 1), status="applicant")
    member(network=net, organisation=orgs["G"], joined=d(2014, 2, 1), status="suspended")
    member(network=net, organisation=orgs["H"], joined=d(2013, 1, 1), left=d(2015, 1, 1))
    member(network=other, organisation=orgs["A"], joined=d(2012, 1, 1))
    StageMilestone.objects.create(network=net, stage="emerging", date=d(2013, 5, 1))
    StageMilestone.objects.create(network=net, stage="formal", date=d(2014, 12, 31))
    StageMilestone.objects.create(network=net, stage="recognised", date=d(2015, 1, 1))
    StageMilestone.objects.create(network=other, stage="formal", date=d(2014, 6, 1))
    return net


def names(figure) -> list[str]:
    return sorted(row[0] for row in figure.records.rows)


def test_figures_match_hand_counts(network):
    """Members, joiners, leavers, change and sectors at the end of 2014 are as counted by hand."""
    built = build_membership(network, 2014)
    assert built.values() == {
        "members_total": 4,
        "members_joined": 2,
        "members_left": 1,
        "members_change": 1,
        "sectors_represented": 3,
        "stage": "Formal",
        "milestones_reached": 1,
    }
    assert names(built.figure("members_total")) == ["Alpha", "Bravo", "Delta", "Hotel"]
    assert names(built.figure("members_joined")) == ["Bravo", "Delta"]
    assert names(built.figure("members_left")) == ["Charlie"]
    assert built.figure("members_left").records.rows == [
        ["Charlie", "Academia and research", dt.date(2013, 9, 1), dt.date(2014, 12, 31)]
    ]
    assert built.figure("sectors_represented").records.rows == [
        ["National or local NGO and civil society", 2],
        ["Academia and research", 1],
        ["Government", 1],
    ]
    assert built.figure("milestones_reached").records.rows == [
        ["Formal", dt.date(2014, 12, 31), ""]
    ]
    assert built.notes == ["The network became Formal on 31 Dec 2014."]


def test_year_boundaries(network):
    """Joining on 1 January counts in that year; leaving on 1 January counts in that year."""
    built = build_membership(network, 2015)
    assert built.values() == {
        "members_total": 4,
        "members_joined": 1,
        "members_left": 1,
        "members_change": 0,
        "sectors_represented": 2,
        "stage": "Recognised",
        "milestones_reached": 1,
    }
    assert names(built.figure("members_joined")) == ["Echo"]
    assert names(built.figure("members_left")) == ["Hotel"]


def test_records_as_long_as_the_counts(network):
    """Each count figure lists exactly as many records as it counts."""
    for year in (2013, 2014, 2015):
        built = build_membership(network, year)
        for key in ("members_total", "members_joined", "members_left", "milestones_reached"):
            figure = built.figure(key)
            assert len(figure.records) == figure.value, (year, key)
        sectors = built.figure("sectors_represented")
        assert len(sectors.records) == sectors.value
        assert sum(row[1] for row in sectors.records.rows) == built.figure("members_total").value


def test_agrees_with_the_indicators(network):
    """Members and sectors are the computed indicators' values for the same year."""
    years = [2013, 2014, 2015]
    members = compute("member_organisations", network, years)
    sectors = compute("sectors_represented", network, years)
    for year in years:
        built = build_membership(network, year)
        assert Decimal(built.figure("members_total").value) == members[year]
        assert Decimal(built.figure("sectors_represented").value) == sectors[year]


def test_charts(network):
    """Growth runs from the first year to the report's year; the sector mix per sector."""
    built = build_membership(network, 2015)
    growth, mix = built.charts
    assert (growth.kind, growth.categories) == ("line", ["2013", "2014", "2015"])
    assert list(growth.series.values()) == [[3.0, 4.0, 4.0]]
    assert mix.kind == "hbar"
    assert dict(zip(mix.categories, next(iter(mix.series.values())), strict=True)) == {
        "National or local NGO and civil society": 2.0,
        "Government": 2.0,
    }


def test_before_any_milestone(network):
    """Before the first milestone the stage is unknown and nothing was reached."""
    built = build_membership(network, 2012)
    assert built.figure("stage").value is None
    assert built.figure("milestones_reached").value == 0
    assert built.figure("members_total").value == 0


def test_declared_figures_are_produced(network):
    """The registry declares exactly the figures the builder produces."""
    declared = set(section_type("membership").figures)
    assert {figure.key for figure in build_membership(network, 2014).figures} == declared


def test_no_contact_details_in_records(network):
    """No e-mail address or phone number of the organisations appears in any record."""
    built = build_membership(network, 2014)
    cells = [
        str(cell) for figure in built.figures if figure.records for row in figure.records.rows
        for cell in row
    ]  # fmt: skip
    assert cells
    assert not [cell for cell in cells if "@" in cell or "+992" in cell]


def test_constant_queries(network, django_assert_max_num_queries):
    """Three queries with 8 organisations and with 48: memberships, growth, milestones."""
    with django_assert_max_num_queries(3):
        build_membership(network, 2014)
    for _ in range(40):
        MembershipFactory(network=network, joined=dt.date(2014, 5, 1))
    with django_assert_max_num_queries(3):
        built = build_membership(network, 2014)
    assert built.figure("members_total").value == 44
