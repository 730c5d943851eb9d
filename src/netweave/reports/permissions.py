"""Who may read and shape reports, on top of ``netweave.core.access``.

- A network's report (page, downloads, API) is for its facilitators and steering committee.
- The template (wording, sections) is changed by the network's facilitators.
- Learning notes are written by the network's facilitators and read by its facilitators,
  its steering committee and the programme learning team.
- The cross-network comparison and the search of learning notes are for the programme
  learning team: staff, or users with the ``reports.compare_networks`` permission (given
  through a group such as "Programme learning team").
"""

from __future__ import annotations

from typing import Any

from netweave.core.access import NetworkAccess

COMPARE_PERMISSION = "reports.compare_networks"


def is_programme_staff(user: Any) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_staff or user.has_perm(COMPARE_PERMISSION))


def can_read_report(access: NetworkAccess) -> bool:
    return access.is_facilitator or access.is_steering


def can_edit_template(access: NetworkAccess) -> bool:
    return access.is_facilitator


def can_read_notes(access: NetworkAccess, user: Any) -> bool:
    return access.is_facilitator or access.is_steering or is_programme_staff(user)


def can_write_notes(access: NetworkAccess) -> bool:
    return access.is_facilitator
