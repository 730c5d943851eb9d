"""Meetings of a network and who attended them.

This holds the core that imports and network analysis rely on (a meeting, its attendance);
agendas, invitations, registrations and minutes grow around it.
"""

from __future__ import annotations

import uuid

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
