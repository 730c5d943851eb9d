"""Writes that create meetings, invite and register people, remind them and record attendance."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, Min, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from netweave.core.access import NetworkAccess, get_access
from netweave.core.versions import TTL, data_version
from netweave.directory.models import Organisation, Person
from netweave.meetings.models import (
    Attendance,
    AttendanceSource,
    FeedToken,
    Invitation,
    Meeting,
    MeetingVisibility,
    Registration,
    Response,
    SentMessage,
)
from netweave.networks.models import Membership, Network
from netweave.networks.stats import data_changed

__all__ = [
    "MEETING_FIELDS",
    "clock",
    "InvitationResult",
    "create_meeting",
    "feed_member_networks",
    "find_clashes",
    "invitable_people",
    "invite_people",
    "meeting_visible",
    "record_attendance",
    "register",
    "registrable_people",
    "registration_open",
    "reminder_recipients",
    "reset_feed_token",
    "send_reminders",
    "update_meeting",
    "visible_meetings",
    "flag_clashes",
    "with_clash_flag",
]

logger = logging.getLogger(__name__)

MEETING_FIELDS = (
    "title",
    "kind",
    "start",
    "end",
    "time_zone",
    "venue",
    "online_url",
    "host",
    "languages",
    "visibility",
    "confidentiality",
    "description",
    "registration_closes",
    "task_group",
    "body",
)

INVITATION = "invitation"
REMINDER = "reminder"


# Reading -------------------------------------------------------------------------------------
def visible_meetings(network: Network, access: NetworkAccess) -> QuerySet:
    """Meetings of ``network`` the user may read: all with a role, public ones otherwise."""
    meetings = Meeting.objects.filter(network=network)
    if access.has_role:
        return meetings
    return meetings.filter(visibility=MeetingVisibility.PUBLIC)


def meeting_visible(meeting: Meeting, access: NetworkAccess) -> bool:
    return access.can_view and (access.has_role or meeting.visibility == MeetingVisibility.PUBLIC)


def _clashing(network_id: Any, venue: Any, start: Any, end: Any) -> QuerySet:
    return Meeting.objects.filter(
        network_id=network_id, venue__iexact=venue, start__lt=end, end__gt=start
    ).exclude(venue="")


def find_clashes(meeting: Meeting) -> QuerySet:
    """Other meetings of the network in the same venue at an overlapping time.

    Online meetings (no venue) never clash. Venues match ignoring case and outer spaces.
    """
    venue = (meeting.venue or "").strip()
    if not venue or meeting.start is None or meeting.end is None:
        return Meeting.objects.none()
    return (
        _clashing(meeting.network_id, venue, meeting.start, meeting.end)
        .exclude(pk=meeting.pk)
        .order_by("start", "pk")
    )


def with_clash_flag(meetings: QuerySet) -> QuerySet:
    """Annotate ``has_clash`` on each meeting within the same query."""
    clash = _clashing(
        OuterRef("network_id"), OuterRef("venue"), OuterRef("start"), OuterRef("end")
    ).exclude(pk=OuterRef("pk"))
    return meetings.annotate(has_clash=Exists(clash))


def flag_clashes(meetings: Iterable[Meeting]) -> list[Meeting]:
    """Set ``has_clash`` on the meetings of one page, with one query for the page.

    ``with_clash_flag`` on a whole sorted list made SQLite test every meeting of the
    network against every other before it sorted (quadratic in the network's meetings);
    here only the page's meetings are tested, each through the (network, start) index.
    """
    meetings = list(meetings)
    ids = [meeting.pk for meeting in meetings]
    clashing = (
        set(
            with_clash_flag(Meeting.objects.filter(pk__in=ids))
            .filter(has_clash=True)
            .values_list("pk", flat=True)
        )
        if ids
        else set()
    )
    for meeting in meetings:
        meeting.has_clash = meeting.pk in clashing
    return meetings


# Meetings ------------------------------------------------------------------------------------
def _validate_meeting(meeting: Meeting) -> None:
    try:
        ZoneInfo(meeting.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            {"time_zone": _("Unknown time zone “%(tz)s”.") % {"tz": meeting.time_zone}}
        ) from None
    meeting.venue = (meeting.venue or "").strip()
    meeting.full_clean(exclude=["uid"], validate_unique=False, validate_constraints=False)
    if (
        meeting.registration_closes is not None
        and meeting.start is not None
        and meeting.registration_closes > meeting.start
    ):
        raise ValidationError(
            {"registration_closes": _("Registration must close before the meeting starts.")}
        )
    if (
        meeting.host_id is not None
        and not Membership.objects.filter(
            network_id=meeting.network_id, organisation_id=meeting.host_id
        ).exists()
    ):
        raise ValidationError({"host": _("The host must be a member organisation of the network.")})
    if meeting.task_group_id is not None and meeting.task_group.network_id != meeting.network_id:
        raise ValidationError({"task_group": _("Choose a task group of this network.")})
    if meeting.body_id is not None and meeting.body.network_id != meeting.network_id:
        raise ValidationError({"body": _("Choose a body of this network.")})
    if meeting.task_group_id is not None and meeting.body_id is not None:
        raise ValidationError(
            {"body": _("A meeting belongs to a task group or to a body, not to both.")}
        )


@transaction.atomic
def create_meeting(network: Network, data: dict[str, Any], *, acting_user: Any = None) -> Meeting:
    """A new meeting; a clash of venue is allowed (see ``find_clashes``), bad times are not."""
    meeting = Meeting(network=network)
    for key in MEETING_FIELDS:
        if key in data:
            setattr(meeting, key, data[key])
    _validate_meeting(meeting)
    meeting.save()
    return meeting


@transaction.atomic
def update_meeting(meeting: Meeting, data: dict[str, Any], *, acting_user: Any = None) -> Meeting:
    for key in MEETING_FIELDS:
        if key in data:
            setattr(meeting, key, data[key])
    _validate_meeting(meeting)
    meeting.save()
    return meeting


# Invitations ---------------------------------------------------------------------------------
def invitable_people(network: Network) -> QuerySet:
    """People of the network's current member organisations."""
    return Person.objects.filter(
        organisation_id__in=Organisation.objects.in_network(network).values("pk")
    )


def _contactable(people: QuerySet) -> QuerySet:
    return people.filter(consent_contact=True).exclude(email="")


@dataclass
class InvitationResult:
    invited: int  # new invitations
    already: int  # people who had been invited before
    emailed: int  # e-mails sent now
    not_emailed: list[Person]  # chosen people without an e-mail address or consent


def _send_invitation(meeting: Meeting, person: Person, invitation: Invitation) -> bool:
    """E-mail ``person`` once about ``meeting``, with the event attached; True when sent."""
    from netweave.meetings import ics

    with transaction.atomic():
        try:
            with transaction.atomic():
                SentMessage.objects.create(meeting=meeting, person=person, kind=INVITATION)
        except IntegrityError:
            return False  # e-mailed before (or by another worker just now)
        with override(settings.LANGUAGE_CODE):
            context = _email_context(meeting, person)
            subject = _("Invitation: %(title)s, %(when)s") % {
                "title": meeting.title,
                "when": context["local_start"].strftime("%Y-%m-%d %H:%M"),
            }
            body = render_to_string("meetings/email/invitation.txt", context)
        message = EmailMessage(subject, body, None, [person.email])
        message.attach(
            "invitation.ics",
            ics.invitation(meeting, person),
            "text/calendar; method=REQUEST; charset=utf-8",
        )
        message.send()
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
    return True


def _email_context(meeting: Meeting, person: Person) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "person": person,
        "network": meeting.network,
        "local_start": meeting.start.astimezone(ZoneInfo(meeting.time_zone)),
        "local_end": meeting.end.astimezone(ZoneInfo(meeting.time_zone)),
        "link": settings.SITE_URL + meeting.get_absolute_url(),
    }


def invite_people(
    meeting: Meeting,
    *,
    whole_network: bool = False,
    sectors: Iterable[Any] = (),
    people: Iterable[Person] = (),
    task_groups: Iterable[Any] = (),
    acting_user: Any,
) -> InvitationResult:
    """Invite people to ``meeting`` and e-mail each of them once with an .ics attachment.

    The whole network and chosen sectors mean the people of current member organisations
    who agreed to be contacted and have an e-mail address. Chosen people must belong to a
    member organisation; they are invited even without an address, and listed as not
    e-mailed. A task group means the people its member organisations named for it, or,
    where an organisation named nobody, its contactable people. Inviting someone twice
    changes nothing and sends nothing.
    """
    from netweave.governance.models import TaskGroup, TaskGroupMember

    network = meeting.network
    chosen = list(people)
    candidates = invitable_people(network)
    foreign = {p.pk for p in chosen} - set(
        candidates.filter(pk__in=[p.pk for p in chosen]).values_list("pk", flat=True)
    )
    if foreign:
        raise ValidationError(
            {"people": _("Only people of the network's member organisations can be invited.")}
        )
    sector_ids = [getattr(s, "pk", s) for s in sectors]
    group_ids = [getattr(g, "pk", g) for g in task_groups]
    if TaskGroup.objects.filter(pk__in=group_ids).exclude(network=network).exists():
        raise ValidationError({"task_groups": _("Choose task groups of this network.")})
    if not whole_network and not sector_ids and not chosen and not group_ids:
        raise ValidationError({NON_FIELD_ERRORS: _("Choose whom to invite.")})
    selection = Q(pk__in=[p.pk for p in chosen])
    if group_ids:
        named = Person.objects.filter(task_groups__task_group_id__in=group_ids).values("pk")
        whole = TaskGroupMember.objects.filter(
            task_group_id__in=group_ids, people__isnull=True
        ).values("organisation_id")
        selection |= Q(pk__in=candidates.filter(pk__in=named).values("pk"))
        selection |= Q(
            pk__in=_contactable(candidates.filter(organisation_id__in=whole)).values("pk")
        )
    if whole_network:
        selection |= Q(pk__in=_contactable(candidates).values("pk"))
    elif sector_ids:
        selection |= Q(
            pk__in=_contactable(candidates.filter(organisation__sector_id__in=sector_ids)).values(
                "pk"
            )
        )
    invitees = list(Person.objects.filter(selection).order_by("name", "pk"))
    existing = dict(
        Invitation.objects.filter(meeting=meeting, person__in=invitees).values_list(
            "person_id", "pk"
        )
    )
    with transaction.atomic():
        Invitation.objects.bulk_create(
            [
                Invitation(meeting=meeting, person=person, invited_by=acting_user)
                for person in invitees
                if person.pk not in existing
            ],
            ignore_conflicts=True,
        )
        data_changed(meeting.network_id)  # a bulk insert sends no signal
    invitations = {
        inv.person_id: inv
        for inv in Invitation.objects.filter(meeting=meeting, person__in=invitees)
    }
    already_sent = set(
        SentMessage.objects.filter(meeting=meeting, kind=INVITATION).values_list(
            "person_id", flat=True
        )
    )
    emailed = 0
    not_emailed = []
    for person in invitees:
        if not person.email or not person.consent_contact:
            not_emailed.append(person)
            continue
        if person.pk in already_sent:
            continue
        if _send_invitation(meeting, person, invitations[person.pk]):
            emailed += 1
    logger.info("meeting %s: %d invited, %d e-mailed", meeting.uid, len(invitees), emailed)
    return InvitationResult(
        invited=len(invitees) - len(existing),
        already=len(existing),
        emailed=emailed,
        not_emailed=not_emailed,
    )


# Registration --------------------------------------------------------------------------------
def registration_open(meeting: Meeting, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    if meeting.start <= now:
        return False
    return meeting.registration_closes is None or now < meeting.registration_closes


def registrable_people(meeting: Meeting, user: Any) -> QuerySet:
    """Whom ``user`` may register for ``meeting``.

    Facilitators: anyone of the network's organisations. Focal points: the people of their
    own organisations. Everyone: themselves, when their account is linked to a person.
    Nobody, when the user may not see the meeting.
    """
    if user is None or not user.is_authenticated:
        return Person.objects.none()
    access = get_access(user, meeting.network)
    if not meeting_visible(meeting, access):
        return Person.objects.none()
    if access.is_facilitator:
        return Person.objects.in_network(meeting.network)
    condition = Q(user=user)
    if access.focal_org_ids:
        condition |= Q(organisation_id__in=access.focal_org_ids)
    return Person.objects.filter(condition)


@transaction.atomic
def register(
    meeting: Meeting,
    person: Person,
    *,
    response: str,
    access_needs: str = "",
    acting_user: Any,
) -> Registration:
    """Register ``person``'s answer (yes / no / maybe); answering again replaces it."""
    if response not in Response.values:
        raise ValidationError({"response": _("Answer yes, no or maybe.")})
    if not registrable_people(meeting, acting_user).filter(pk=person.pk).exists():
        raise ValidationError({"person": _("You may not register this person for this meeting.")})
    if not registration_open(meeting):
        if meeting.start <= timezone.now():
            message = _("Registration is closed: the meeting has already started.")
        else:
            message = _("Registration closed on %(when)s.") % {
                "when": meeting.registration_closes.astimezone(
                    ZoneInfo(meeting.time_zone)
                ).strftime("%Y-%m-%d %H:%M")
            }
        raise ValidationError({NON_FIELD_ERRORS: message})
    registration, _created = Registration.objects.update_or_create(
        meeting=meeting,
        person=person,
        defaults={
            "response": response,
            "access_needs": access_needs.strip(),
            "registered_by": acting_user,
        },
    )
    return registration


# Reminders -----------------------------------------------------------------------------------
def reminder_recipients(meeting: Meeting) -> QuerySet:
    """Who is reminded: people registered yes or maybe, and invitees who have not answered.

    Only people with an e-mail address; unanswered invitees only if they agreed to be contacted.
    """
    answered = Registration.objects.filter(meeting=meeting, person=OuterRef("pk"))
    coming = answered.filter(response__in=[Response.YES, Response.MAYBE])
    invited = Invitation.objects.filter(meeting=meeting, person=OuterRef("pk"))
    return (
        Person.objects.filter(
            Exists(coming) | (Exists(invited) & ~Exists(answered) & Q(consent_contact=True))
        )
        .exclude(email="")
        .exclude(
            Exists(
                SentMessage.objects.filter(meeting=meeting, person=OuterRef("pk"), kind=REMINDER)
            )
        )
        .order_by("name", "pk")
    )


def send_reminders(
    *, hours: int = 48, now: dt.datetime | None = None, dry_run: bool = False
) -> list[tuple[Meeting, Person]]:
    """Remind people of meetings that start within ``hours``; each person once per meeting.

    Returns what was sent (or, with ``dry_run``, what would be sent).
    """
    now = now or timezone.now()
    meetings = (
        Meeting.objects.filter(start__gt=now, start__lte=now + dt.timedelta(hours=hours))
        .select_related("network")
        .order_by("start", "pk")
    )
    sent: list[tuple[Meeting, Person]] = []
    for meeting in meetings:
        for person in reminder_recipients(meeting):
            if dry_run:
                sent.append((meeting, person))
                continue
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        SentMessage.objects.create(meeting=meeting, person=person, kind=REMINDER)
                except IntegrityError:
                    continue  # another run got there first
                with override(settings.LANGUAGE_CODE):
                    context = _email_context(meeting, person)
                    subject = _("Reminder: %(title)s, %(when)s") % {
                        "title": meeting.title,
                        "when": context["local_start"].strftime("%Y-%m-%d %H:%M"),
                    }
                    body = render_to_string("meetings/email/reminder.txt", context)
                EmailMessage(subject, body, None, [person.email]).send()
                Invitation.objects.filter(meeting=meeting, person=person).update(reminded_at=now)
            sent.append((meeting, person))
    if not dry_run:
        logger.info("%d meeting reminders sent", len(sent))
    return sent


# Calendar feeds ------------------------------------------------------------------------------
@transaction.atomic
def reset_feed_token(person: Person, *, acting_user: Any) -> FeedToken:
    """Give ``person`` a new secret feed address; the old address stops working."""
    if acting_user is None or getattr(acting_user, "pk", None) != person.user_id:
        raise ValidationError({NON_FIELD_ERRORS: _("Only you can reset your calendar feed.")})
    token = secrets.token_urlsafe(32)
    feed, _created = FeedToken.objects.update_or_create(person=person, defaults={"token": token})
    return feed


def feed_member_networks(person: Person) -> QuerySet:
    """Networks in which ``person`` counts as a member: their organisation belongs, or their
    account has a role."""
    condition = Q(
        pk__in=Membership.objects.current()
        .filter(organisation_id=person.organisation_id)
        .values("network_id")
    )
    if person.user_id:
        condition |= Q(roles__user_id=person.user_id)
    return Network.objects.filter(condition).distinct()


# Attendance ----------------------------------------------------------------------------------
@transaction.atomic
def record_attendance(
    meeting: Meeting,
    person: Any,
    *,
    organisation: Any = None,
    source: str = AttendanceSource.CHECK_IN,
    invited: bool = True,
    at: dt.datetime | None = None,
    acting_user: Any = None,
) -> tuple[Attendance, bool]:
    """Record that ``person`` attended; recording twice changes nothing.

    Returns the attendance and whether it is new. The organisation defaults to the one the
    person works for now, kept with the attendance so later moves do not rewrite history.
    """
    existing = Attendance.objects.filter(meeting=meeting, person=person).first()
    if existing is not None:
        return existing, False
    attendance = Attendance.objects.create(
        meeting=meeting,
        person=person,
        organisation=organisation if organisation is not None else person.organisation,
        source=source,
        invited=invited,
        checked_in_at=at or (timezone.now() if source == AttendanceSource.CHECK_IN else None),
    )
    return attendance, True


def clock(network: Any, now: dt.datetime | None = None) -> str:
    """The next moment a meeting of ``network`` (or an id) starts, ends or closes registration.

    Pages that say which meetings are upcoming or open for registration are cached with
    this in their key (``core.pagecache``), so they change when one of those moments
    passes. The moment itself is cached under the data version, and read again once it
    has come (whatever the cache's own expiry, which a shared cache keeps by its clock).
    """
    network_id = network if isinstance(network, int) else network.pk
    key = f"netweave:meeting-clock:{network_id}:{data_version(network_id)}"
    now = now or timezone.now()
    moment = cache.get(key, "unknown")
    if moment == "unknown" or (moment is not None and moment <= now):
        found = Meeting.objects.filter(network_id=network_id).aggregate(
            start=Min("start", filter=Q(start__gt=now)),
            # a meeting is past once its end has gone by, so its end itself counts
            end=Min("end", filter=Q(end__gte=now)),
            closes=Min("registration_closes", filter=Q(registration_closes__gt=now)),
        )
        coming = [value for value in found.values() if value is not None]
        moment = min(coming) if coming else None
        timeout = min(TTL, (moment - now).total_seconds()) if moment else TTL
        cache.set(key, moment, max(1, int(timeout) + 1))
    return moment.isoformat() if moment else "none"
