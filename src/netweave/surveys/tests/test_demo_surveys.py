"""The demo survey and influence map: loaded once, with figures that tell a story."""

import pytest

from netweave.demo.influence_map import load_influence_map
from netweave.demo.services import load_demo
from netweave.demo.surveys import load_surveys
from netweave.influence.mapping import goal_stances
from netweave.influence.models import InfluenceAssessment, InfluenceGoal
from netweave.networks.models import Network
from netweave.surveys import services
from netweave.surveys.models import SurveyRound, TieRating

pytestmark = pytest.mark.django_db


def test_demo_loads_two_rounds_and_a_goal_once():
    """Rounds 2014 and 2015, closed, most members answered, trust grew; a second load adds
    nothing."""
    load_demo()
    water = Network.objects.get(slug="water-sanitation")
    rounds = list(SurveyRound.objects.filter(network=water).order_by("year"))
    assert [(r.year, r.status) for r in rounds] == [(2014, "closed"), (2015, "closed")]
    trend = services.network_trend(water)
    assert all(0.5 < point.response_rate < 1 for point in trend)
    assert trend[1].averages["trust"] > trend[0].averages["trust"]
    assert all(point.ratings > 100 for point in trend)
    # Every rating is between members of the round's year.
    for survey_round in rounds:
        members = set(services.round_members(survey_round).values_list("pk", flat=True))
        pairs = TieRating.objects.filter(round=survey_round).values_list("rater_id", "rated_id")
        assert all(a in members and b in members and a != b for a, b in pairs)
    goal = InfluenceGoal.objects.get(network=water)
    assert goal.title == "National water tariff methodology"
    current = goal_stances(goal)
    assert len(current) >= 10
    assert any(s.moved for s in current) and any(s.is_target for s in current)
    counts = (TieRating.objects.count(), InfluenceAssessment.objects.count())
    assert load_surveys(water) == 0 and load_influence_map(water) is None
    load_demo()
    assert (TieRating.objects.count(), InfluenceAssessment.objects.count()) == counts
    assert not SurveyRound.objects.filter(network__slug="food-security").exists()
