"""Agenda items, members' offers and votes, and the agenda builder.

The builder gathers candidates from a list of small *candidate sources* (accepted and
proposed offers, open action items of earlier meetings; task-group updates, member
requests and consultations plug in later by adding a function to ``CANDIDATE_SOURCES``),
reads the member organisations' interests and asks the pure optimiser
(:func:`netweave.meetings.agenda.build_agenda`) for the plan.

Ids the optimiser sees, and that ``AgendaPlan.as_dict()`` therefore prints: organisations
by slug; candidates by the uid of their record (an offer's or an action item's uid), with
``source`` saying which (``offer`` or ``follow_up``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from netweave.directory.models import Organisation, OrganisationInterest, Person, Topic
from netweave.meetings.agenda import AgendaPlan, CandidateItem, MemberOrganisation, build_agenda
from netweave.meetings.models import (
    ActionItem,
    AgendaItem,
    AgendaItemKind,
    AgendaOffer,
    AgendaVote,
    Meeting,
    OfferStatus,
)
from netweave.networks.models import Membership, Network
from netweave.networks.stats import data_changed

__all__ = [
    "AGENDA_ITEM_FIELDS",
    "CANDIDATE_SOURCES",
    "FOLLOW_UP_MINUTES",
    "OFFER_FIELDS",
    "AgendaSuggestion",
    "Candidate",
    "ScheduledItem",
    "accept_offer",
    "add_agenda_item",
    "add_suggested_items",
    "agenda_candidates",
    "agenda_organisations",
    "decline_offer",
    "delete_agenda_item",
    "follow_up_candidates",
    "meeting_minutes",
    "move_agenda_item",
    "offer_candidates",
    "offer_item",
    "offers_for",
    "schedule",
    "suggest_agenda",
    "toggle_vote",
    "update_agenda_item",
]

AGENDA_ITEM_FIELDS = (
    "title",
    "description",
    "kind",
    "duration_minutes",
    "presenter_organisation",
    "presenter_person",
)
OFFER_FIELDS = ("kind", "title", "description", "duration_minutes", "urgency", "person")
# A follow-up on an open action item: its owner reports in a few minutes.
FOLLOW_UP_MINUTES = 5
MAX_URGENCY = 3


# Reading -------------------------------------------------------------------------------------
def meeting_minutes(meeting: Meeting) -> int:
    """The meeting's length in whole minutes."""
    return max(0, int((meeting.end - meeting.start).total_seconds() // 60))


def _zone(meeting: Meeting) -> dt.tzinfo:
    try:
        return ZoneInfo(meeting.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


@dataclass(frozen=True)
class ScheduledItem:
    """An agenda item with its start and end on the meeting's own clock."""

    item: AgendaItem
    start: dt.datetime
    end: dt.datetime
    overruns: bool  # ends after the meeting does


def schedule(meeting: Meeting, items: Iterable[AgendaItem]) -> list[ScheduledItem]:
    """The items in running order with their start times in the meeting's time zone."""
    zone = _zone(meeting)
    at = meeting.start.astimezone(zone)
    end = meeting.end.astimezone(zone)
    rows = []
    for item in items:
        finish = at + dt.timedelta(minutes=item.duration_minutes)
        rows.append(ScheduledItem(item=item, start=at, end=finish, overruns=finish > end))
        at = finish
    return rows


def offers_for(network: Network, user: Any) -> QuerySet:
    """The network's offers with their vote count (``vote_count``) and whether ``user``
    voted (``voted``); organisation, person and meeting preloaded, topics prefetched."""
    votes = AgendaVote.objects.filter(offer=OuterRef("pk"))
    voted = (
        Exists(votes.filter(voter=user))
        if user is not None and user.is_authenticated
        else Q(pk__in=[])
    )
    return (
        AgendaOffer.objects.filter(network=network)
        .select_related("organisation", "person", "meeting")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
        .annotate(vote_count=Count("votes", distinct=True), voted=voted)
        .order_by("-vote_count", "-urgency", "created", "pk")
    )


# Validation ----------------------------------------------------------------------------------
def _member_ids(network: Network) -> QuerySet:
    return Membership.objects.current().filter(network=network).values("organisation_id")


def _is_member(network: Network, organisation_id: int | None) -> bool:
    return (
        organisation_id is not None
        and Membership.objects.current()
        .filter(network=network, organisation_id=organisation_id)
        .exists()
    )


def _validate_presenter(
    network: Network, organisation: Organisation | None, person: Person | None
) -> None:
    if organisation is not None and not _is_member(network, organisation.pk):
        raise ValidationError(
            {"presenter_organisation": _("The presenter must be a member organisation.")}
        )
    if person is not None and not _is_member(network, person.organisation_id):
        raise ValidationError(
            {"presenter_person": _("The presenter must work for a member organisation.")}
        )


def _check_item(item: AgendaItem) -> None:
    item.full_clean(
        exclude=["uid", "meeting", "offer", "action_item", "position"], validate_unique=False
    )
    if item.duration_minutes < 1:
        raise ValidationError({"duration_minutes": _("An item lasts at least one minute.")})
    _validate_presenter(item.meeting.network, item.presenter_organisation, item.presenter_person)


def _apply(instance: Any, data: Mapping[str, Any], allowed: Sequence[str]) -> None:
    for key in allowed:
        if key in data:
            setattr(instance, key, data[key])


def _user(user: Any) -> Any:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


# Agenda items --------------------------------------------------------------------------------
def _next_position(meeting: Meeting) -> int:
    last = AgendaItem.objects.filter(meeting=meeting).aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def add_agenda_item(
    meeting: Meeting,
    data: Mapping[str, Any],
    *,
    topics: Iterable[Topic] | None = None,
    acting_user: Any = None,
) -> AgendaItem:
    """Append an item to the meeting's agenda (presenters must belong to the network)."""
    item = AgendaItem(meeting=meeting)
    _apply(item, data, AGENDA_ITEM_FIELDS)
    _check_item(item)
    item.position = _next_position(meeting)
    item.save()
    if topics is not None:
        item.topics.set(topics)
    return item


@transaction.atomic
def update_agenda_item(
    item: AgendaItem,
    data: Mapping[str, Any],
    *,
    topics: Iterable[Topic] | None = None,
    acting_user: Any = None,
) -> AgendaItem:
    _apply(item, data, AGENDA_ITEM_FIELDS)
    _check_item(item)
    item.save()
    if topics is not None:
        item.topics.set(topics)
    return item


@transaction.atomic
def delete_agenda_item(item: AgendaItem, *, acting_user: Any = None) -> None:
    """Remove an item. An offer it came from stays accepted for the meeting, so the
    builder offers it again among the candidates."""
    item.delete()


@transaction.atomic
def move_agenda_item(item: AgendaItem, direction: str, *, acting_user: Any = None) -> AgendaItem:
    """Swap the item with its neighbour above (``"up"``) or below (``"down"``).

    Positions are renumbered 0..n-1 on the way, so gaps and ties left by older data
    never make a move do nothing.
    """
    if direction not in ("up", "down"):
        raise ValidationError({"direction": _("Move an item up or down.")})
    items = list(
        AgendaItem.objects.select_for_update()
        .filter(meeting_id=item.meeting_id)
        .order_by("position", "id")
    )
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    changed = []
    for position, other in enumerate(items):
        if other.position != position:
            other.position = position
            changed.append(other)
    AgendaItem.objects.bulk_update(changed, ["position"])
    data_changed(item.meeting.network_id)  # a bulk update sends no signal
    item.position = next(other.position for other in items if other.pk == item.pk)
    return item


# Offers and votes ----------------------------------------------------------------------------
def _check_meeting_of(network: Network, meeting: Meeting | None, *, field: str = "meeting") -> None:
    if meeting is None:
        return
    if meeting.network_id != network.pk:
        raise ValidationError({field: _("The meeting belongs to another network.")})
    if meeting.end < timezone.now():
        raise ValidationError({field: _("The meeting is over; choose a coming meeting.")})


@transaction.atomic
def offer_item(
    network: Network,
    data: Mapping[str, Any],
    *,
    organisation: Organisation,
    meeting: Meeting | None = None,
    topics: Iterable[Topic] | None = None,
    acting_user: Any = None,
) -> AgendaOffer:
    """A member organisation offers an item for ``meeting`` (or the next suitable one)."""
    if not _is_member(network, organisation.pk):
        raise ValidationError(
            {"organisation": _("Only member organisations of the network offer items.")}
        )
    _check_meeting_of(network, meeting)
    offer = AgendaOffer(
        network=network,
        organisation=organisation,
        meeting=meeting,
        created_by=_user(acting_user),
    )
    _apply(offer, data, OFFER_FIELDS)
    offer.full_clean(
        exclude=["uid", "network", "organisation", "meeting", "decided_by", "created_by"],
        validate_unique=False,
    )
    if not 0 <= offer.urgency <= MAX_URGENCY:
        raise ValidationError({"urgency": _("Urgency runs from 0 (can wait) to 3 (urgent).")})
    if offer.duration_minutes < 1:
        raise ValidationError({"duration_minutes": _("An item lasts at least one minute.")})
    if offer.person is not None and offer.person.organisation_id != organisation.pk:
        raise ValidationError(
            {"person": _("The presenter must work for the offering organisation.")}
        )
    offer.save()
    if topics is not None:
        offer.topics.set(topics)
    return offer


@transaction.atomic
def toggle_vote(
    offer: AgendaOffer, *, organisation: Organisation | int | None = None, acting_user: Any
) -> bool:
    """Vote for a proposed offer, or take the vote back; returns whether the user now votes.

    ``organisation`` (or its id) is the one the voter speaks for, if any: the builder
    counts it as interested in the offer."""
    if offer.status != OfferStatus.PROPOSED:
        raise ValidationError(_("Votes are for proposed items only; this one is decided."))
    deleted, _rows = AgendaVote.objects.filter(offer=offer, voter=acting_user).delete()
    if deleted:
        return False
    AgendaVote.objects.create(
        offer=offer, voter=acting_user, organisation_id=getattr(organisation, "pk", organisation)
    )
    return True


def _item_from_offer(offer: AgendaOffer, meeting: Meeting) -> AgendaItem:
    presenter_person = offer.person
    if presenter_person is not None and not _is_member(
        meeting.network, presenter_person.organisation_id
    ):
        presenter_person = None
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=_next_position(meeting),
        title=offer.title,
        description=offer.description,
        kind=offer.kind,
        presenter_organisation=offer.organisation,
        presenter_person=presenter_person,
        duration_minutes=offer.duration_minutes,
        offer=offer,
    )
    item.topics.set(offer.topics.all())
    return item


@transaction.atomic
def accept_offer(
    offer: AgendaOffer, *, meeting: Meeting | None = None, acting_user: Any = None
) -> AgendaItem:
    """Put the offer on a meeting's agenda (the offer's own meeting unless one is given)."""
    meeting = meeting or offer.meeting
    if meeting is None:
        raise ValidationError({"meeting": _("Choose the meeting that takes this item.")})
    if offer.status not in (OfferStatus.PROPOSED, OfferStatus.ACCEPTED):
        raise ValidationError(
            {"meeting": _("This offer was %(status)s.") % {"status": offer.get_status_display()}}
        )
    existing = AgendaItem.objects.filter(offer=offer).first()
    if existing is not None:
        if existing.meeting_id == meeting.pk:
            return existing
        raise ValidationError({"meeting": _("This offer is already on another meeting's agenda.")})
    _check_meeting_of(offer.network, meeting)
    item = _item_from_offer(offer, meeting)
    offer.meeting = meeting
    offer.status = OfferStatus.ACCEPTED
    offer.decline_reason = ""
    offer.decided_by = _user(acting_user)
    offer.decided_at = timezone.now()
    offer.save()
    return item


@transaction.atomic
def decline_offer(offer: AgendaOffer, *, reason: str, acting_user: Any = None) -> AgendaOffer:
    """Decline an offer with the reason the offering organisation will read."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the offer is declined; the member reads it.")})
    if offer.status != OfferStatus.PROPOSED:
        raise ValidationError(
            {
                "reason": _("Only proposed offers can be declined; this one is %(status)s.")
                % {"status": offer.get_status_display().lower()}
            }
        )
    offer.status = OfferStatus.DECLINED
    offer.decline_reason = reason
    offer.decided_by = _user(acting_user)
    offer.decided_at = timezone.now()
    offer.save()
    return offer


# The agenda builder --------------------------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    """A possible agenda item for the optimiser, with the record it comes from."""

    item: CandidateItem
    offer: AgendaOffer | None = None
    action: ActionItem | None = None
    topic_names: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return str(self.item.id)


CandidateSource = Callable[[Meeting], list[Candidate]]


def offer_candidates(meeting: Meeting) -> list[Candidate]:
    """Offers accepted for this meeting but not on its agenda, and proposed offers for
    this meeting or for no meeting in particular. Members who voted for an offer are
    served by it. Three queries: offers, their topics, their votes."""
    offers = (
        AgendaOffer.objects.filter(network_id=meeting.network_id)
        .filter(
            Q(status=OfferStatus.ACCEPTED, meeting=meeting, agenda_item__isnull=True)
            | Q(status=OfferStatus.PROPOSED, meeting=meeting)
            | Q(status=OfferStatus.PROPOSED, meeting__isnull=True)
        )
        .select_related("organisation")
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("name")),
            Prefetch(
                "votes",
                queryset=AgendaVote.objects.filter(organisation__isnull=False).select_related(
                    "organisation"
                ),
            ),
        )
        .order_by("-urgency", "created", "pk")
    )
    candidates = []
    for offer in offers:
        topics = list(offer.topics.all())
        candidates.append(
            Candidate(
                item=CandidateItem(
                    id=str(offer.uid),
                    duration=max(1, offer.duration_minutes),
                    urgency=min(offer.urgency, MAX_URGENCY) / MAX_URGENCY,
                    topics=frozenset(topic.pk for topic in topics),
                    organisations=frozenset(
                        vote.organisation.slug
                        for vote in offer.votes.all()
                        if vote.organisation is not None
                    ),
                    kind=offer.kind,
                    source="offer",
                    title=offer.title,
                ),
                offer=offer,
                topic_names=tuple(topic.name for topic in topics),
            )
        )
    return candidates


def _overdue_urgency(due: dt.date | None, day: dt.date) -> float:
    """Overdue on the meeting's day: the longer, the more urgent; due later: a little."""
    if due is None:
        return 0.25
    late = (day - due).days
    if late < 0:
        return 0.25
    return min(1.0, 0.5 + late / 120)


def follow_up_candidates(meeting: Meeting) -> list[Candidate]:
    """Open action items of the network's earlier meetings not yet followed up on this
    agenda; each serves its owner organisation. One query."""
    on_agenda = AgendaItem.objects.filter(meeting=meeting, action_item=OuterRef("pk"))
    actions = (
        ActionItem.objects.open()
        .filter(network_id=meeting.network_id, meeting__start__lt=meeting.start)
        .exclude(Exists(on_agenda))
        .select_related("owner_organisation", "owner_person__organisation", "meeting")
        .order_by("due", "pk")
    )
    day = meeting.start.astimezone(_zone(meeting)).date()
    candidates = []
    for action in actions:
        owner = action.owner_organisation or (
            action.owner_person.organisation if action.owner_person else None
        )
        candidates.append(
            Candidate(
                item=CandidateItem(
                    id=str(action.uid),
                    duration=FOLLOW_UP_MINUTES,
                    urgency=_overdue_urgency(action.due, day),
                    organisations=frozenset([owner.slug]) if owner is not None else frozenset(),
                    kind=AgendaItemKind.FOLLOW_UP,
                    source="follow_up",
                    title=action.title,
                ),
                action=action,
            )
        )
    return candidates


# Task-group updates, member requests and consultations join here when those apps exist.
CANDIDATE_SOURCES: list[CandidateSource] = [offer_candidates, follow_up_candidates]


def agenda_candidates(
    meeting: Meeting, sources: Sequence[CandidateSource] | None = None
) -> list[Candidate]:
    """Every candidate of every source, in source order."""
    candidates: list[Candidate] = []
    seen: set[str] = set()
    for source in CANDIDATE_SOURCES if sources is None else sources:
        for candidate in source(meeting):
            if candidate.id not in seen:
                seen.add(candidate.id)
                candidates.append(candidate)
    return candidates


def agenda_organisations(
    network: Network,
) -> tuple[list[MemberOrganisation], dict[str, Organisation]]:
    """The current member organisations with their interests (topic id → level), and the
    organisations by slug. Two queries, whatever the number of members."""
    members = list(
        Organisation.objects.filter(id__in=_member_ids(network))
        .only("id", "name", "acronym", "slug")
        .order_by("name", "pk")
    )
    interests: dict[int, dict[int, int]] = {}
    for org_id, topic_id, level in OrganisationInterest.objects.filter(
        organisation_id__in=_member_ids(network)
    ).values_list("organisation_id", "topic_id", "level"):
        interests.setdefault(org_id, {})[topic_id] = int(level)
    return (
        [MemberOrganisation(id=org.slug, interests=interests.get(org.pk, {})) for org in members],
        {org.slug: org for org in members},
    )


@dataclass(frozen=True)
class AgendaSuggestion:
    """A plan with the records behind its ids, for pages, the API and the command."""

    meeting: Meeting
    plan: AgendaPlan
    candidates: dict[str, Candidate]
    organisations: dict[str, Organisation]

    def as_dict(self) -> dict[str, Any]:
        data = self.plan.as_dict()
        data["meeting"] = str(self.meeting.uid)
        data["organisations"] = {slug: org.name for slug, org in self.organisations.items()}
        return data


def suggest_agenda(
    meeting: Meeting,
    *,
    max_items: int,
    length_minutes: int | None = None,
    method: str = "auto",
    sources: Sequence[CandidateSource] | None = None,
) -> AgendaSuggestion:
    """Choose up to ``max_items`` candidates within ``length_minutes`` (default: the
    meeting's length) covering the most member organisations."""
    if max_items < 0:
        raise ValidationError({"items": _("Choose zero or more items.")})
    length = meeting_minutes(meeting) if length_minutes is None else length_minutes
    if length < 0:
        raise ValidationError({"length": _("The length cannot be negative.")})
    candidates = agenda_candidates(meeting, sources)
    organisations, by_slug = agenda_organisations(meeting.network)
    plan = build_agenda(
        [candidate.item for candidate in candidates],
        organisations,
        length_minutes=length,
        max_items=max_items,
        method=method,  # type: ignore[arg-type]
    )
    return AgendaSuggestion(
        meeting=meeting,
        plan=plan,
        candidates={candidate.id: candidate for candidate in candidates},
        organisations=by_slug,
    )


def _item_from_action(action: ActionItem, meeting: Meeting) -> AgendaItem:
    network = meeting.network
    owner_org = action.owner_organisation
    if owner_org is None and action.owner_person is not None:
        owner_org = action.owner_person.organisation
    person = action.owner_person
    return AgendaItem.objects.create(
        meeting=meeting,
        position=_next_position(meeting),
        title=_("Follow-up: %(action)s") % {"action": action.title},
        description=action.description,
        kind=AgendaItemKind.FOLLOW_UP,
        presenter_organisation=owner_org
        if owner_org and _is_member(network, owner_org.pk)
        else None,
        presenter_person=person if person and _is_member(network, person.organisation_id) else None,
        duration_minutes=FOLLOW_UP_MINUTES,
        action_item=action,
    )


@transaction.atomic
def add_suggested_items(
    meeting: Meeting,
    item_ids: Iterable[str],
    *,
    sources: Sequence[CandidateSource] | None = None,
    acting_user: Any = None,
) -> list[AgendaItem]:
    """Append the chosen candidates to the agenda, in the given order; returns the new items.

    Adding again changes nothing: candidates already on this agenda are skipped. An id
    that is neither a candidate nor on the agenda is refused, and nothing is added.
    """
    ids = list(dict.fromkeys(str(i) for i in item_ids))
    candidates = {candidate.id: candidate for candidate in agenda_candidates(meeting, sources)}
    already = {
        str(uid)
        for uid in AgendaItem.objects.filter(meeting=meeting, offer__isnull=False).values_list(
            "offer__uid", flat=True
        )
    } | {
        str(uid)
        for uid in AgendaItem.objects.filter(
            meeting=meeting, action_item__isnull=False
        ).values_list("action_item__uid", flat=True)
    }
    unknown = [i for i in ids if i not in candidates and i not in already]
    if unknown:
        raise ValidationError(
            {
                "items": _("These items are not candidates for this meeting: %(ids)s")
                % {"ids": ", ".join(unknown)}
            }
        )
    added = []
    for i in ids:
        candidate = candidates.get(i)
        if candidate is None:
            continue
        if candidate.offer is not None:
            added.append(accept_offer(candidate.offer, meeting=meeting, acting_user=acting_user))
        elif candidate.action is not None:
            added.append(_item_from_action(candidate.action, meeting))
    return added
