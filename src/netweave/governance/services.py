"""Writes that form task groups and change who is in them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from netweave.governance.models import TaskGroup, TaskGroupMember
from netweave.networks.models import Membership, Network

__all__ = ["add_task_group_member", "create_task_group"]


def _require_member(network: Network, organisation: Any, field: str) -> None:
    if not Membership.objects.current().filter(network=network, organisation=organisation).exists():
        raise ValidationError(
            {field: _("%(org)s is not a member of this network.") % {"org": organisation}}
        )


@transaction.atomic
def create_task_group(
    network: Network,
    *,
    name: str,
    lead: Any,
    terms_of_reference: str = "",
    topics: Iterable[Any] = (),
    status: str = "active",
    start: dt.date | None = None,
    end: dt.date | None = None,
    acting_user: Any = None,
) -> TaskGroup:
    """Form a task group; its lead must be a member organisation and joins it at once."""
    _require_member(network, lead, "lead")
    if TaskGroup.objects.filter(network=network, name__iexact=name.strip()).exists():
        raise ValidationError({"name": _("The network has a task group of that name.")})
    group = TaskGroup(
        network=network,
        name=name.strip(),
        lead=lead,
        terms_of_reference=terms_of_reference,
        status=status,
        start=start,
        end=end,
    )
    group.full_clean(exclude=["uid"], validate_unique=False, validate_constraints=False)
    if start and end and end < start:
        raise ValidationError({"end": _("The end comes before the start.")})
    group.save()
    group.topics.set(topics)
    TaskGroupMember.objects.create(task_group=group, organisation=lead, joined=start)
    return group


@transaction.atomic
def add_task_group_member(
    group: TaskGroup,
    organisation: Any,
    *,
    people: Iterable[Any] = (),
    joined: dt.date | None = None,
    acting_user: Any = None,
) -> TaskGroupMember:
    """Add an organisation (and the people it sends) to a task group; adding again adds people."""
    _require_member(group.network, organisation, "organisation")
    people = list(people)
    for person in people:
        if person.organisation_id != organisation.pk:
            raise ValidationError(
                {
                    "people": _("%(person)s does not work for %(org)s.")
                    % {"person": person, "org": organisation}
                }
            )
    member, _created = TaskGroupMember.objects.get_or_create(
        task_group=group, organisation=organisation, defaults={"joined": joined}
    )
    if people:
        member.people.add(*people)
    return member
