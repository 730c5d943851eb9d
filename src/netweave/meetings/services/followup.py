"""The meeting day and what follows it: check-in, minutes, decisions, action items, follow-up.

Rules kept here rather than in the views, so pages, the API and the demo behave alike:

- minutes are sanitised on save with a small allow-list (and again when shown);
- under the Chatham House rule a statement's speaker is never stored, so no page, export or
  API can reveal it;
- an action item's owner belongs to the network (a person of a member organisation, or a
  member organisation), and a decision it implements is one of its meeting's;
- open action items of earlier meetings come back as follow-up items on the next meeting's
  agenda (``sync_follow_ups``), once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import nh3
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from netweave.directory.models import Organisation, Person
from netweave.meetings.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    AgendaItemKind,
    Attendance,
    AttendanceSource,
    Confidentiality,
    Decision,
    Invitation,
    Meeting,
    Minutes,
    Registration,
    Response,
    Statement,
)
from netweave.meetings.services.agenda import FOLLOW_UP_MINUTES
from netweave.meetings.services.meetings import record_attendance
from netweave.networks.models import Membership
from netweave.networks.stats import data_changed

__all__ = [
    "MINUTES_TAGS",
    "add_decision",
    "add_statement",
    "check_in_registered",
    "check_in_walk_in",
    "checkin_people",
    "clean_minutes_html",
    "create_action_item",
    "may_update_action",
    "minutes_export",
    "remove_decision",
    "remove_statement",
    "save_minutes",
    "set_action_status",
    "sync_follow_ups",
    "toggle_check_in",
    "update_action_item",
]

# The minutes' allow-list: structure and links, nothing that loads or runs anything.
MINUTES_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "h3", "h4", "a"}
MINUTES_ATTRIBUTES = {"a": {"href"}}
ACTION_FIELDS = ("title", "description", "owner_person", "owner_organisation", "due", "decision")


# Check-in ----------------------------------------------------------------------------------


def checkin_people(meeting: Meeting, *, search: str = "") -> QuerySet[Person]:
    """The people expected at ``meeting`` (invited, or registered yes or maybe) and those who
    came anyway, in one query.

    Annotates ``is_invited``, ``response`` (the registration's answer or None), ``present``
    and ``checked_in_uninvited``; preloads the organisation.
    """
    invited = Invitation.objects.filter(meeting=meeting, person=OuterRef("pk"))
    registration = Registration.objects.filter(meeting=meeting, person=OuterRef("pk"))
    attendance = Attendance.objects.filter(meeting=meeting, person=OuterRef("pk"))
    # Three id subqueries rather than joins, so nobody is listed twice.
    answered = Registration.objects.filter(
        meeting=meeting, response__in=[Response.YES, Response.MAYBE]
    )
    people = Person.objects.filter(
        Q(pk__in=Invitation.objects.filter(meeting=meeting).values("person_id"))
        | Q(pk__in=answered.values("person_id"))
        | Q(pk__in=Attendance.objects.filter(meeting=meeting).values("person_id"))
    )
    if search:
        people = people.filter(
            Q(name__icontains=search)
            | Q(organisation__name__icontains=search)
            | Q(organisation__acronym__icontains=search)
        )
    return (
        people.select_related("organisation")
        .annotate(
            is_invited=Exists(invited),
            response=Subquery(registration.values("response")[:1]),
            present=Exists(attendance),
            checked_in_uninvited=Exists(attendance.filter(invited=False)),
        )
        .order_by("name", "pk")
    )


def _person_of_network(meeting: Meeting, person: Person) -> None:
    expected = (
        Invitation.objects.filter(meeting=meeting, person=person).exists()
        or Registration.objects.filter(meeting=meeting, person=person).exists()
    )
    if (
        not expected
        and not Person.objects.in_network(meeting.network).filter(pk=person.pk).exists()
    ):
        raise ValidationError(
            {"person": _("Only people of the network's member organisations can be checked in.")}
        )


@transaction.atomic
def toggle_check_in(meeting: Meeting, person: Person, *, acting_user: Any = None) -> bool:
    """Tick or untick ``person`` as present; returns whether they are present now.

    Someone checked in without an invitation is recorded as not invited, and flagged.
    """
    existing = Attendance.objects.filter(meeting=meeting, person=person).first()
    if existing is not None:
        existing.delete()
        return False
    _person_of_network(meeting, person)
    record_attendance(
        meeting,
        person,
        source=AttendanceSource.CHECK_IN,
        invited=Invitation.objects.filter(meeting=meeting, person=person).exists(),
        acting_user=acting_user,
    )
    return True


@transaction.atomic
def check_in_registered(meeting: Meeting, *, acting_user: Any = None) -> int:
    """Check in, in one go, everyone registered "yes" who is not checked in yet; returns how
    many were added."""
    present = Attendance.objects.filter(meeting=meeting).values("person_id")
    registrations = (
        Registration.objects.filter(meeting=meeting, response=Response.YES)
        .exclude(person_id__in=present)
        .select_related("person")
        .annotate(
            is_invited=Exists(
                Invitation.objects.filter(meeting=meeting, person_id=OuterRef("person_id"))
            )
        )
    )
    now = timezone.now()
    rows = [
        Attendance(
            meeting=meeting,
            person=registration.person,
            organisation_id=registration.person.organisation_id,
            source=AttendanceSource.REGISTRATION,
            invited=registration.is_invited,
            checked_in_at=now,
        )
        for registration in registrations
    ]
    if rows:
        bulk_create_with_history(rows, Attendance, batch_size=500)
        data_changed(meeting.network_id)  # a bulk insert sends no signal
    return len(rows)


@transaction.atomic
def check_in_walk_in(
    meeting: Meeting,
    *,
    name: str,
    organisation: Organisation | None,
    acting_user: Any = None,
) -> Person:
    """Create a person on the spot (name and organisation) and check them in, not invited.

    A person of that name in that organisation is reused rather than duplicated.
    """
    # Imported here: directory services import nothing from meetings, but keep it that way.
    from netweave.core.lib.text import normalize_name
    from netweave.directory.services import create_person

    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the person's name.")})
    if organisation is not None and not _is_member(meeting.network_id, organisation.pk):
        raise ValidationError(
            {"organisation": _("Choose an organisation that belongs to this network.")}
        )
    person = Person.objects.filter(organisation=organisation, name_key=normalize_name(name)).first()
    if person is None:
        person = create_person(
            {"name": name, "organisation": organisation},
            network=meeting.network,
            acting_user=acting_user,
        )
    if not Attendance.objects.filter(meeting=meeting, person=person).exists():
        record_attendance(
            meeting,
            person,
            source=AttendanceSource.CHECK_IN,
            invited=Invitation.objects.filter(meeting=meeting, person=person).exists(),
            acting_user=acting_user,
        )
    return person


def _is_member(network_id: int, organisation_id: int) -> bool:
    return (
        Membership.objects.current()
        .filter(network_id=network_id, organisation_id=organisation_id)
        .exists()
    )


# Minutes and statements --------------------------------------------------------------------


def clean_minutes_html(text: str) -> str:
    """Minutes HTML reduced to the allow-list; links get ``rel="noopener"``."""
    return nh3.clean(
        text or "", tags=MINUTES_TAGS, attributes=MINUTES_ATTRIBUTES, link_rel="noopener"
    )


@transaction.atomic
def save_minutes(
    meeting: Meeting, *, text: str, published: bool = False, acting_user: Any = None
) -> Minutes:
    """Write the minutes' text (sanitised) and whether members may read them."""
    minutes = Minutes.objects.filter(meeting=meeting).first() or Minutes(meeting=meeting)
    minutes.text = clean_minutes_html(text)
    minutes.published = bool(published)
    if acting_user is not None and getattr(acting_user, "is_authenticated", False):
        minutes.written_by = acting_user
    minutes.save()
    return minutes


@transaction.atomic
def add_statement(
    meeting: Meeting,
    *,
    text: str,
    speaker_person: Person | None = None,
    speaker_organisation: Organisation | None = None,
    acting_user: Any = None,
) -> Statement:
    """Record a statement; under the Chatham House rule a speaker is refused, never stored."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what was said.")})
    has_speaker = speaker_person is not None or speaker_organisation is not None
    if has_speaker and meeting.confidentiality == Confidentiality.CHATHAM_HOUSE:
        field = "speaker_person" if speaker_person is not None else "speaker_organisation"
        raise ValidationError(
            {
                field: _(
                    "This meeting is held under the Chatham House rule: statements are "
                    "recorded without naming who made them."
                )
            }
        )
    if speaker_person is not None:
        _check_person(meeting, speaker_person, "speaker_person")
    if speaker_organisation is not None:
        _check_organisation(meeting, speaker_organisation, "speaker_organisation")
    position = (meeting.statements.aggregate(top=Max("position"))["top"] or 0) + 1
    return Statement.objects.create(
        meeting=meeting,
        position=position,
        text=text,
        speaker_person=speaker_person,
        speaker_organisation=speaker_organisation,
    )


@transaction.atomic
def remove_statement(statement: Statement, *, acting_user: Any = None) -> None:
    statement.delete()


# Decisions ---------------------------------------------------------------------------------


@transaction.atomic
def add_decision(meeting: Meeting, *, text: str, acting_user: Any = None) -> Decision:
    """Record a decision, numbered after the meeting's last one."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the decision.")})
    position = (meeting.decisions.aggregate(top=Max("position"))["top"] or 0) + 1
    return Decision.objects.create(meeting=meeting, text=text, position=position)


@transaction.atomic
def remove_decision(decision: Decision, *, acting_user: Any = None) -> None:
    """Remove a decision; its action items stay, no longer tied to it."""
    decision.delete()


# Action items ------------------------------------------------------------------------------


def _check_person(meeting_or_network: Any, person: Person, field: str) -> None:
    network_id = getattr(meeting_or_network, "network_id", None) or meeting_or_network.pk
    if person.organisation_id is None or not _is_member(network_id, person.organisation_id):
        raise ValidationError(
            {field: _("%(name)s does not belong to this network.") % {"name": person.name}}
        )


def _check_organisation(meeting_or_network: Any, organisation: Organisation, field: str) -> None:
    network_id = getattr(meeting_or_network, "network_id", None) or meeting_or_network.pk
    if not _is_member(network_id, organisation.pk):
        raise ValidationError(
            {
                field: _("%(name)s is not a member organisation of this network.")
                % {"name": organisation.name}
            }
        )


def _validate_action(action: ActionItem) -> None:
    if not (action.title or "").strip():
        raise ValidationError({"title": _("Say what is to be done.")})
    if action.owner_person is None and action.owner_organisation is None:
        raise ValidationError(
            {"owner_organisation": _("Give the action an owner: a person or an organisation.")}
        )
    if action.owner_person is not None:
        _check_person(action.network, action.owner_person, "owner_person")
        if action.owner_organisation is None:
            action.owner_organisation = action.owner_person.organisation
    if action.owner_organisation is not None:
        _check_organisation(action.network, action.owner_organisation, "owner_organisation")
    if action.decision is not None and action.decision.meeting_id != action.meeting_id:
        raise ValidationError({"decision": _("Choose a decision of the same meeting.")})
    if action.meeting is not None and action.meeting.network_id != action.network_id:
        raise ValidationError({"meeting": _("Choose a meeting of this network.")})
    if action.status not in ActionStatus.values:
        raise ValidationError({"status": _("Unknown status.")})


@transaction.atomic
def create_action_item(
    meeting: Meeting, data: dict[str, Any], *, acting_user: Any = None
) -> ActionItem:
    """Record an action item agreed at ``meeting``.

    It is also put on the agenda of the network's next meeting, when one is planned.
    """
    action = ActionItem(network=meeting.network, meeting=meeting)
    for key in ACTION_FIELDS:
        if key in data:
            setattr(action, key, data[key])
    action.status = data.get("status") or ActionStatus.OPEN
    _validate_action(action)
    if action.status == ActionStatus.DONE:
        action.completed_at = timezone.now()
    action.save()
    following = (
        Meeting.objects.filter(
            network_id=meeting.network_id, start__gte=meeting.end, end__gte=timezone.now()
        )
        .order_by("start", "pk")
        .first()
    )
    if following is not None and action.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS):
        sync_follow_ups(following, acting_user=acting_user)
    return action


@transaction.atomic
def update_action_item(
    action: ActionItem, data: dict[str, Any], *, acting_user: Any = None
) -> ActionItem:
    """Change an action item; any field left out stays as it is."""
    for key in ACTION_FIELDS:
        if key in data:
            setattr(action, key, data[key])
    if "status" in data:
        _apply_status(action, data["status"])
    _validate_action(action)
    action.save()
    return action


@transaction.atomic
def set_action_status(action: ActionItem, status: str, *, acting_user: Any = None) -> ActionItem:
    """Move an action item on the board (open → in progress → done, or dropped)."""
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    _apply_status(action, status)
    action.save(update_fields=["status", "completed_at", "modified"])
    return action


def may_update_action(access: Any, action: ActionItem) -> bool:
    """Facilitators move any action item; focal points those their organisation owns."""
    if access.is_facilitator:
        return True
    owners = {action.owner_organisation_id}
    if action.owner_person_id is not None:
        owners.add(action.owner_person.organisation_id)
    return bool(owners & set(access.focal_org_ids))


def _apply_status(action: ActionItem, status: str) -> None:
    if status == ActionStatus.DONE and action.status != ActionStatus.DONE:
        action.completed_at = timezone.now()
    elif status != ActionStatus.DONE:
        action.completed_at = None
    action.status = status


# Follow-up ---------------------------------------------------------------------------------


def sync_follow_ups(
    meeting: Meeting, *, as_of: dt.datetime | None = None, acting_user: Any = None
) -> list[AgendaItem]:
    """Put on ``meeting``'s agenda every open action item of earlier meetings, once.

    Earlier means the action's meeting ended before this one starts. An action that is
    already followed up at an earlier meeting still to come is left for that one. The
    agenda of a meeting that is over (at ``as_of``, default now) is history and stays
    as it is. Returns the follow-up items added; running it again adds nothing.
    """
    as_of = as_of or timezone.now()
    if meeting.end < as_of:
        return []  # before a transaction: a past meeting's page opens none
    with transaction.atomic():
        return _add_follow_ups(meeting, as_of)


def _add_follow_ups(meeting: Meeting, as_of: dt.datetime) -> list[AgendaItem]:
    here = AgendaItem.objects.filter(meeting=meeting, action_item__isnull=False)
    sooner = AgendaItem.objects.filter(
        action_item=OuterRef("pk"), meeting__start__lt=meeting.start, meeting__end__gte=as_of
    ).exclude(meeting=meeting)
    actions = list(
        ActionItem.objects.open()
        .filter(network_id=meeting.network_id, meeting__end__lte=meeting.start)
        .exclude(pk__in=here.values("action_item_id"))
        .exclude(Exists(sooner))
        .select_related("owner_person", "owner_organisation")
        .order_by("due", "pk")
    )
    if not actions:
        return []
    position = meeting.agenda.aggregate(top=Max("position"))["top"] or 0
    items = [
        AgendaItem(
            meeting=meeting,
            position=position + index,
            title=_("Follow-up: %(action)s") % {"action": action.title},
            description=action.description,
            kind=AgendaItemKind.FOLLOW_UP,
            presenter_organisation=action.owner_organisation,
            presenter_person=action.owner_person,
            duration_minutes=FOLLOW_UP_MINUTES,
            action_item=action,
        )
        for index, action in enumerate(actions, start=1)
    ]
    created = bulk_create_with_history(items, AgendaItem)
    if created:
        data_changed(meeting.network_id)  # a bulk insert sends no signal
    return created


# Export ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MinutesDocument:
    """Everything an export of the minutes shows, with the confidentiality rule applied."""

    meeting: Meeting
    text_html: str
    statements: list[tuple[str, str]]  # (speaker or "", text)
    decisions: list[Decision]
    actions: list[ActionItem]
    chatham_house: bool


def minutes_export(meeting: Meeting, *, fmt: str) -> str:
    """The minutes, decisions and action items as plain text or an HTML fragment.

    Under the Chatham House rule no speaker is named, even one stored before the meeting's
    rule was changed.
    """
    document = _minutes_document(meeting)
    if fmt == "html":
        return _as_html(document)
    return _as_text(document)


def _minutes_document(meeting: Meeting) -> MinutesDocument:
    minutes = Minutes.objects.filter(meeting=meeting).first()
    chatham = meeting.confidentiality == Confidentiality.CHATHAM_HOUSE
    statements = []
    for statement in meeting.statements.select_related("speaker_person", "speaker_organisation"):
        speaker = ""
        if not chatham:
            names = [
                str(x) for x in (statement.speaker_person, statement.speaker_organisation) if x
            ]
            speaker = ", ".join(names)
        statements.append((speaker, statement.text))
    return MinutesDocument(
        meeting=meeting,
        text_html=clean_minutes_html(minutes.text) if minutes else "",
        statements=statements,
        decisions=list(meeting.decisions.all()),
        actions=list(
            meeting.action_items.select_related("owner_person", "owner_organisation").order_by(
                "due", "pk"
            )
        ),
        chatham_house=chatham,
    )


def _owner(action: ActionItem) -> str:
    return ", ".join(str(x) for x in (action.owner_person, action.owner_organisation) if x)


def _as_text(doc: MinutesDocument) -> str:
    lines = [str(doc.meeting), "=" * len(str(doc.meeting)), ""]
    if doc.chatham_house:
        lines += [_("Held under the Chatham House rule: nobody is named as a speaker."), ""]
    text = strip_tags(doc.text_html.replace("</p>", "</p>\n").replace("<br>", "\n")).strip()
    if text:
        lines += [_("Minutes"), "-------", text, ""]
    if doc.statements:
        lines += [_("Statements"), "----------"]
        lines += [
            f"- {speaker}: {text}" if speaker else f"- {text}" for speaker, text in doc.statements
        ]
        lines.append("")
    if doc.decisions:
        lines += [_("Decisions"), "---------"]
        lines += [f"{i}. {d.text}" for i, d in enumerate(doc.decisions, start=1)]
        lines.append("")
    if doc.actions:
        lines += [_("Action items"), "------------"]
        for action in doc.actions:
            due = action.due.isoformat() if action.due else "—"
            lines.append(
                f"- {action.title} ({_owner(action)}; {_('due')} {due}; "
                f"{action.get_status_display()})"
            )
        lines.append("")
    return "\n".join(lines)


def _as_html(doc: MinutesDocument) -> str:
    from django.template.loader import render_to_string

    return render_to_string("meetings/minutes_export.html", {"doc": doc})
