"""The demo's consultation: the bank's poverty diagnostic of July 2015 in the water network."""

import pytest

from netweave.consultations import services
from netweave.consultations.models import Comment, Consultation, Dissent, Recommendation
from netweave.demo.consultations import load_consultations
from netweave.demo.services import load_demo

pytestmark = pytest.mark.django_db


def test_demo_loads_the_poverty_diagnostic_once():
    """Comments from several sectors, a published synthesis with dissent and answers; once."""
    load_demo()
    consultation = Consultation.objects.get(network__slug="water-sanitation")
    assert consultation.owner.name == "Global Reconstruction and Development Bank"
    assert consultation.status == "published"
    assert consultation.local_opens.strftime("%Y-%m") == "2015-07"
    assert consultation.documents.count() == 1
    comments = Comment.objects.filter(section__consultation=consultation)
    assert comments.count() >= 8
    sectors = set(comments.values_list("organisation__sector__slug", flat=True))
    assert len(sectors) >= 5
    assert all(c.created.year == 2015 for c in comments)
    recommendations = list(consultation.recommendations.all())
    support = services.support_for(r.pk for r in recommendations)
    assert all(not support[r.pk].flagged for r in recommendations)
    assert Dissent.objects.filter(recommendation__consultation=consultation).exists()
    assert {r.response for r in recommendations} >= {"taken_up", "partly", "pending"}
    counts = (Consultation.objects.count(), Comment.objects.count(), Recommendation.objects.count())
    assert load_consultations() == 0
    load_demo()
    assert counts == (
        Consultation.objects.count(),
        Comment.objects.count(),
        Recommendation.objects.count(),
    )
