"""The activities' exportable lists: joint activities, and contributions for members."""

from __future__ import annotations

from typing import Any

import tablib
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from netweave.activities.models import Contribution, JointActivity, ParticipationRole
from netweave.core.access import NetworkAccess
from netweave.core.exports import dataset, register
from netweave.networks.models import Network

ACTIVITY_COLUMNS = (
    "uid",
    "kind",
    "title",
    "status",
    "start",
    "end",
    "lead",
    "task_group",
    "topics",
)
CONTRIBUTION_COLUMNS = (
    "activity",
    "organisation",
    "kind",
    "amount",
    "currency",
    "year",
    "description",
)


def activities_export(network: Network, user: Any, access: NetworkAccess) -> tablib.Dataset:
    if not access.can_view:
        raise PermissionDenied
    activities = (
        JointActivity.objects.filter(network=network)
        .select_related("task_group")
        .prefetch_related("topics", "participations__organisation")
        .order_by("start", "title", "pk")
    )
    return dataset(
        ACTIVITY_COLUMNS,
        (
            [
                str(a.uid),
                a.kind,
                a.title,
                a.status,
                a.start.isoformat() if a.start else "",
                a.end.isoformat() if a.end else "",
                "; ".join(
                    p.organisation.name
                    for p in a.participations.all()
                    if p.role == ParticipationRole.LEAD
                ),
                a.task_group.name if a.task_group else "",
                "; ".join(t.slug for t in a.topics.all()),
            ]
            for a in activities
        ),
    )


def contributions_export(network: Network, user: Any, access: NetworkAccess) -> tablib.Dataset:
    """Money is for people with a role in the network."""
    if not access.has_role:
        raise PermissionDenied
    rows = (
        Contribution.objects.filter(activity__network=network)
        .select_related("activity", "organisation")
        .order_by("year", "activity__title", "organisation__name", "pk")
    )
    return dataset(
        CONTRIBUTION_COLUMNS,
        (
            [
                c.activity.title,
                c.organisation.name,
                c.kind,
                str(c.amount),
                c.currency,
                c.year,
                c.description,
            ]
            for c in rows.iterator(chunk_size=1000)
        ),
    )


register("activities", label=_("Joint activities"), app="activities", build=activities_export)
register("contributions", label=_("Contributions"), app="activities", build=contributions_export)
