"""The network's exportable lists: membership periods."""

from __future__ import annotations

from typing import Any

import tablib
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from netweave.core.access import NetworkAccess
from netweave.core.exports import dataset, iso, register
from netweave.networks.models import Network, Representation, SeatKind

MEMBERSHIP_COLUMNS = ("organisation", "status", "joined", "left", "representative")


def membership_dataset(network: Network) -> tablib.Dataset:
    """Every membership period, with the current representative of open ones."""
    representative = Representation.objects.filter(
        network=network,
        organisation=OuterRef("organisation"),
        kind=SeatKind.REPRESENTATIVE,
        end__isnull=True,
    ).order_by("-start")
    memberships = (
        network.memberships.select_related("organisation")
        .annotate(representative=Subquery(representative.values("person__name")[:1]))
        .order_by("organisation__name", "-joined", "pk")
    )
    return dataset(
        MEMBERSHIP_COLUMNS,
        (
            [
                m.organisation.name,
                m.status,
                iso(m.joined),
                iso(m.left),
                "" if m.left else (m.representative or ""),
            ]
            for m in memberships.iterator(chunk_size=1000)
        ),
    )


def memberships_export(network: Network, user: Any, access: NetworkAccess) -> tablib.Dataset:
    """For facilitators, like the members page."""
    if not access.can_manage_members:
        raise PermissionDenied
    return membership_dataset(network)


register("memberships", label=_("Memberships"), app="networks", build=memberships_export)
