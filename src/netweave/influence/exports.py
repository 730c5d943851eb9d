"""Influence's exportable lists: the outcome log and the indicators' values by year."""

from __future__ import annotations

from typing import Any

import tablib
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from netweave.core.access import NetworkAccess
from netweave.core.exports import dataset, iso, register
from netweave.influence.models import Indicator, Outcome
from netweave.influence.services import indicator_series
from netweave.library.models import Document
from netweave.library.search import visibility_filter
from netweave.networks.models import Network

OUTCOME_COLUMNS = (
    "uid",
    "date",
    "kind",
    "title",
    "description",
    "actor",
    "actor_organisation",
    "place",
    "significance",
    "contribution",
    "evidence_documents",
    "evidence_note",
    "substantiation",
    "substantiated_by",
    "substantiated_on",
    "meetings",
    "task_groups",
    "activities",
)
INDICATOR_VALUE_COLUMNS = (
    "indicator",
    "source",
    "computation",
    "unit",
    "year",
    "value",
    "target",
    "baseline_year",
    "baseline_value",
    "value_source",
    "note",
)


def _require_role(access: NetworkAccess) -> None:
    if not (access.authenticated and access.has_role):
        raise PermissionDenied


def outcomes_export(network: Network, user: Any, access: NetworkAccess) -> tablib.Dataset:
    """The outcome log, for people with a role in the network."""
    _require_role(access)
    outcomes = (
        Outcome.objects.filter(network=network)
        .select_related("actor_organisation")
        .prefetch_related(
            Prefetch(
                "evidence_documents", queryset=Document.objects.filter(visibility_filter(access))
            ),
            "meetings",
            "task_groups",
            "activities",
        )
        .order_by("date", "title")
    )
    rows = (
        (
            str(o.uid),
            iso(o.date),
            o.kind,
            o.title,
            o.description,
            o.actor,
            o.actor_organisation.slug if o.actor_organisation else "",
            o.place,
            o.significance,
            o.contribution,
            "; ".join(d.title for d in o.evidence_documents.all()),
            o.evidence_note,
            o.substantiation,
            o.substantiated_by,
            iso(o.substantiated_on),
            "; ".join(str(m) for m in sorted(o.meetings.all(), key=lambda m: m.start)),
            "; ".join(sorted(g.name for g in o.task_groups.all())),
            "; ".join(sorted(a.title for a in o.activities.all())),
        )
        for o in outcomes
    )
    return dataset(OUTCOME_COLUMNS, rows)


def indicator_values_export(network: Network, user: Any, access: NetworkAccess) -> tablib.Dataset:
    """Every indicator's value and target by year, computed or entered."""
    _require_role(access)
    indicators = (
        Indicator.objects.filter(network=network)
        .prefetch_related("targets", "entries")
        .order_by("name")
    )
    rows = []
    for series in indicator_series(network, indicators):
        indicator = series.indicator
        for row in series.rows:
            rows.append(
                (
                    indicator.name,
                    indicator.source,
                    indicator.computation,
                    indicator.unit,
                    row.year,
                    "" if row.value is None else str(row.value),
                    "" if row.target is None else str(row.target),
                    indicator.baseline_year or "",
                    "" if indicator.baseline_value is None else str(indicator.baseline_value),
                    row.source,
                    row.note,
                )
            )
    return dataset(INDICATOR_VALUE_COLUMNS, rows)


register("outcomes", label=_("Outcomes"), app="influence", build=outcomes_export)
register(
    "indicator_values",
    label=_("Indicator values"),
    app="influence",
    build=indicator_values_export,
)
