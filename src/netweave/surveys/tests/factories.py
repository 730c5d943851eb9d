"""Survey rounds and ratings for tests."""

from __future__ import annotations

from typing import Any

from netweave.surveys import services
from netweave.surveys.models import RoundStatus, SurveyResponse, SurveyRound, TieRating


def make_round(network: Any, year: int = 2015, *, status: str = RoundStatus.OPEN) -> SurveyRound:
    return SurveyRound.objects.create(network=network, year=year, status=status)


def rate(
    survey_round: SurveyRound, rater: Any, rated: Any, f: int, t: int, v: int, comment: str = ""
) -> TieRating:
    """A rating written directly (closed rounds included), with its response."""
    SurveyResponse.objects.get_or_create(round=survey_round, organisation=rater)
    return TieRating.objects.create(
        round=survey_round, rater=rater, rated=rated, frequency=f, trust=t, value=v, comment=comment
    )


def submit(survey_round: SurveyRound, rater: Any, by_org: dict, user: Any = None) -> list:
    """Ratings through the service: ``submit(r, org_a, {org_b: (3, 4, 5), org_c: None})``."""
    return services.submit_ratings(
        survey_round,
        rater=rater,
        ratings={
            org: None
            if scores is None
            else dict(zip(("frequency", "trust", "value"), scores, strict=True))
            for org, scores in by_org.items()
        },
        acting_user=user,
    )
