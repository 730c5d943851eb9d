"""Who may see and change partnerships, on top of ``netweave.core.access``.

The policy, decided for this app:
- reading: anyone with a role in the network (facilitator, steering committee member,
  focal point, observer) and staff read every partnership of the network, with its
  partners, contributions, plot and the health *aggregates*. Partnerships are not public,
  even in a public network: anonymous visitors and users without a role get a 404.
- managing (creating and editing partnerships, partners, health-check rounds, the
  arrangement types' texts): the network's facilitators.
- a focal point of a partner organisation records that organisation's placement and its
  contributions and expected gains (``NetworkAccess.can_edit_organisation``).
- answering a health check: the partner organisations' people, i.e. their focal points
  and the users linked to a person of a partner organisation (``services.respondents``).
- individual health-check answers: nobody, not facilitators, not staff. Aggregates per
  dimension only, and only for a round with at least ``MIN_ANSWERS`` answers.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from netweave.core.access import NetworkAccess, network_for, require


def can_read(access: NetworkAccess) -> bool:
    return access.authenticated and access.has_role


def can_manage(access: NetworkAccess) -> bool:
    return access.is_facilitator


def can_act_for(access: NetworkAccess, organisation_id: int) -> bool:
    """Whether the user speaks for this partner organisation (or facilitates)."""
    return access.can_edit_organisation(organisation_id)


def partnerships_for(request: Any, slug: str, *, manage: bool = False) -> tuple[Any, NetworkAccess]:
    """The network and access of a partnership page: 404 without a role, 403 to change."""
    network, access = network_for(request, slug)
    if not can_read(access):
        raise Http404
    if manage:
        require(can_manage(access))
    return network, access
