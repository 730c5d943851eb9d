"""Survey figures computed by hand: averages, response rate, reciprocity, trend."""

import datetime as dt

import pytest

from netweave.directory.tests.factories import OrganisationFactory
from netweave.networks.tests.factories import MembershipFactory
from netweave.surveys import services
from netweave.surveys.models import RoundStatus
from netweave.surveys.results import TrendPoint, round_figures, trend_figure
from netweave.surveys.tests.factories import make_round, rate

A, B, C, D = 1, 2, 3, 4
RATINGS = [
    (A, B, 3, 4, 5),
    (A, C, 1, 2, 3),
    (B, A, 4, 4, 4),
    (C, A, 2, 5, 3),
    (C, B, 5, 3, 1),
]


def test_round_figures_by_hand():
    """Four members, three answered; every average is a sum over a count."""
    figures = round_figures(RATINGS, members={A, B, C, D}, responded={A, B, C})
    assert (figures.members, figures.responded, figures.response_rate) == (4, 3, 0.75)
    assert figures.ratings == 5
    # frequency 15/5, trust 18/5, value 16/5
    assert figures.overall == {"frequency": 3.0, "trust": 3.6, "value": 3.2}
    # {A,B} and {A,C} are named by both sides, {B,C} only by C.
    assert figures.reciprocity == 0.6667
    received = {org: f.received for org, f in figures.by_organisation.items()}
    assert received[A].count == 2 and received[A].averages == {
        "frequency": 3.0,
        "trust": 4.5,
        "value": 3.5,
    }
    assert received[B].averages == {"frequency": 4.0, "trust": 3.5, "value": 3.0}
    assert received[C].averages == {"frequency": 1.0, "trust": 2.0, "value": 3.0}
    assert received[D].count == 0 and received[D].averages["trust"] is None
    given_c = figures.by_organisation[C].given
    assert (given_c.count, given_c.averages["trust"], given_c.averages["value"]) == (2, 4.0, 2.0)
    assert not figures.by_organisation[D].responded


def test_empty_round_has_no_averages():
    figures = round_figures([], members=set(), responded=set())
    assert figures.response_rate is None and figures.reciprocity is None
    assert figures.overall["trust"] is None


def test_trend_figure_has_a_point_per_year():
    points = [
        TrendPoint(2014, "closed", 4, 2, 3, {"frequency": 2.0, "trust": 3.0, "value": 3.5}),
        TrendPoint(2015, "closed", 5, 4, 8, {"frequency": 2.5, "trust": 3.5, "value": 4.0}),
    ]
    figure = trend_figure(points, measure="trust", label="Network", own=[None, 4.0], own_label="Us")
    assert figure["data"][0]["x"] == [2014, 2015]
    assert figure["data"][0]["y"] == [3.0, 3.5]
    assert figure["data"][1]["y"] == [None, 4.0]
    rate_figure = trend_figure(points, measure="response_rate", label="Network")
    assert rate_figure["data"][0]["y"] == [50.0, 80.0]


@pytest.mark.django_db
def test_figures_from_the_database_match_the_hand_computation(personas):
    """The same five ratings stored in a round give the same figures."""
    org_c = OrganisationFactory(name="Gamma NGO")
    org_d = OrganisationFactory(name="Delta Bank")
    for org in (org_c, org_d):
        MembershipFactory(network=personas.network, organisation=org)
    ids = {A: personas.org_a, B: personas.org_b, C: org_c, D: org_d}
    survey_round = make_round(personas.network, status=RoundStatus.CLOSED)
    for rater, rated, f, t, v in RATINGS:
        rate(survey_round, ids[rater], ids[rated], f, t, v)
    figures = services.figures_of_round(survey_round)
    assert (figures.members, figures.responded, figures.ratings) == (4, 3, 5)
    assert figures.overall == {"frequency": 3.0, "trust": 3.6, "value": 3.2}
    assert figures.by_organisation[personas.org_a.pk].received.averages["trust"] == 4.5


@pytest.mark.django_db
def test_network_trend_by_year(personas):
    """Each year's members, answers and averages; a year's members follow the memberships."""
    late = OrganisationFactory(name="Late Joiner")
    MembershipFactory(network=personas.network, organisation=late, joined=dt.date(2015, 2, 1))
    r2014 = make_round(personas.network, 2014, status=RoundStatus.CLOSED)
    r2015 = make_round(personas.network, 2015, status=RoundStatus.CLOSED)
    rate(r2014, personas.org_a, personas.org_b, 2, 2, 2)
    rate(r2015, personas.org_a, personas.org_b, 4, 4, 5)
    rate(r2015, late, personas.org_a, 2, 5, 4)
    trend = services.network_trend(personas.network)
    assert [(p.year, p.members, p.responded, p.ratings) for p in trend] == [
        (2014, 2, 1, 1),
        (2015, 3, 2, 2),
    ]
    assert trend[1].averages == {"frequency": 3.0, "trust": 4.5, "value": 4.5}
    assert trend[0].response_rate == 0.5
    received = services.received_trend(personas.network, personas.org_b)
    assert received[r2015.pk] == {"count": 1, "frequency": 4.0, "trust": 4.0, "value": 5.0}
