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
from django.urls import reverse
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


# Outcomes ------------------------------------------------------------------------------------
class OutcomeKind(models.TextChoices):
    LAW = "law", _("Law")
    REGULATION = "regulation", _("Regulation")
    POLICY = "policy", _("Policy")
    BUDGET = "budget", _("Budget")
    PRACTICE = "practice", _("Practice")
    ATTITUDE = "attitude", _("Attitude")


class Substantiation(models.TextChoices):
    PENDING = "pending", _("Pending")
    YES = "yes", _("Substantiated")
    NO = "no", _("Not substantiated")


class Outcome(TimeStampedModel):
    """An outcome-harvesting record: a change in a social actor that the network contributed to.

    The actor is an organisation of the directory (it may be outside the network) or, when
    it is not in the directory, a name. Substantiation records whether an independent source
    confirmed the change and the network's contribution.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="outcomes"
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("what changed"))
    kind = models.CharField(_("kind of change"), max_length=20, choices=OutcomeKind)
    actor_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcomes_as_actor",
        verbose_name=_("actor that changed (organisation)"),
    )
    actor_name = models.CharField(
        _("actor that changed (name)"),
        max_length=250,
        blank=True,
        help_text=_("When the actor is not in the directory."),
    )
    date = models.DateField(_("when"))
    place = models.CharField(_("where"), max_length=200, blank=True)
    significance = models.TextField(_("significance"), blank=True)
    contribution = models.TextField(_("the network's contribution"), blank=True)
    evidence_documents = models.ManyToManyField(
        "library.Document", blank=True, related_name="outcomes", verbose_name=_("evidence")
    )
    evidence_note = models.TextField(
        _("other evidence"), blank=True, help_text=_("Sources and links not in the library.")
    )
    substantiation = models.CharField(
        _("substantiated"), max_length=10, choices=Substantiation, default=Substantiation.PENDING
    )
    substantiated_by = models.CharField(
        _("substantiated by"),
        max_length=250,
        blank=True,
        help_text=_("The independent source that confirmed or disputed the outcome."),
    )
    substantiated_on = models.DateField(_("substantiated on"), null=True, blank=True)
    substantiation_note = models.TextField(_("substantiation note"), blank=True)
    meetings = models.ManyToManyField(
        "meetings.Meeting", blank=True, related_name="outcomes", verbose_name=_("meetings")
    )
    task_groups = models.ManyToManyField(
        "governance.TaskGroup", blank=True, related_name="outcomes", verbose_name=_("task groups")
    )
    activities = models.ManyToManyField(
        "activities.JointActivity",
        blank=True,
        related_name="outcomes",
        verbose_name=_("joint activities"),
    )
    consultations = models.ManyToManyField(
        "consultations.Consultation",
        blank=True,
        related_name="outcomes",
        verbose_name=_("consultations"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "title", "id"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.CheckConstraint(
                condition=Q(actor_organisation__isnull=False) | ~Q(actor_name=""),
                name="outcome_has_actor",
            ),
        ]
        indexes = [models.Index(fields=["network", "date"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "influence:outcome_detail", kwargs={"network": self.network.slug, "uid": self.uid}
        )

    @property
    def actor(self) -> str:
        if self.actor_organisation is not None:
            return self.actor_organisation.name
        return self.actor_name


# Indicators ----------------------------------------------------------------------------------
class IndicatorSource(models.TextChoices):
    COMPUTED = "computed", _("Computed from the data")
    ENTERED = "entered", _("Entered by hand")


class Indicator(TimeStampedModel):
    """An M&E indicator of a network: a baseline, yearly targets and yearly values.

    A computed indicator names a function of ``influence.indicators`` (``computation``)
    that counts its values from the network's data; an entered one has ``IndicatorValue``
    rows typed in by the facilitator.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("definition"), blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    source = models.CharField(
        _("values"), max_length=10, choices=IndicatorSource, default=IndicatorSource.ENTERED
    )
    computation = models.CharField(_("computed as"), max_length=40, blank=True)
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["network", "name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="indicator_name_unique"),
            models.CheckConstraint(
                condition=Q(source="entered", computation="")
                | (Q(source="computed") & ~Q(computation="")),
                name="indicator_computation_matches_source",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "influence:indicator_detail", kwargs={"network": self.network.slug, "uid": self.uid}
        )

    @property
    def is_computed(self) -> bool:
        return self.source == IndicatorSource.COMPUTED


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="one_target_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"


class IndicatorValue(TimeStampedModel):
    """A value of an entered indicator for one year, with where it comes from."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="entries")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="one_value_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"
