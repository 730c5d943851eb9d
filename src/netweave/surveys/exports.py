"""The survey's exportable lists: every rating (facilitators), received averages by year."""

from __future__ import annotations

from typing import Any

import tablib
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from netweave.core.access import NetworkAccess
from netweave.core.exports import dataset, iso, register
from netweave.networks.models import Network
from netweave.surveys import permissions
from netweave.surveys.models import MEASURES, TieRating
from netweave.surveys.results import mean

RATING_COLUMNS = (
    "year",
    "rater",
    "rater_sector",
    "rated",
    "rated_sector",
    "frequency",
    "trust",
    "value",
    "comment",
    "modified",
)
RECEIVED_COLUMNS = ("year", "organisation", "ratings", "frequency", "trust", "value")


def ratings_export(network: Network, user: Any, access: NetworkAccess) -> tablib.Dataset:
    """Who rated whom how, every round: for facilitators and the steering committee only."""
    if not permissions.can_see_all_results(access):
        raise PermissionDenied
    ratings = (
        TieRating.objects.filter(round__network=network)
        .select_related("round", "rater__sector", "rated__sector")
        .order_by("round__year", "rater__name", "rated__name")
    )
    rows = (
        (
            r.round.year,
            r.rater.slug,
            r.rater.sector.slug,
            r.rated.slug,
            r.rated.sector.slug,
            r.frequency,
            r.trust,
            r.value,
            r.comment,
            iso(r.modified),
        )
        for r in ratings
    )
    return dataset(RATING_COLUMNS, rows)


def received_export(network: Network, user: Any, access: NetworkAccess) -> tablib.Dataset:
    """Each organisation's received averages by year: facilitators and steering committee."""
    if not permissions.can_see_all_results(access):
        raise PermissionDenied
    sums = (
        TieRating.objects.filter(round__network=network)
        .values("round__year", "rated__slug")
        .annotate(n=Count("id"), **{name: Sum(name) for name in MEASURES})
        .order_by("round__year", "rated__slug")
    )
    rows = (
        (
            row["round__year"],
            row["rated__slug"],
            row["n"],
            *(mean(row[name], row["n"]) for name in MEASURES),
        )
        for row in sums
    )
    return dataset(RECEIVED_COLUMNS, rows)


register("survey_ratings", label=_("Survey ratings"), app="surveys", build=ratings_export)
register(
    "survey_received", label=_("Survey averages received"), app="surveys", build=received_export
)
