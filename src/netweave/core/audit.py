"""The audit trail: who downloaded which records, and who changed what.

Downloads are written to ``ExportLog`` by the export page, the directory's exports, the
personal-data download and ``netweave export``. Changes are read from the history that
django-simple-history keeps for each important model.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from django.apps import apps
from django.db import models
from django.http import HttpRequest

from netweave.core.models import ExportLog

logger = logging.getLogger("netweave.audit")

# Query parameters that never go into the log (a signed link's secret, say).
SECRET_PARAMETERS = {"token", "key", "password", "secret", "signature", "csrfmiddlewaretoken"}


def client_ip(request: HttpRequest | None) -> str | None:
    """The address the request came from, as the web server saw it."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _filters(params: Mapping[str, Any] | None) -> dict[str, Any]:
    if not params:
        return {}
    lists = params.lists() if hasattr(params, "lists") else ((k, [v]) for k, v in params.items())
    cleaned: dict[str, Any] = {}
    for key, values in lists:
        if key.lower() in SECRET_PARAMETERS:
            continue
        values = [str(v)[:200] for v in values]
        cleaned[key[:60]] = values[0] if len(values) == 1 else values
    return cleaned


def record_export(
    network: Any,
    *,
    user: Any,
    kind: str,
    fmt: str,
    filters: Mapping[str, Any] | None = None,
    request: HttpRequest | None = None,
    source: str = "web",
) -> ExportLog:
    """Write down one download of ``kind`` of ``network``."""
    actor = user if user is not None and user.is_authenticated else None
    entry = ExportLog.objects.create(
        user=actor,
        username=actor.get_username() if actor is not None else "",
        network=network,
        kind=kind[:60],
        format=fmt[:10],
        filters=_filters(filters),
        source=source,
        ip=client_ip(request),
    )
    logger.info(
        "export: actor=%s network=%s kind=%s format=%s source=%s ip=%s",
        entry.username or "-",
        network.slug,
        entry.kind,
        entry.format,
        source,
        entry.ip or "-",
    )
    return entry


@dataclasses.dataclass
class Change:
    when: dt.datetime
    who: str
    kind: str
    model: str
    label: str
    reason: str


def _network_filter(model: type[models.Model], network: Any) -> models.Q | None:
    """How the history of ``model`` is narrowed to one network, or None if it cannot be."""
    names = {f.name for f in model._meta.get_fields()}
    if "network" in names:
        return models.Q(network_id=network.pk)
    instance_model = model.instance_type
    if instance_model._meta.label_lower in ("directory.organisation", "directory.person"):
        Membership = apps.get_model("networks", "Membership")
        org_ids = Membership.objects.filter(network=network).values("organisation_id")
        if instance_model._meta.label_lower == "directory.organisation":
            return models.Q(id__in=org_ids)
        return models.Q(organisation_id__in=org_ids)
    if "meeting" in names:
        Meeting = apps.get_model("meetings", "Meeting")
        return models.Q(meeting_id__in=Meeting.objects.filter(network=network).values("id"))
    return None


def history_models() -> list[type[models.Model]]:
    from simple_history.models import HistoricalChanges

    return [m for m in apps.get_models() if issubclass(m, HistoricalChanges)]


def recent_changes(network: Any, *, limit: int = 100) -> list[Change]:
    """The latest changes, across every model with a history, to records of ``network``.

    One query per model with a history; each reads at most ``limit`` rows.
    """
    changes: list[Change] = []
    kinds = {"+": "created", "~": "changed", "-": "deleted"}
    for model in history_models():
        condition = _network_filter(model, network)
        if condition is None:
            continue
        rows = (
            model.objects.filter(condition)
            .select_related("history_user")
            .order_by("-history_date")[:limit]
        )
        verbose = str(model.instance_type._meta.verbose_name)
        for row in rows:
            # A name or title when the record has one; never a query per row.
            label = str(getattr(row, "name", "") or getattr(row, "title", "") or f"#{row.id}")
            changes.append(
                Change(
                    when=row.history_date,
                    who=row.history_user.get_username() if row.history_user_id else "",
                    kind=kinds.get(row.history_type, row.history_type),
                    model=verbose,
                    label=label[:120],
                    reason=row.history_change_reason or "",
                )
            )
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:limit]
