"""Meetings of a network and who attended them.

This holds the core that imports and network analysis rely on (a meeting, its attendance);
agendas, invitations, registrations and minutes grow around it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from netweave.core.models import TimeStampedModel


class MeetingKind(models.TextChoices):
    COFFEE = "coffee", _("Coffee meeting")
    REGULAR = "regular", _("Regular network meeting")
    ROUNDTABLE = "roundtable", _("Roundtable")
    WORKSHOP = "workshop", _("Workshop")
    CONFERENCE = "conference", _("Conference")
    SPECIAL_EVENT = "special_event", _("Special event")
    TASK_GROUP = "task_group", _("Task-group meeting")
    STEERING = "steering", _("Steering committee")


class MeetingVisibility(models.TextChoices):
    MEMBERS = "members", _("Members only")
    PUBLIC = "public", _("Public")


class Confidentiality(models.TextChoices):
    ATTRIBUTABLE = "attributable", _("Attributable")
    CHATHAM_HOUSE = "chatham_house", _("Chatham House rule")


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def upcoming(self) -> MeetingQuerySet:
        return self.filter(end__gte=timezone.now()).order_by("start")

    def past(self) -> MeetingQuerySet:
        return self.filter(end__lt=timezone.now()).order_by("-start")


class Meeting(TimeStampedModel):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(
        _("type"), max_length=20, choices=MeetingKind, default=MeetingKind.REGULAR
    )
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    venue = models.CharField(_("venue"), max_length=250, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    host = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        verbose_name=_("host organisation"),
    )
    languages = models.CharField(_("languages"), max_length=100, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=MeetingVisibility, default=MeetingVisibility.MEMBERS
    )
    confidentiality = models.CharField(
        _("minutes"), max_length=20, choices=Confidentiality, default=Confidentiality.ATTRIBUTABLE
    )
    description = models.TextField(_("description"), blank=True)
    registration_closes = models.DateTimeField(_("registration closes"), null=True, blank=True)
    task_group = models.ForeignKey(
        "governance.TaskGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("task group"),
    )
    body = models.ForeignKey(
        "governance.Body",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("body"),
        help_text=_("The standing body that meets, such as the steering committee."),
    )

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="meeting_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["network", "start"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.start:%Y-%m-%d})"

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("A meeting must end after it starts.")})

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", kwargs={"network": self.network.slug, "uid": self.uid})


class AttendanceSource(models.TextChoices):
    CHECK_IN = "check_in", _("Checked in on the day")
    REGISTRATION = "registration", _("From registrations")
    IMPORT = "import", _("Imported sign-in sheet")


class Attendance(models.Model):
    """A person present at a meeting, and the organisation they came for that day."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        "directory.Person", on_delete=models.CASCADE, related_name="attendance"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendance",
    )
    source = models.CharField(
        _("source"), max_length=20, choices=AttendanceSource, default=AttendanceSource.CHECK_IN
    )
    invited = models.BooleanField(_("was invited"), default=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attends_once"),
        ]
        indexes = [
            models.Index(fields=["person", "meeting"]),
            models.Index(fields=["organisation", "meeting"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.meeting}"


class AgendaItemKind(models.TextChoices):
    SHOWCASE = "showcase", _("Showcase")
    PRESENTATION = "presentation", _("Presentation")
    DISCUSSION = "discussion", _("Discussion")
    DECISION = "decision", _("Decision")
    CONSULTATION = "consultation", _("Consultation")
    FOLLOW_UP = "follow_up", _("Follow-up")


class OfferStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AgendaOffer(TimeStampedModel):
    """A member's offer of an agenda item ("showcase our work", "raise an issue")."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="agenda_offers"
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offers",
        help_text=_("Leave empty for the next suitable meeting."),
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="agenda_offers"
    )
    person = models.ForeignKey(
        "directory.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=AgendaItemKind, default=AgendaItemKind.SHOWCASE
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    topics = models.ManyToManyField("directory.Topic", blank=True, related_name="+")
    duration_minutes = models.PositiveSmallIntegerField(_("minutes needed"), default=15)
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), default=1, help_text=_("0 (can wait) to 3 (urgent)")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=OfferStatus, default=OfferStatus.PROPOSED
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("agenda offer")
        verbose_name_plural = _("agenda offers")

    def __str__(self) -> str:
        return self.title


class AgendaVote(models.Model):
    """A member's vote for a proposed topic before the agenda is fixed."""

    offer = models.ForeignKey(AgendaOffer, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["offer", "voter"], name="one_vote_per_offer")
        ]

    def __str__(self) -> str:
        return f"{self.voter} for {self.offer}"


class AgendaItem(TimeStampedModel):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=AgendaItemKind, default=AgendaItemKind.PRESENTATION
    )
    topics = models.ManyToManyField("directory.Topic", blank=True, related_name="+")
    presenter_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    presenter_person = models.ForeignKey(
        "directory.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    duration_minutes = models.PositiveSmallIntegerField(_("minutes"), default=15)
    offer = models.OneToOneField(
        AgendaOffer, on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_item"
    )
    action_item = models.ForeignKey(
        "ActionItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting_id", "position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        "directory.Person", on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="invited_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} to {self.meeting}"


class Response(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    MAYBE = "maybe", _("Maybe")


class Registration(TimeStampedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        "directory.Person", on_delete=models.CASCADE, related_name="registrations"
    )
    response = models.CharField(_("attending"), max_length=10, choices=Response)
    access_needs = models.TextField(_("access needs"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="registers_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_response_display()}"


class Minutes(TimeStampedModel):
    """The minutes of a meeting: sanitised rich text, under the meeting's confidentiality rule."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField(_("minutes"), blank=True)
    published = models.BooleanField(_("published to members"), default=False)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return f"Minutes of {self.meeting}"


class Statement(models.Model):
    """A statement recorded in the minutes; under the Chatham House rule nobody sees who said it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="statements")
    position = models.PositiveIntegerField(default=0)
    speaker_person = models.ForeignKey(
        "directory.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    speaker_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("statement"))

    class Meta:
        ordering = ["meeting_id", "position", "id"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    def __str__(self) -> str:
        return self.text[:60]


class Decision(TimeStampedModel):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting_id", "position", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.text[:60]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class ActionItemQuerySet(models.QuerySet["ActionItem"]):
    def open(self) -> ActionItemQuerySet:
        return self.filter(status__in=OPEN_ACTION_STATUSES)

    def overdue(self, today=None) -> ActionItemQuerySet:
        return self.open().filter(due__lt=today or timezone.localdate())


class ActionItem(TimeStampedModel):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="action_items"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    title = models.CharField(_("action"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner_person = models.ForeignKey(
        "directory.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    owner_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus, default=ActionStatus.OPEN
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = ActionItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [models.Index(fields=["network", "status", "due"])]

    def __str__(self) -> str:
        return self.title


class FeedToken(models.Model):
    """The secret in a person's calendar-feed address; replacing it revokes the old address."""

    person = models.OneToOneField(
        "directory.Person", on_delete=models.CASCADE, related_name="feed_token"
    )
    token = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.person}"


class SentMessage(models.Model):
    """What was e-mailed about a meeting to whom, so a re-run never sends twice."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sent_messages")
    person = models.ForeignKey("directory.Person", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person", "kind"], name="sent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.person} about {self.meeting}"
