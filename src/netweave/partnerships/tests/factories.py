"""Builders for partnership tests."""

from __future__ import annotations

import datetime as dt

from netweave.networks.tests.factories import UserFactory
from netweave.partnerships.arrangements import ensure_arrangement_types
from netweave.partnerships.models import (
    ArrangementType,
    HealthCheckRound,
    HealthResponse,
    Partner,
    Partnership,
)


def make_partnership(network, *organisations, name: str = "Water for all", **kwargs) -> Partnership:
    ensure_arrangement_types()
    partnership = Partnership.objects.create(
        network=network,
        name=name,
        arrangement=ArrangementType.objects.get(slug=kwargs.pop("arrangement", "partnership")),
        **kwargs,
    )
    for organisation in organisations:
        Partner.objects.create(partnership=partnership, organisation=organisation)
    return partnership


def make_round(partnership, opens=dt.date(2024, 1, 1), closes=dt.date(2024, 1, 31)):
    return HealthCheckRound.objects.create(
        partnership=partnership, opens=opens, closes=closes, due=closes
    )


def answers(health_round, scores: list[tuple[int, int, int, int, int]], comment: str = "") -> None:
    """Hand-made answers from fresh users (written directly: these tests read aggregates)."""
    for i, (trust, value, communication, equity, purpose) in enumerate(scores):
        HealthResponse.objects.create(
            round=health_round,
            respondent=UserFactory(),
            trust=trust,
            value=value,
            communication=communication,
            equity=equity,
            purpose=purpose,
            comments=f"{comment} {i}" if comment else "",
        )
