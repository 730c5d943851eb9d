"""Survey exports: ratings and received averages, for facilitators and steering only."""

import pytest
from django.core.exceptions import PermissionDenied

from netweave.core.exports import build_dataset
from netweave.surveys.tests.factories import make_round, rate

pytestmark = pytest.mark.django_db


def test_facilitator_exports_ratings_and_averages(personas):
    survey_round = make_round(personas.network, status="closed")
    rate(survey_round, personas.org_a, personas.org_b, 3, 4, 5, "=cmd")
    data = build_dataset("survey_ratings", personas.network, personas.fiona)
    assert data.dict[0]["rater"] == "awi" and data.dict[0]["trust"] == 4
    received = build_dataset("survey_received", personas.network, personas.sam)
    assert received.dict[0] == {
        "year": 2015,
        "organisation": "bm",
        "ratings": 1,
        "frequency": 3.0,
        "trust": 4.0,
        "value": 5.0,
    }


@pytest.mark.parametrize("who", ["alice", "olga"])
def test_focal_points_and_observers_cannot_export_ratings(personas, who):
    for kind in ("survey_ratings", "survey_received"):
        with pytest.raises(PermissionDenied):
            build_dataset(kind, personas.network, getattr(personas, who))
