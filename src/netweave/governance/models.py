"""Task groups: formed on members' requests, led by one member, joined by others.

Bodies, member requests and deliverables grow around these.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from netweave.core.models import TimeStampedModel


class TaskGroupStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class TaskGroup(TimeStampedModel):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="task_groups"
    )
    name = models.CharField(_("name"), max_length=200)
    terms_of_reference = models.TextField(_("terms of reference"), blank=True)
    topics = models.ManyToManyField("directory.Topic", blank=True, related_name="task_groups")
    lead = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="led_task_groups",
        verbose_name=_("lead organisation"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TaskGroupStatus, default=TaskGroupStatus.ACTIVE
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("task group")
        verbose_name_plural = _("task groups")
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="task_group_name_unique"),
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="task_group_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "governance:task_group_detail",
            kwargs={"network": self.network.slug, "uid": self.uid},
        )


class TaskGroupMember(models.Model):
    """An organisation in a task group, with the people it sends (none: the whole organisation)."""

    task_group = models.ForeignKey(TaskGroup, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="task_group_seats"
    )
    people = models.ManyToManyField("directory.Person", blank=True, related_name="task_groups")
    joined = models.DateField(_("joined"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task group member")
        verbose_name_plural = _("task group members")
        constraints = [
            models.UniqueConstraint(
                fields=["task_group", "organisation"], name="task_group_member_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.task_group}"


# Member requests -------------------------------------------------------------------------
class Urgency(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted into a task group")
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Declined")


class MemberRequest(TimeStampedModel):
    """A need raised by a member organisation, triaged by the steering committee."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="member_requests"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="member_requests",
        verbose_name=_("raised by organisation"),
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("raised by"),
    )
    topic = models.ForeignKey(
        "directory.Topic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member_requests",
        verbose_name=_("topic"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency, default=Urgency.NORMAL)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus, default=RequestStatus.OPEN
    )
    task_group = models.ForeignKey(
        TaskGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("task group"),
    )
    answer = models.TextField(_("answer"), blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("member request")
        verbose_name_plural = _("member requests")
        indexes = [models.Index(fields=["network", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "governance:request_detail", kwargs={"network": self.network.slug, "uid": self.uid}
        )

    def age_days(self, today: dt.date | None = None) -> int:
        """Days since the request was raised."""
        today = today or timezone.localdate()
        return (today - timezone.localtime(self.created).date()).days


# Deliverables ----------------------------------------------------------------------------
class DeliverableStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class Deliverable(TimeStampedModel):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    task_group = models.ForeignKey(TaskGroup, on_delete=models.CASCADE, related_name="deliverables")
    title = models.CharField(_("title"), max_length=200)
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliverableStatus, default=DeliverableStatus.OPEN
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")

    def __str__(self) -> str:
        return self.title


def deliverable_upload_to(instance: DeliverableDocument, filename: str) -> str:
    return f"governance/deliverables/{instance.uid}/{filename}"


class DeliverableDocument(TimeStampedModel):
    """A file or a link that fulfils a deliverable (the document library takes these over)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=deliverable_upload_to, blank=True)
    url = models.URLField(_("link"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("deliverable document")
        verbose_name_plural = _("deliverable documents")
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="deliverable_document_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def file_name(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""


# Joining a task group --------------------------------------------------------------------
class JoinStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class TaskGroupJoinRequest(TimeStampedModel):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    task_group = models.ForeignKey(
        TaskGroup, on_delete=models.CASCADE, related_name="join_requests"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JoinStatus, default=JoinStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("request to join a task group")
        verbose_name_plural = _("requests to join a task group")
        constraints = [
            models.UniqueConstraint(
                fields=["task_group", "organisation"],
                condition=Q(status="pending"),
                name="one_pending_join_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.task_group}"


# Bodies ----------------------------------------------------------------------------------
class BodyKind(models.TextChoices):
    STEERING = "steering", _("Steering committee")
    OTHER = "other", _("Other standing body")


class Body(TimeStampedModel):
    """A standing body of the network, with a quorum and a target mix of sectors."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="bodies")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=BodyKind, default=BodyKind.OTHER)
    quorum = models.PositiveSmallIntegerField(
        _("quorum"), default=1, help_text=_("Seats that must be present for a valid meeting.")
    )
    sector_mix = models.JSONField(
        _("target sector mix"),
        default=dict,
        blank=True,
        help_text=_("Minimum seats per sector, by sector code."),
    )
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="body_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "governance:body_detail", kwargs={"network": self.network.slug, "uid": self.uid}
        )


class SeatQuerySet(models.QuerySet["Seat"]):
    def on(self, day: dt.date) -> SeatQuerySet:
        """Seats held on ``day``."""
        return self.filter(Q(start__isnull=True) | Q(start__lte=day)).filter(
            Q(end__isnull=True) | Q(end__gte=day)
        )


class Seat(TimeStampedModel):
    """A seat on a body, held by an organisation (and the person it sends) for a term."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="seats")
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="body_seats",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="body_seats",
        verbose_name=_("person"),
    )
    chair = models.BooleanField(_("chair"), default=False)
    start = models.DateField(_("term starts"), null=True, blank=True)
    end = models.DateField(_("term ends"), null=True, blank=True)

    objects = SeatQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-chair", "start", "id"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="seat_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} on {self.body}"
