"""Who may see and do what in the network survey, on top of ``netweave.core.access``.

The policy, decided for this app:
- the survey is for people with a role in the network; anonymous visitors and users
  without a role get a 404, even in a public network;
- facilitators create, open and close rounds, and may enter an organisation's answers on
  its behalf (from a paper questionnaire);
- a focal point rates the ties of their own organisation(s), and only theirs;
- facilitators and the steering committee read every result, per organisation too;
- focal points and observers read the network-level figures; a focal point also reads the
  averages their own organisation received, when at least ``MIN_RATERS`` organisations
  rated it. Nobody but facilitators and the steering committee reads who rated whom how.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from netweave.core.access import NetworkAccess, network_for, require


def can_read(access: NetworkAccess) -> bool:
    return access.authenticated and access.has_role


def can_manage(access: NetworkAccess) -> bool:
    return access.is_facilitator


def can_rate_for(access: NetworkAccess, organisation_id: int | None) -> bool:
    return organisation_id is not None and access.can_edit_organisation(organisation_id)


def can_see_all_results(access: NetworkAccess) -> bool:
    return access.is_facilitator or access.is_steering


def surveys_for(request: Any, slug: str, *, manage: bool = False) -> tuple[Any, NetworkAccess]:
    """The network and access of a survey page: 404 without a role, 403 to manage."""
    network, access = network_for(request, slug)
    if not can_read(access):
        raise Http404
    if manage:
        require(can_manage(access))
    return network, access
