"""The activities' reading of the permission policy in ``core.access``.

Anyone who may read the network reads its activities; money (contributions, totals, the
co-financing summary) is for people with a role in it. Facilitators record activities and
exchange rates; the focal point of an activity's lead organisation runs that activity.
"""

from __future__ import annotations

from typing import Any

from netweave.activities.models import JointActivity, ParticipationRole
from netweave.core.access import NetworkAccess


def can_create(access: NetworkAccess) -> bool:
    return access.is_facilitator


def can_view_money(access: NetworkAccess) -> bool:
    return access.has_role


def can_manage_rates(access: NetworkAccess) -> bool:
    return access.is_facilitator


def lead_ids(activity: JointActivity) -> set[int]:
    """Lead organisations (from the prefetched participations when there are some)."""
    return {
        p.organisation_id for p in activity.participations.all() if p.role == ParticipationRole.LEAD
    }


def can_edit(access: NetworkAccess, activity: Any) -> bool:
    if access.is_facilitator:
        return True
    return bool(access.focal_org_ids) and bool(lead_ids(activity) & access.focal_org_ids)
