"""Influence mapping's exportable list: every assessment of every goal of the network.

Political data: facilitators and the steering committee only, like the pages.
"""

from __future__ import annotations

from typing import Any

import tablib
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from netweave.core.access import NetworkAccess
from netweave.core.exports import dataset, iso, register
from netweave.influence.mapping import can_read
from netweave.influence.models import InfluenceAssessment
from netweave.networks.models import Network

ASSESSMENT_COLUMNS = (
    "goal",
    "organisation",
    "organisation_name",
    "sector",
    "assessed_on",
    "influence",
    "position",
    "note",
)


def assessments_export(network: Network, user: Any, access: NetworkAccess) -> tablib.Dataset:
    if not can_read(access):
        raise PermissionDenied
    assessments = (
        InfluenceAssessment.objects.filter(goal__network=network)
        .select_related("goal", "organisation__sector")
        .order_by("goal__title", "organisation__name", "assessed_on")
    )
    rows = (
        (
            a.goal.title,
            a.organisation.slug,
            a.organisation.name,
            a.organisation.sector.slug,
            iso(a.assessed_on),
            a.influence,
            a.position,
            a.note,
        )
        for a in assessments
    )
    return dataset(ASSESSMENT_COLUMNS, rows)


register(
    "influence_assessments",
    label=_("Influence assessments"),
    app="influence",
    build=assessments_export,
)
