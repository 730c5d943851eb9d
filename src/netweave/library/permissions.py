"""Who may do what in the library, on top of ``netweave.core.access``.

The policy, decided for this app:
- reading follows the document's visibility (``search.visibility_filter``): public
  documents for whoever may read the network, network documents for anyone with a role in
  it, task-group documents for that task group's member and lead organisations' focal
  points, the steering committee and facilitators;
- facilitators add, edit, attach and delete any document of their network;
- a focal point adds documents written by their own organisation (the author organisation
  must be theirs) and edits, attaches and deletes those; a task-group document of theirs
  must be for a task group their organisation belongs to;
- the steering committee and observers read only.
"""

from __future__ import annotations

from typing import Any

from netweave.core.access import NetworkAccess


def can_add(access: NetworkAccess) -> bool:
    return access.is_facilitator or bool(access.focal_org_ids)


def can_edit(access: NetworkAccess, document: Any) -> bool:
    if document.network_id != access.network.pk:
        return False
    return access.is_facilitator or document.author_organisation_id in access.focal_org_ids


def can_author_for(access: NetworkAccess, organisation: Any) -> bool:
    """May the user file a document under ``organisation`` as its author?"""
    if access.is_facilitator:
        return True
    return organisation is not None and organisation.pk in access.focal_org_ids
