"""Who may do what in governance, on top of ``netweave.core.access``.

The policy, decided for this app:
- task groups and bodies are read by whoever may read the network (``network_for``);
- member requests are read by the steering committee and facilitators (the whole queue)
  and by the focal points of the organisation that raised them; nobody else sees them;
- a focal point raises requests for their own organisation; facilitators for any member;
- the steering committee and facilitators triage requests;
- a task group's lead (its focal points) and facilitators run it: deliverables, documents,
  accepting members, closing; a focal point asks to join for their own organisation;
- facilitators manage bodies and seats.
"""

from __future__ import annotations

from typing import Any

from netweave.core.access import NetworkAccess


def can_triage(access: NetworkAccess) -> bool:
    return access.is_facilitator or access.is_steering


def can_raise(access: NetworkAccess) -> bool:
    return access.is_facilitator or bool(access.focal_org_ids)


def can_see_request(access: NetworkAccess, request: Any) -> bool:
    return can_triage(access) or request.organisation_id in access.focal_org_ids


def visible_requests(network: Any, access: NetworkAccess) -> Any:
    """The network's member requests ``access`` may read: all of them for the steering
    committee and facilitators, their own organisations' for focal points, none otherwise."""
    from netweave.governance.models import MemberRequest

    queryset = MemberRequest.objects.filter(network=network)
    if can_triage(access):
        return queryset
    return queryset.filter(organisation_id__in=access.focal_org_ids)


def listed_people(access: NetworkAccess) -> Any:
    """People whose names ``access`` may read on governance pages: those who agreed to be
    listed, and all people of the organisations the user edits (facilitators: everyone)."""
    from django.db.models import Q

    from netweave.directory.models import Person

    if access.is_facilitator:
        return Person.objects.all()
    return Person.objects.filter(
        Q(consent_listed=True) | Q(organisation_id__in=access.focal_org_ids)
    )


def person_listed(access: NetworkAccess, person: Any) -> bool:
    """Whether ``person``'s name may be shown to ``access`` (see ``listed_people``)."""
    return person is not None and (person.consent_listed or access.can_edit_person(person))


def can_run_group(access: NetworkAccess, group: Any) -> bool:
    return access.is_facilitator or group.lead_id in access.focal_org_ids


def can_manage_bodies(access: NetworkAccess) -> bool:
    return access.is_facilitator
