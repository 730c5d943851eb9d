"""Task groups: formed on members' requests, led by one member, joined by others.

Bodies, member requests and deliverables grow around these.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
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
