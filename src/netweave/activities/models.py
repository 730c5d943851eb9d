"""Joint activities of a network: who does what with whom, and who pays in which currency."""

from __future__ import annotations

import uuid

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from netweave.activities.currencies import CURRENCY_CHOICES
from netweave.core.models import TimeStampedModel

DEFAULT_REPORTING_CURRENCY = "USD"


class ActivityKind(models.TextChoices):
    RESEARCH = "research", _("Research")
    PILOT = "pilot", _("Pilot")
    EVALUATION = "evaluation", _("Evaluation")
    TRAINING = "training", _("Training")
    ADVOCACY = "advocacy", _("Advocacy")
    POLICY_BRIEF = "policy_brief", _("Policy brief")
    OTHER = "other", _("Other")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class JointActivity(TimeStampedModel):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="joint_activities"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    topics = models.ManyToManyField(
        "directory.Topic", blank=True, related_name="joint_activities", verbose_name=_("topics")
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus, default=ActivityStatus.PLANNED
    )
    task_group = models.ForeignKey(
        "governance.TaskGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="joint_activities",
        verbose_name=_("task group"),
        help_text=_("The task group the activity came from, if any."),
    )
    request = models.ForeignKey(
        "governance.MemberRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="joint_activities",
        verbose_name=_("member request"),
        help_text=_("The member request the activity came from, if any."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start", "title"]
        verbose_name = _("joint activity")
        verbose_name_plural = _("joint activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="activity_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["network", "kind", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", kwargs={"network": self.network.slug, "uid": self.uid})


class ActivityOutput(TimeStampedModel):
    """What an activity produced: a link or an uploaded file (the library takes them over)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activity = models.ForeignKey(JointActivity, on_delete=models.CASCADE, related_name="outputs")
    title = models.CharField(_("title"), max_length=250)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to="activities/outputs/", blank=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("activity output")
        verbose_name_plural = _("activity outputs")
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(file=""), name="activity_output_link_or_file"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ParticipationRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    CO_IMPLEMENTER = "co_implementer", _("Co-implementer")
    FUNDER = "funder", _("Funder")
    TECHNICAL_PARTNER = "technical_partner", _("Technical partner")


class Participation(models.Model):
    activity = models.ForeignKey(
        JointActivity, on_delete=models.CASCADE, related_name="participations"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="activity_participations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=ParticipationRole)

    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "organisation__name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "organisation", "role"], name="participation_once_per_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()}) in {self.activity}"


class ContributionKind(models.TextChoices):
    MONEY = "money", _("Money")
    IN_KIND = "in_kind", _("In kind")


class Contribution(TimeStampedModel):
    """Money, or something in kind valued at an estimate, that one organisation gives.

    For money ``amount`` is the sum given; in kind it is the estimated value, and
    ``description`` says what was given. ``year`` picks the exchange rate.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activity = models.ForeignKey(
        JointActivity, on_delete=models.CASCADE, related_name="contributions"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="activity_contributions",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=ContributionKind, default=ContributionKind.MONEY
    )
    amount = models.DecimalField(
        _("amount or estimated value"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    description = models.CharField(_("what is given in kind"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "organisation__name", "id"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="contribution_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.amount} {self.currency} ({self.year})"


class ExchangeRate(models.Model):
    """One unit of ``currency`` is worth ``rate`` units of the network's reporting currency."""

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="exchange_rates"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    rate = models.DecimalField(_("rate"), max_digits=18, decimal_places=8)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "currency"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "year", "currency"], name="one_rate_per_year_and_currency"
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: 1 {self.currency} = {self.rate}"


class ReportingCurrency(models.Model):
    """The currency a network's co-financing totals are reported in (USD until set)."""

    network = models.OneToOneField(
        "networks.Network", on_delete=models.CASCADE, related_name="reporting_currency"
    )
    currency = models.CharField(
        _("reporting currency"),
        max_length=3,
        choices=CURRENCY_CHOICES,
        default=DEFAULT_REPORTING_CURRENCY,
    )

    class Meta:
        verbose_name = _("reporting currency")
        verbose_name_plural = _("reporting currencies")

    def __str__(self) -> str:
        return f"{self.network}: {self.currency}"
