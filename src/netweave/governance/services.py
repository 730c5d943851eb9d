"""Writes of governance: task groups, member requests and their triage, deliverables, bodies.

Every write is atomic and refuses bad input with ``ValidationError({field: message})``.
When ``acting_user`` is given, the service also checks the policy of ``permissions.py``
(``PermissionDenied``); ``acting_user=None`` is the system itself (the demo, migrations).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netweave.core.access import get_access
from netweave.directory.models import Sector
from netweave.governance import permissions
from netweave.governance.models import (
    Body,
    BodyKind,
    Deliverable,
    DeliverableDocument,
    DeliverableStatus,
    JoinStatus,
    MemberRequest,
    RequestStatus,
    Seat,
    TaskGroup,
    TaskGroupJoinRequest,
    TaskGroupMember,
    TaskGroupStatus,
    Urgency,
)
from netweave.governance.validators import validate_deliverable_file
from netweave.networks.models import Membership, Network

__all__ = [
    "add_deliverable",
    "add_seat",
    "add_task_group_member",
    "body_balance",
    "close_task_group",
    "create_body",
    "create_task_group",
    "decide_join_request",
    "fulfil_deliverable",
    "meeting_quorum",
    "meetings_quorum",
    "raise_request",
    "request_to_join",
    "triage_request",
]


def _require_member(network: Network, organisation: Any, field: str) -> None:
    if organisation is None or not (
        Membership.objects.current().filter(network=network, organisation=organisation).exists()
    ):
        raise ValidationError(
            {field: _("%(org)s is not a member of this network.") % {"org": organisation}}
        )


def _check(acting_user: Any, network: Network, allowed: Any) -> None:
    """Refuse when a user acts without the right (``allowed(access)`` is false)."""
    if acting_user is not None and not allowed(get_access(acting_user, network)):
        raise PermissionDenied


# Task groups -----------------------------------------------------------------------------
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
    if not (name or "").strip():
        raise ValidationError({"name": _("Give the task group a name.")})
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


@transaction.atomic
def request_to_join(
    group: TaskGroup, *, organisation: Any, acting_user: Any = None
) -> TaskGroupJoinRequest:
    """A member organisation asks to join a task group; its lead decides."""
    _check(acting_user, group.network, lambda a: a.can_edit_organisation(organisation))
    _require_member(group.network, organisation, "organisation")
    if group.status == TaskGroupStatus.CLOSED:
        raise ValidationError({"organisation": _("The task group is closed.")})
    if group.members.filter(organisation=organisation).exists():
        raise ValidationError(
            {"organisation": _("%(org)s is already in the task group.") % {"org": organisation}}
        )
    if group.join_requests.filter(organisation=organisation, status=JoinStatus.PENDING).exists():
        raise ValidationError(
            {"organisation": _("%(org)s has already asked to join.") % {"org": organisation}}
        )
    return TaskGroupJoinRequest.objects.create(
        task_group=group, organisation=organisation, requested_by=acting_user
    )


@transaction.atomic
def decide_join_request(
    join: TaskGroupJoinRequest, *, accept: bool, acting_user: Any = None
) -> TaskGroupJoinRequest:
    """The lead's focal point (or a facilitator) accepts or declines a request to join."""
    group = join.task_group
    _check(acting_user, group.network, lambda a: permissions.can_run_group(a, group))
    if join.status != JoinStatus.PENDING:
        raise ValidationError({"status": _("This request to join was already decided.")})
    if accept:
        add_task_group_member(
            group, join.organisation, joined=timezone.localdate(), acting_user=acting_user
        )
    join.status = JoinStatus.ACCEPTED if accept else JoinStatus.DECLINED
    join.decided_by = acting_user
    join.save(update_fields=["status", "decided_by", "modified"])
    return join


@transaction.atomic
def close_task_group(
    group: TaskGroup, *, confirm: bool = False, acting_user: Any = None
) -> list[Deliverable]:
    """Close a task group. With open deliverables, nothing changes unless ``confirm``.

    Returns the open deliverables: when not empty and not confirmed, the group is still open
    and the caller shows them as a warning.
    """
    _check(acting_user, group.network, lambda a: permissions.can_run_group(a, group))
    if group.status == TaskGroupStatus.CLOSED:
        raise ValidationError({"status": _("The task group is already closed.")})
    still_open = list(group.deliverables.filter(status=DeliverableStatus.OPEN))
    if still_open and not confirm:
        return still_open
    group.status = TaskGroupStatus.CLOSED
    if group.end is None:
        group.end = max(timezone.localdate(), group.start or dt.date.min)
    group.save(update_fields=["status", "end", "modified"])
    return still_open


# Member requests -------------------------------------------------------------------------
@transaction.atomic
def raise_request(
    network: Network,
    *,
    organisation: Any,
    title: str,
    description: str = "",
    topic: Any = None,
    urgency: str = Urgency.NORMAL,
    acting_user: Any = None,
) -> MemberRequest:
    """A member organisation raises a need; its focal points raise for it, facilitators for any."""
    if acting_user is not None:
        access = get_access(acting_user, network)
        if not permissions.can_raise(access):
            raise PermissionDenied
        if organisation is not None and not access.can_edit_organisation(organisation):
            raise ValidationError(
                {"organisation": _("You may raise requests only for your own organisation.")}
            )
    _require_member(network, organisation, "organisation")
    if not (title or "").strip():
        raise ValidationError({"title": _("Say in a few words what the request is about.")})
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Choose low, normal or high urgency.")})
    request = MemberRequest(
        network=network,
        organisation=organisation,
        raised_by=acting_user,
        title=title.strip(),
        description=description,
        topic=topic,
        urgency=urgency,
    )
    request._history_user = acting_user
    request.save()
    return request


TRIAGE_DECISIONS = ("accept", "form_new", "answer", "decline")


@transaction.atomic
def triage_request(
    request: MemberRequest,
    *,
    decision: str,
    task_group: TaskGroup | None = None,
    name: str = "",
    lead: Any = None,
    terms_of_reference: str = "",
    answer: str = "",
    reason: str = "",
    acting_user: Any = None,
) -> MemberRequest:
    """Decide an open request: into an existing task group, a new one, answered or declined.

    ``form_new`` creates a task group (lead: ``lead`` or the raising organisation) with the
    raising organisation as a member.
    """
    network = request.network
    _check(acting_user, network, permissions.can_triage)
    if request.status != RequestStatus.OPEN:
        raise ValidationError({"decision": _("This request has already been decided.")})
    if decision not in TRIAGE_DECISIONS:
        raise ValidationError({"decision": _("Choose what to do with the request.")})
    if decision == "accept":
        if task_group is None or task_group.network_id != network.pk:
            raise ValidationError({"task_group": _("Choose a task group of this network.")})
        if task_group.status == TaskGroupStatus.CLOSED:
            raise ValidationError({"task_group": _("That task group is closed.")})
        add_task_group_member(task_group, request.organisation, acting_user=acting_user)
        request.task_group = task_group
        request.status = RequestStatus.ACCEPTED
    elif decision == "form_new":
        group = create_task_group(
            network,
            name=name or request.title,
            lead=lead or request.organisation,
            terms_of_reference=terms_of_reference or request.description,
            topics=[request.topic] if request.topic else [],
            start=timezone.localdate(),
            acting_user=acting_user,
        )
        add_task_group_member(group, request.organisation, acting_user=acting_user)
        request.task_group = group
        request.status = RequestStatus.ACCEPTED
    elif decision == "answer":
        if not answer.strip():
            raise ValidationError({"answer": _("Write the answer to the request.")})
        request.answer = answer.strip()
        request.status = RequestStatus.ANSWERED
    else:
        if not reason.strip():
            raise ValidationError({"reason": _("Give the reason for declining the request.")})
        request.decline_reason = reason.strip()
        request.status = RequestStatus.DECLINED
    request.decided_by = acting_user
    request.decided_at = timezone.now()
    request._history_user = acting_user
    request.save()
    return request


# Deliverables ----------------------------------------------------------------------------
@transaction.atomic
def add_deliverable(
    group: TaskGroup, *, title: str, due: dt.date | None = None, acting_user: Any = None
) -> Deliverable:
    """The lead (or a facilitator) adds a deliverable to a task group that is not closed."""
    _check(acting_user, group.network, lambda a: permissions.can_run_group(a, group))
    if group.status == TaskGroupStatus.CLOSED:
        raise ValidationError({"title": _("The task group is closed.")})
    if not (title or "").strip():
        raise ValidationError({"title": _("Name the deliverable.")})
    if due and group.start and due < group.start:
        raise ValidationError({"due": _("The due date comes before the task group starts.")})
    return Deliverable.objects.create(task_group=group, title=title.strip(), due=due)


@transaction.atomic
def fulfil_deliverable(
    deliverable: Deliverable,
    *,
    title: str,
    file: Any = None,
    url: str = "",
    acting_user: Any = None,
) -> DeliverableDocument:
    """Attach a document (an uploaded file or a link) and mark the deliverable done."""
    group = deliverable.task_group
    _check(acting_user, group.network, lambda a: permissions.can_run_group(a, group))
    if bool(file) == bool(url):
        raise ValidationError({"file": _("Upload a file or give a link, one of the two.")})
    if file:
        try:
            validate_deliverable_file(file)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from None
    document = DeliverableDocument(
        deliverable=deliverable,
        title=(title or "").strip() or deliverable.title,
        url=url,
        added_by=acting_user,
    )
    if file:
        document.file.save(file.name.rsplit("/", 1)[-1], file, save=False)
    document.save()
    deliverable.status = DeliverableStatus.DONE
    deliverable.save(update_fields=["status", "modified"])
    return document


# Bodies ----------------------------------------------------------------------------------
def _clean_sector_mix(sector_mix: dict[str, Any] | None) -> dict[str, int]:
    mix = dict(sector_mix or {})
    known = set(Sector.objects.filter(slug__in=mix).values_list("slug", flat=True))
    cleaned: dict[str, int] = {}
    for slug, minimum in mix.items():
        if slug not in known:
            raise ValidationError(
                {"sector_mix": _("%(slug)s is not a known sector.") % {"slug": slug}}
            )
        if isinstance(minimum, bool) or not str(minimum).isdigit():
            raise ValidationError(
                {"sector_mix": _("The minimum seats for each sector is a whole number, 0 or more.")}
            )
        cleaned[slug] = int(minimum)
    return cleaned


@transaction.atomic
def create_body(
    network: Network,
    *,
    name: str,
    kind: str = BodyKind.OTHER,
    quorum: int = 1,
    sector_mix: dict[str, Any] | None = None,
    description: str = "",
    acting_user: Any = None,
) -> Body:
    """A standing body of the network with its quorum and target sector mix."""
    _check(acting_user, network, permissions.can_manage_bodies)
    if not (name or "").strip():
        raise ValidationError({"name": _("Give the body a name.")})
    if Body.objects.filter(network=network, name__iexact=name.strip()).exists():
        raise ValidationError({"name": _("The network has a body of that name.")})
    if kind not in BodyKind.values:
        raise ValidationError({"kind": _("Choose the kind of body.")})
    if isinstance(quorum, bool) or not isinstance(quorum, int) or quorum < 1:
        raise ValidationError({"quorum": _("The quorum is a whole number of seats, 1 or more.")})
    return Body.objects.create(
        network=network,
        name=name.strip(),
        kind=kind,
        quorum=quorum,
        sector_mix=_clean_sector_mix(sector_mix),
        description=description,
    )


@transaction.atomic
def add_seat(
    body: Body,
    *,
    organisation: Any,
    person: Any = None,
    chair: bool = False,
    start: dt.date | None = None,
    end: dt.date | None = None,
    acting_user: Any = None,
) -> Seat:
    """Give a member organisation a seat on a body for a term; one chair at a time."""
    _check(acting_user, body.network, permissions.can_manage_bodies)
    _require_member(body.network, organisation, "organisation")
    if person is not None and person.organisation_id != organisation.pk:
        raise ValidationError(
            {
                "person": _("%(person)s does not work for %(org)s.")
                % {"person": person, "org": organisation}
            }
        )
    if start and end and end < start:
        raise ValidationError({"end": _("The term ends before it starts.")})
    if chair:
        day = start or timezone.localdate()
        if body.seats.on(day).filter(chair=True).exists():
            raise ValidationError({"chair": _("The body already has a chair for that term.")})
    return Seat.objects.create(
        body=body, organisation=organisation, person=person, chair=chair, start=start, end=end
    )


@dataclass
class SectorBalance:
    slug: str
    name: str
    target: int
    seats: int

    @property
    def met(self) -> bool:
        return self.seats >= self.target


@dataclass
class BodyBalance:
    """The seats held on one day against the body's quorum and target sector mix."""

    on: dt.date
    seats: list[Seat]
    quorum: int
    sectors: list[SectorBalance] = field(default_factory=list)

    @property
    def seat_count(self) -> int:
        return len(self.seats)

    @property
    def chair(self) -> Seat | None:
        return next((seat for seat in self.seats if seat.chair), None)

    @property
    def quorum_possible(self) -> bool:
        """Enough seats are filled for the body to reach its quorum at all."""
        return self.seat_count >= self.quorum

    @property
    def balanced(self) -> bool:
        return all(row.met for row in self.sectors)


def body_balance(body: Body, on: dt.date | None = None) -> BodyBalance:
    """Seats held on ``on`` (default today) and the sector mix against its targets.

    Two queries: the seats with organisation, sector and person; the sectors' names.
    """
    on = on or timezone.localdate()
    seats = list(
        body.seats.on(on)
        .select_related("organisation__sector", "person")
        .order_by("-chair", "organisation__name")
    )
    held = Counter(seat.organisation.sector.slug for seat in seats)
    targets = body.sector_mix or {}
    names = dict(Sector.objects.filter(slug__in=targets).values_list("slug", "name"))
    rows = [
        SectorBalance(slug=slug, name=names.get(slug, slug), target=int(n), seats=held[slug])
        for slug, n in sorted(targets.items())
    ]
    return BodyBalance(on=on, seats=seats, quorum=body.quorum, sectors=rows)


@dataclass
class Quorum:
    meeting: Any
    present: int
    quorum: int

    @property
    def met(self) -> bool:
        return self.present >= self.quorum


def meetings_quorum(body: Body, meetings: Iterable[Any]) -> list[Quorum]:
    """For each meeting: how many of the body's seats (held that day) had someone attend.

    Two queries whatever the number of meetings: the body's seats, the attendance.
    """
    from netweave.meetings.models import Attendance

    meetings = list(meetings)
    seats = list(body.seats.values_list("organisation_id", "start", "end"))
    present: dict[int, set[int]] = defaultdict(set)
    rows = Attendance.objects.filter(
        meeting__in=meetings, organisation_id__in={org for org, _s, _e in seats}
    ).values_list("meeting_id", "organisation_id")
    for meeting_id, org_id in rows:
        present[meeting_id].add(org_id)
    result = []
    for meeting in meetings:
        day = timezone.localtime(meeting.start).date()
        count = sum(
            1
            for org, start, end in seats
            if (start is None or start <= day)
            and (end is None or end >= day)
            and org in present[meeting.pk]
        )
        result.append(Quorum(meeting=meeting, present=count, quorum=body.quorum))
    return result


def meeting_quorum(body: Body, meeting: Any) -> Quorum:
    """Whether the seats whose organisations attended ``meeting`` reach the body's quorum."""
    return meetings_quorum(body, [meeting])[0]
