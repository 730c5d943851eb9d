"""Consultations: a document put to the network, members' comments, the coordinated feedback.

A consultation belongs to a network and is owned by an organisation that may stand outside
it (a development bank presenting its research). Members comment section by section on
behalf of their organisations; the facilitator groups the comments into recommendations,
each traceable to the comments behind it, and exports the coordinated feedback to the owner,
who answers recommendation by recommendation.
"""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from netweave.core.models import TimeStampedModel


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    PUBLISHED = "published", _("Synthesis published")


class Phase(models.TextChoices):
    """Where a consultation stands now: its status read against its dates."""

    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Opens soon")
    OPEN = "open", _("Open for comments")
    CLOSED = "closed", _("Closed")
    PUBLISHED = "published", _("Synthesis published")


class Audience(models.TextChoices):
    ALL = "all", _("All member organisations")
    SECTORS = "sectors", _("Member organisations of chosen sectors")
    TASK_GROUPS = "task_groups", _("Members of chosen task groups")


class ConsultationQuerySet(models.QuerySet["Consultation"]):
    def published(self) -> ConsultationQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, access) -> ConsultationQuerySet:
        """What ``access`` may read: everything for those who run or steer the network,
        every consultation put to members for focal points, published syntheses for others."""
        if access.is_facilitator or access.is_steering:
            return self
        if access.is_focal_point:
            return self.exclude(status=Status.DRAFT)
        if access.authenticated and access.has_role:
            return self.published()
        return self.none()


class Consultation(TimeStampedModel):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="consultations"
    )
    owner = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="owned_consultations",
        verbose_name=_("owner organisation"),
        help_text=_("Whose document this is; it may stand outside the network."),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    documents = models.ManyToManyField(
        "library.Document",
        blank=True,
        related_name="consultations",
        verbose_name=_("documents under consultation"),
    )
    opens = models.DateTimeField(_("opens"))
    closes = models.DateTimeField(_("closes"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    audience = models.CharField(_("invited"), max_length=20, choices=Audience, default=Audience.ALL)
    sectors = models.ManyToManyField(
        "directory.Sector", blank=True, related_name="+", verbose_name=_("invited sectors")
    )
    task_groups = models.ManyToManyField(
        "governance.TaskGroup",
        blank=True,
        related_name="consultations",
        verbose_name=_("invited task groups"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.DRAFT)
    open_discussion = models.BooleanField(
        _("participants see and endorse each other's comments while it is open"), default=True
    )
    synthesis_note = models.TextField(_("introduction to the synthesis"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ConsultationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opens", "-id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")), name="consultation_closes_after_opens"
            ),
        ]
        indexes = [models.Index(fields=["network", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "consultations:detail", kwargs={"network": self.network.slug, "uid": self.uid}
        )

    def phase(self, now: dt.datetime | None = None) -> str:
        """The status read against the clock: an open consultation past its close is closed."""
        now = now or timezone.now()
        if self.status == Status.OPEN:
            if now < self.opens:
                return Phase.SCHEDULED
            if now >= self.closes:
                return Phase.CLOSED
            return Phase.OPEN
        return self.status

    def get_phase_display(self) -> str:
        return str(Phase(self.phase()).label)

    def accepts_comments(self, now: dt.datetime | None = None) -> bool:
        return self.phase(now) == Phase.OPEN

    @property
    def is_closed(self) -> bool:
        return self.phase() in (Phase.CLOSED, Phase.PUBLISHED)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def local_opens(self) -> dt.datetime:
        return self.opens.astimezone(self.tz)

    @property
    def local_closes(self) -> dt.datetime:
        return self.closes.astimezone(self.tz)


class Section(models.Model):
    """A part of the document under consultation, in reading order; members comment on it."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    heading = models.CharField(_("heading"), max_length=300)
    body = models.TextField(
        _("text or excerpt"),
        blank=True,
        help_text=_("Paragraphs, lists and links are kept; anything else is removed."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.heading


class CommentKind(models.TextChoices):
    SUPPORT = "support", _("Support")
    CONCERN = "concern", _("Concern")
    SUGGESTION = "suggestion", _("Suggestion")
    QUESTION = "question", _("Question")


class Comment(TimeStampedModel):
    """What one organisation says about one section; attributable to the organisation."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="comments")
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="consultation_comments",
        verbose_name=_("on behalf of"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=CommentKind)
    text = models.TextField(_("comment"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["section", "organisation"])]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.text[:60]}"


class Endorsement(models.Model):
    """Another organisation stands behind a comment (once per organisation)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="endorsements")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "organisation"], name="one_endorsement_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} endorses {self.comment_id}"


class Response(models.TextChoices):
    PENDING = "pending", _("Pending")
    TAKEN_UP = "taken_up", _("Taken up")
    PARTLY = "partly", _("Partly taken up")
    NOT_TAKEN_UP = "not_taken_up", _("Not taken up")


class Recommendation(TimeStampedModel):
    """The network's synthesised advice, traceable to the comments that support it."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="recommendations"
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("section"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("recommendation"))
    comments = models.ManyToManyField(
        Comment, blank=True, related_name="recommendations", verbose_name=_("supporting comments")
    )
    response = models.CharField(
        _("owner's response"), max_length=14, choices=Response, default=Response.PENDING
    )
    response_note = models.TextField(_("note on the response"), blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return self.text[:80]


class Dissent(TimeStampedModel):
    """An organisation that objects to a recommendation, and why."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="dissents"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    note = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("dissent")
        verbose_name_plural = _("dissents")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "organisation"], name="one_dissent_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} objects to {self.recommendation_id}"
