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
from django.db.models import Q
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
    "end_seat",
    "fulfil_deliverable",
    "meeting_quorum",
    "meetings_quorum",
    "raise_request",
    "replace_seat",
    "request_to_join",
    "set_member_people",
    "triage_request",
    "update_body",
    "update_task_group",
    "update_seat",
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
    """Form a task group; its lead must be a member organisation and joins it at once.

    The steering committee and facilitators form task groups.
    """
    _check(acting_user, network, permissions.can_triage)
    if status not in TaskGroupStatus.values:
        raise ValidationError({"status": _("Choose proposed, active or closed.")})
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
def update_task_group(
    group: TaskGroup,
    *,
    name: str,
    terms_of_reference: str = "",
    topics: Iterable[Any] = (),
    status: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    acting_user: Any = None,
) -> TaskGroup:
    """The lead, the steering committee or a facilitator changes a task group's name,
    terms, topics and dates.

    Only the steering committee and facilitators approve a proposed group (make it active)
    or send it back to proposed; a group is closed with ``close_task_group``.
    """
    network = group.network
    _check(
        acting_user,
        network,
        lambda a: permissions.can_run_group(a, group) or permissions.can_triage(a),
    )
    if group.status == TaskGroupStatus.CLOSED:
        raise ValidationError({"name": _("The task group is closed.")})
    status = status or group.status
    if status not in (TaskGroupStatus.PROPOSED, TaskGroupStatus.ACTIVE):
        raise ValidationError(
            {"status": _("Choose proposed or active; close the group from its page.")}
        )
    if status != group.status and acting_user is not None:
        if not permissions.can_triage(get_access(acting_user, network)):
            raise ValidationError(
                {"status": _("Only the steering committee or a facilitator approves a task group.")}
            )
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the task group a name.")})
    same = TaskGroup.objects.filter(network=network, name__iexact=name).exclude(pk=group.pk)
    if same.exists():
        raise ValidationError({"name": _("The network has a task group of that name.")})
    if start and end and end < start:
        raise ValidationError({"end": _("The end comes before the start.")})
    group.name, group.terms_of_reference, group.status = name, terms_of_reference, status
    group.start, group.end = start, end
    group.full_clean(exclude=["uid", "lead"], validate_unique=False, validate_constraints=False)
    group._history_user = acting_user
    group.save()
    group.topics.set(topics)
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
def set_member_people(
    member: TaskGroupMember, *, people: Iterable[Any], acting_user: Any = None
) -> TaskGroupMember:
    """Name the people an organisation sends to a task group (none: the whole organisation).

    The organisation decides whom it sends: its focal points name them, or a facilitator;
    each person must work for the organisation.
    """
    group = member.task_group
    _check(acting_user, group.network, lambda a: a.can_edit_organisation(member.organisation_id))
    if group.status == TaskGroupStatus.CLOSED:
        raise ValidationError({"people": _("The task group is closed.")})
    people = list(people)
    for person in people:
        if person.organisation_id != member.organisation_id:
            raise ValidationError(
                {
                    "people": _("%(person)s does not work for %(org)s.")
                    % {"person": person, "org": member.organisation}
                }
            )
    member.people.set(people)
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
    """Minimum seats by sector code; a minimum of 0 is no target and is dropped."""
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
        if int(minimum):
            cleaned[slug] = int(minimum)
    return cleaned


def _clean_body(
    network: Network,
    *,
    name: str,
    kind: str,
    quorum: Any,
    sector_mix: dict[str, Any] | None,
    body: Body | None = None,
) -> dict[str, Any]:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the body a name.")})
    if len(name) > Body._meta.get_field("name").max_length:
        raise ValidationError({"name": _("The name is too long (200 characters at most).")})
    same_name = Body.objects.filter(network=network, name__iexact=name)
    if body is not None:
        same_name = same_name.exclude(pk=body.pk)
    if same_name.exists():
        raise ValidationError({"name": _("The network has a body of that name.")})
    if kind not in BodyKind.values:
        raise ValidationError({"kind": _("Choose the kind of body.")})
    if isinstance(quorum, bool) or not isinstance(quorum, int) or not 1 <= quorum <= 1000:
        raise ValidationError(
            {"quorum": _("The quorum is a whole number of seats, from 1 to 1000.")}
        )
    return {
        "name": name,
        "kind": kind,
        "quorum": quorum,
        "sector_mix": _clean_sector_mix(sector_mix),
    }


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
    fields = _clean_body(network, name=name, kind=kind, quorum=quorum, sector_mix=sector_mix)
    body = Body(network=network, description=(description or "").strip(), **fields)
    body._history_user = acting_user
    body.save()
    return body


@transaction.atomic
def update_body(
    body: Body,
    *,
    name: str,
    kind: str,
    quorum: int,
    sector_mix: dict[str, Any] | None = None,
    description: str = "",
    acting_user: Any = None,
) -> Body:
    """Change a body's name, kind, rules (quorum and target sector mix) or description."""
    _check(acting_user, body.network, permissions.can_manage_bodies)
    fields = _clean_body(
        body.network, name=name, kind=kind, quorum=quorum, sector_mix=sector_mix, body=body
    )
    for key, value in fields.items():
        setattr(body, key, value)
    body.description = (description or "").strip()
    body._history_user = acting_user
    body.save()
    return body


def _overlapping(
    body: Body, start: dt.date | None, end: dt.date | None, exclude: Seat | None = None
) -> Any:
    """Seats of ``body`` whose term shares at least a day with ``start``–``end``.

    An open start or end reaches as far as it goes.
    """
    seats = body.seats.all()
    if end is not None:
        seats = seats.filter(Q(start__isnull=True) | Q(start__lte=end))
    if start is not None:
        seats = seats.filter(Q(end__isnull=True) | Q(end__gte=start))
    if exclude is not None:
        seats = seats.exclude(pk=exclude.pk)
    return seats


def _check_seat(
    body: Body,
    *,
    organisation: Any,
    person: Any,
    chair: bool,
    start: dt.date | None,
    end: dt.date | None,
    exclude: Seat | None = None,
) -> None:
    """The rules of a seat: its person works for its organisation, its term ends after it
    starts, its organisation holds no other seat and nobody else chairs during its term."""
    if person is not None and person.organisation_id != organisation.pk:
        raise ValidationError(
            {
                "person": _("%(person)s does not work for %(org)s.")
                % {"person": person, "org": organisation}
            }
        )
    if start and end and end < start:
        raise ValidationError({"end": _("The term ends before it starts.")})
    others = _overlapping(body, start, end, exclude)
    if others.filter(organisation=organisation).exists():
        raise ValidationError(
            {
                "organisation": _("%(org)s already holds a seat on this body for that term.")
                % {"org": organisation}
            }
        )
    if chair:
        chair_seat = others.filter(chair=True).select_related("organisation").first()
        if chair_seat is not None:
            raise ValidationError(
                {
                    "chair": _("%(org)s already chairs the body during that term.")
                    % {"org": chair_seat.organisation}
                }
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
    _check_seat(body, organisation=organisation, person=person, chair=chair, start=start, end=end)
    seat = Seat(
        body=body, organisation=organisation, person=person, chair=chair, start=start, end=end
    )
    seat._history_user = acting_user
    seat.save()
    return seat


@transaction.atomic
def update_seat(
    seat: Seat,
    *,
    person: Any = None,
    chair: bool = False,
    start: dt.date | None = None,
    end: dt.date | None = None,
    acting_user: Any = None,
) -> Seat:
    """Change who sits for the organisation, the chair or the term; the holder stays.

    Another organisation takes a seat with ``replace_seat``.
    """
    body = seat.body
    _check(acting_user, body.network, permissions.can_manage_bodies)
    _check_seat(
        body,
        organisation=seat.organisation,
        person=person,
        chair=chair,
        start=start,
        end=end,
        exclude=seat,
    )
    seat.person, seat.chair, seat.start, seat.end = person, chair, start, end
    seat._history_user = acting_user
    seat.save()
    return seat


@transaction.atomic
def end_seat(seat: Seat, *, on: dt.date | None = None, acting_user: Any = None) -> Seat:
    """End a seat's term on ``on`` (today by default); a term may end early, not again."""
    _check(acting_user, seat.body.network, permissions.can_manage_bodies)
    on = on or timezone.localdate()
    if seat.start and on < seat.start:
        raise ValidationError(
            {"end": _("The term cannot end before it starts (%(start)s).") % {"start": seat.start}}
        )
    if seat.end is not None and seat.end <= on:
        raise ValidationError({"end": _("The term already ends on %(end)s.") % {"end": seat.end}})
    seat.end = on
    seat._history_user = acting_user
    seat.save(update_fields=["end", "modified"])
    return seat


@transaction.atomic
def replace_seat(
    seat: Seat,
    *,
    organisation: Any,
    person: Any = None,
    on: dt.date | None = None,
    acting_user: Any = None,
) -> Seat:
    """Another member organisation takes the seat from ``on`` (today by default).

    The outgoing holder's term ends the day before; the new holder serves the rest of the
    term, as chair when the seat was the chair's. Returns the new seat.
    """
    body = seat.body
    _check(acting_user, body.network, permissions.can_manage_bodies)
    on = on or timezone.localdate()
    if organisation is not None and organisation.pk == seat.organisation_id:
        raise ValidationError(
            {"organisation": _("%(org)s already holds this seat.") % {"org": organisation}}
        )
    if seat.start and on <= seat.start:
        raise ValidationError(
            {
                "on": _("The new holder takes over after the term began (%(start)s).")
                % {"start": seat.start}
            }
        )
    if seat.end is not None and on > seat.end:
        raise ValidationError(
            {
                "on": _("The term ended on %(end)s: give the organisation a new seat instead.")
                % {"end": seat.end}
            }
        )
    _require_member(body.network, organisation, "organisation")
    _check_seat(
        body,
        organisation=organisation,
        person=person,
        chair=seat.chair,
        start=on,
        end=seat.end,
        exclude=seat,
    )
    new = Seat(
        body=body,
        organisation=organisation,
        person=person,
        chair=seat.chair,
        start=on,
        end=seat.end,
    )
    seat.end = on - dt.timedelta(days=1)
    seat._history_user = acting_user
    seat.save(update_fields=["end", "modified"])
    new._history_user = acting_user
    new.save()
    return new


@dataclass
class SectorBalance:
    slug: str
    name: str
    target: int
    seats: int

    @property
    def met(self) -> bool:
        return self.seats >= self.target


def _sector_rows(targets: dict[str, Any], held: Counter, names: dict[str, str]) -> list:
    return [
        SectorBalance(slug=slug, name=names.get(slug, slug), target=int(n), seats=held[slug])
        for slug, n in sorted(targets.items())
    ]


def _sector_names(body: Body) -> dict[str, str]:
    return dict(Sector.objects.filter(slug__in=body.sector_mix or {}).values_list("slug", "name"))


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
    rows = _sector_rows(body.sector_mix or {}, held, _sector_names(body))
    return BodyBalance(on=on, seats=seats, quorum=body.quorum, sectors=rows)


@dataclass
class SeatPresence:
    seat: Seat
    present: bool


@dataclass
class Quorum:
    """One meeting of a body: the seats held that day, which were present, and the rules.

    A seat is present when someone attended for the organisation holding it.
    """

    meeting: Any
    present: int
    quorum: int
    seats: list[SeatPresence] = field(default_factory=list)
    sectors: list[SectorBalance] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return self.present >= self.quorum

    @property
    def balanced(self) -> bool:
        """The seats present match the body's target mix of sectors."""
        return all(row.met for row in self.sectors)

    @property
    def held(self) -> bool:
        """The meeting has begun, so its attendance tells."""
        return self.meeting.start <= timezone.now()

    @property
    def seat_count(self) -> int:
        return len(self.seats)


def meetings_quorum(body: Body, meetings: Iterable[Any]) -> list[Quorum]:
    """For each meeting: the seats held that day, which had someone attend, and whether the
    quorum and the target sector mix are met by those present.

    Three queries whatever the number of meetings and seats: the body's seats (with
    organisation, sector and person), the attendance of their organisations, the names
    of the target sectors.
    """
    from netweave.meetings.models import Attendance

    meetings = list(meetings)
    seats = list(
        body.seats.select_related("organisation__sector", "person").order_by(
            "-chair", "organisation__name", "start", "id"
        )
    )
    present: dict[int, set[int]] = defaultdict(set)
    rows = Attendance.objects.filter(
        meeting__in=[meeting.pk for meeting in meetings],
        organisation_id__in={seat.organisation_id for seat in seats},
    ).values_list("meeting_id", "organisation_id")
    for meeting_id, org_id in rows:
        present[meeting_id].add(org_id)
    targets = body.sector_mix or {}
    names = _sector_names(body) if targets else {}
    result = []
    for meeting in meetings:
        day = timezone.localtime(meeting.start).date()
        held_that_day = [
            SeatPresence(seat=seat, present=seat.organisation_id in present[meeting.pk])
            for seat in seats
            if (seat.start is None or seat.start <= day) and (seat.end is None or seat.end >= day)
        ]
        sectors_present = Counter(
            row.seat.organisation.sector.slug for row in held_that_day if row.present
        )
        result.append(
            Quorum(
                meeting=meeting,
                present=sum(1 for row in held_that_day if row.present),
                quorum=body.quorum,
                seats=held_that_day,
                sectors=_sector_rows(targets, sectors_present, names),
            )
        )
    return result


def meeting_quorum(body: Body, meeting: Any) -> Quorum:
    """Whether the seats whose organisations attended ``meeting`` reach the body's quorum
    and its target mix of sectors."""
    return meetings_quorum(body, [meeting])[0]
