"""Who may do what in consultations, on top of ``netweave.core.access``.

The policy, decided for this app:
- consultations are for people with a role in the network; nobody else finds them (404);
- facilitators run consultations: create, edit, open, close, synthesise, publish; they may
  also comment on behalf of an invited organisation (a comment sent by e-mail);
- steering committee members read everything, drafts and comments included, and change
  nothing;
- focal points read every consultation put to members (not drafts); the focal points of
  invited organisations comment on their behalf, edit their own organisation's comments
  until the close, and endorse other organisations' comments while it is open when the
  consultation allows it. Whether they read the others' comments while it is open is the
  consultation's ``open_discussion`` setting; after the close every comment is readable;
- the owner organisation's focal point (when the owner has one in the network) reads the
  published synthesis and records the owner's response to each recommendation;
  facilitators may record the responses too, when the owner answers by letter;
- observers read published syntheses only (the recommendations and the annex of comments,
  which are attributable to organisations and carry no personal contact details).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from netweave.consultations.models import Phase, Status
from netweave.core.access import NetworkAccess


def can_read(access: NetworkAccess) -> bool:
    return access.authenticated and access.has_role


def can_run(access: NetworkAccess) -> bool:
    return access.is_facilitator


def can_see(access: NetworkAccess, consultation: Any) -> bool:
    if access.is_facilitator or access.is_steering:
        return True
    if consultation.status == Status.DRAFT:
        return False
    if access.is_focal_point:
        return True
    return can_read(access) and consultation.status == Status.PUBLISHED


def can_see_all_comments(access: NetworkAccess, consultation: Any) -> bool:
    """Every organisation's comments; without this, a focal point sees their own only."""
    if access.is_facilitator or access.is_steering:
        return True
    phase = consultation.phase()
    if phase == Phase.PUBLISHED:
        return can_read(access)
    if not access.is_focal_point:
        return False
    return consultation.open_discussion or phase == Phase.CLOSED


def commenting_organisations(access: NetworkAccess, invited_ids: Iterable[int]) -> set[int]:
    """Invited organisations the user may comment for."""
    invited = set(invited_ids)
    if access.is_facilitator:
        return invited
    return invited & set(access.focal_org_ids)


def can_edit_comment(access: NetworkAccess, comment: Any) -> bool:
    return access.is_facilitator or comment.organisation_id in access.focal_org_ids


def endorsing_organisations(
    access: NetworkAccess, consultation: Any, invited_ids: Iterable[int]
) -> set[int]:
    """Invited organisations the user may endorse others' comments for (focal points only)."""
    if not consultation.open_discussion:
        return set()
    return set(invited_ids) & set(access.focal_org_ids)


def can_see_synthesis(access: NetworkAccess, consultation: Any) -> bool:
    if access.is_facilitator or access.is_steering:
        return True
    return can_read(access) and consultation.status == Status.PUBLISHED


def can_respond(access: NetworkAccess, consultation: Any) -> bool:
    """The owner's answers: its focal point, or a facilitator, once the synthesis is out."""
    if consultation.status != Status.PUBLISHED:
        return False
    return access.is_facilitator or consultation.owner_id in access.focal_org_ids
