"""Influence: what changed because of the network, how it is tracked, and who sways a goal.

- Influence mapping: an InfluenceGoal (a tariff reform, a draft law) and dated
  InfluenceAssessments of each relevant organisation's influence on it (1–5) and position
  (opposes … supports) — the influence towers of Net-Map; the latest assessment per
  organisation is the current one.
- Outcomes (outcome harvesting) and M&E indicators are defined below.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from netweave.core.models import TimeStampedModel


# Influence mapping ---------------------------------------------------------------------------
class InfluenceGoal(TimeStampedModel):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="influence_goals"
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["network", "title"]
        verbose_name = _("influencing goal")
        verbose_name_plural = _("influencing goals")

    def __str__(self) -> str:
        return self.title


class Position(models.IntegerChoices):
    OPPOSES = -2, _("Opposes")
    LEANS_AGAINST = -1, _("Leans against")
    UNDECIDED = 0, _("Undecided")
    LEANS_TOWARDS = 1, _("Leans towards")
    SUPPORTS = 2, _("Supports")


class InfluenceAssessment(TimeStampedModel):
    goal = models.ForeignKey(InfluenceGoal, on_delete=models.CASCADE, related_name="assessments")
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="influence_assessments",
        verbose_name=_("organisation"),
    )
    influence = models.PositiveSmallIntegerField(
        _("influence"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    position = models.SmallIntegerField(_("position"), choices=Position)
    assessed_on = models.DateField(_("assessed on"))
    note = models.TextField(_("note"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["goal", "organisation", "-assessed_on"]
        verbose_name = _("influence assessment")
        verbose_name_plural = _("influence assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "organisation", "assessed_on"], name="one_assessment_per_day"
            ),
            models.CheckConstraint(
                condition=Q(influence__gte=1, influence__lte=5), name="influence_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=-2, position__lte=2), name="position_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.goal}"
