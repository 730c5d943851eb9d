"""Consultations' exportable list: every comment, attributed to its organisation."""

from __future__ import annotations

from typing import Any

import tablib
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netweave.consultations.models import Comment, Status
from netweave.core.access import NetworkAccess
from netweave.core.exports import dataset, iso, register
from netweave.networks.models import Network

COMMENT_COLUMNS = (
    "consultation",
    "consultation_uid",
    "section",
    "organisation",
    "sector",
    "kind",
    "text",
    "endorsements",
    "created",
    "modified",
)


def comment_scope(access: NetworkAccess) -> Q:
    """The comments ``access`` may read in its network, as the pages show them."""
    if access.is_facilitator or access.is_steering:
        return Q()
    published = Q(section__consultation__status=Status.PUBLISHED)
    if not access.is_focal_point:
        return published if (access.authenticated and access.has_role) else Q(pk__in=[])
    put_to_members = ~Q(section__consultation__status=Status.DRAFT)
    return published | (
        put_to_members
        & (
            Q(section__consultation__open_discussion=True)
            | Q(section__consultation__status=Status.CLOSED)
            | Q(section__consultation__closes__lte=timezone.now())
            | Q(organisation_id__in=access.focal_org_ids)
        )
    )


def comments_export(network: Network, user: Any, access: NetworkAccess) -> tablib.Dataset:
    """Comments of the network's consultations that the user may read."""
    comments = (
        Comment.objects.filter(section__consultation__network=network)
        .filter(comment_scope(access))
        .select_related("section__consultation", "organisation__sector")
        .annotate(endorsement_count=Count("endorsements"))
        .order_by("section__consultation__opens", "section__position", "created", "id")
    )
    rows = (
        (
            comment.section.consultation.title,
            str(comment.section.consultation.uid),
            comment.section.heading,
            comment.organisation.name,
            comment.organisation.sector.slug,
            comment.kind,
            comment.text,
            comment.endorsement_count,
            iso(comment.created),
            iso(comment.modified),
        )
        for comment in comments
    )
    return dataset(COMMENT_COLUMNS, rows)


register(
    "consultation_comments",
    label=_("Consultation comments"),
    app="consultations",
    build=comments_export,
)
