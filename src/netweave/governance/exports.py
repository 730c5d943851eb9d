"""Governance's exportable lists: task groups with their lead, members and deliverables."""

from __future__ import annotations

from typing import Any

import tablib
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from netweave.core.access import NetworkAccess
from netweave.core.exports import dataset, iso, register
from netweave.governance.models import TaskGroup
from netweave.networks.models import Network

TASK_GROUP_COLUMNS = (
    "name",
    "status",
    "lead",
    "start",
    "end",
    "members",
    "topics",
    "deliverables",
    "deliverables_done",
)


def task_groups_export(network: Network, user: Any, access: NetworkAccess) -> tablib.Dataset:
    """Every task group of the network: readable by whoever may read the network."""
    groups = (
        TaskGroup.objects.filter(network=network)
        .select_related("lead")
        .prefetch_related("members__organisation", "topics")
        .annotate(
            deliverable_count=Count("deliverables", distinct=True),
            done_count=Count("deliverables", filter=Q(deliverables__status="done"), distinct=True),
        )
        .order_by("name")
    )
    rows = (
        (
            group.name,
            group.status,
            group.lead.name,
            iso(group.start),
            iso(group.end),
            "; ".join(sorted(m.organisation.name for m in group.members.all())),
            "; ".join(sorted(t.name for t in group.topics.all())),
            group.deliverable_count,
            group.done_count,
        )
        for group in groups
    )
    return dataset(TASK_GROUP_COLUMNS, rows)


register("task_groups", label=_("Task groups"), app="governance", build=task_groups_export)
