"""Partnerships between member organisations: what kind, who brings and gains what, where
each partner places it, and how healthy the partners find it.

Individual health-check answers (``HealthResponse``) are never shown to anyone: pages, the
API and the admin read them only as aggregates per dimension, and only when at least
``MIN_ANSWERS`` people answered a round (see ``services.health_trend``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from netweave.core.models import TimeStampedModel
from netweave.partnerships.validators import validate_agreement_file

# Fewer answers than this and a round's scores are not shown at all: with two answers, each
# respondent could work out the other's.
MIN_ANSWERS = 3
AXIS_MIN = Decimal("-1")
AXIS_MAX = Decimal("1")


class ArrangementType(models.Model):
    """One step on the spectrum network → alliance → partnership → consortium → joint venture.

    Seeded by a data migration; the texts are the installation's own and facilitators edit
    them. Seeded names and texts are marked with gettext_noop and translated on display
    until someone edits them.
    """

    slug = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position on the spectrum"), default=0)
    description = models.TextField(_("description"), blank=True)
    accountability = models.TextField(_("accountability"), blank=True)
    risk = models.TextField(_("risk"), blank=True)
    accountability_level = models.PositiveSmallIntegerField(
        _("accountability level"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (light) to 5 (heavy)."),
    )
    risk_level = models.PositiveSmallIntegerField(
        _("risk level"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (low) to 5 (high)."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("arrangement type")
        verbose_name_plural = _("arrangement types")

    def __str__(self) -> str:
        return self.name


class PartnershipStatus(models.TextChoices):
    EXPLORING = "exploring", _("Exploring")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


class Partnership(TimeStampedModel):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="partnerships"
    )
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    arrangement = models.ForeignKey(
        ArrangementType,
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=_("arrangement type"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PartnershipStatus, default=PartnershipStatus.ACTIVE
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    agreement_file = models.FileField(
        _("written agreement (file)"),
        upload_to="partnerships/agreements/%Y/",
        blank=True,
        validators=[validate_agreement_file],
        help_text=_("PDF or Word (.docx), at most 10 MB."),
    )
    agreement_url = models.URLField(
        _("written agreement (link)"),
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    divergence_threshold = models.DecimalField(
        _("divergence threshold"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal("0.05")), MaxValueValidator(Decimal("2.00"))],
        help_text=_("A partner this far from the average placement (axes run −1 to 1) is flagged."),
    )
    drop_threshold = models.DecimalField(
        _("drop threshold"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal("0.10")), MaxValueValidator(Decimal("4.00"))],
        help_text=_("A health score falling this much since the previous check is flagged."),
    )
    check_every_months = models.PositiveSmallIntegerField(
        _("health check every (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="partnership_end_after_start",
            ),
            models.UniqueConstraint(fields=["network", "name"], name="one_partnership_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "partnerships:detail", kwargs={"network": self.network.slug, "uid": self.uid}
        )

    @property
    def has_agreement(self) -> bool:
        return bool(self.agreement_file or self.agreement_url)

    def next_check_due(self, last_opened: dt.date | None) -> dt.date | None:
        """When the next health check is due, after a round that opened on ``last_opened``."""
        base = last_opened or self.start
        if base is None:
            return None
        month = base.month - 1 + self.check_every_months
        year = base.year + month // 12
        month = month % 12 + 1
        day = min(base.day, 28)
        return dt.date(year, month, day)


class PartnerRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    PARTNER = "partner", _("Partner")
    FUNDER = "funder", _("Funder")
    TECHNICAL = "technical", _("Technical partner")
    OPERATOR = "operator", _("Service operator")


class Partner(TimeStampedModel):
    """An organisation in a partnership; it must be a current member of the network."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="partnerships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=PartnerRole, default=PartnerRole.PARTNER
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership_id", "organisation__name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="one_partner_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership}"


class Direction(models.TextChoices):
    BRINGS = "brings", _("Brings")
    GAINS = "gains", _("Expects to gain")


class ContributionKind(models.TextChoices):
    FUNDS = "funds", _("Funds")
    EXPERTISE = "expertise", _("Expertise")
    REACH = "reach", _("Reach to communities")
    LEGITIMACY = "legitimacy", _("Legitimacy and mandate")
    DATA = "data", _("Data and knowledge")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    IN_KIND = "in_kind", _("In kind (staff, premises, goods)")
    INFLUENCE = "influence", _("Policy influence")
    OTHER = "other", _("Other")


class PartnerContribution(TimeStampedModel):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contributions")
    direction = models.CharField(_("direction"), max_length=10, choices=Direction)
    kind = models.CharField(_("kind"), max_length=20, choices=ContributionKind)
    description = models.CharField(_("description"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["partner_id", "direction", "kind", "id"]
        verbose_name = _("contribution or benefit")
        verbose_name_plural = _("contributions and benefits")

    def __str__(self) -> str:
        return (
            f"{self.partner.organisation}: {self.get_direction_display()} {self.get_kind_display()}"
        )


def axis_validators() -> list:
    return [MinValueValidator(AXIS_MIN), MaxValueValidator(AXIS_MAX)]


class Placement(TimeStampedModel):
    """Where one partner places the partnership on the two tension axes, on one day.

    Both axes run from −1 to 1: ``service_policy`` from service delivery (−1) to policy
    influence (1), ``regulation_innovation`` from regulating delivery (−1) to stimulating
    innovation (1). The target is where the partner wants it to be in a year.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="placements")
    placed_on = models.DateField(_("date"))
    service_policy = models.DecimalField(
        _("service delivery ↔ policy influence"),
        max_digits=3,
        decimal_places=2,
        validators=axis_validators(),
    )
    regulation_innovation = models.DecimalField(
        _("regulating delivery ↔ stimulating innovation"),
        max_digits=3,
        decimal_places=2,
        validators=axis_validators(),
    )
    target_service_policy = models.DecimalField(
        _("in a year: service delivery ↔ policy influence"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=axis_validators(),
    )
    target_regulation_innovation = models.DecimalField(
        _("in a year: regulating delivery ↔ stimulating innovation"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=axis_validators(),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["partner_id", "-placed_on"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.UniqueConstraint(fields=["partner", "placed_on"], name="one_placement_a_day"),
            models.CheckConstraint(
                condition=Q(service_policy__gte=-1, service_policy__lte=1)
                & Q(regulation_innovation__gte=-1, regulation_innovation__lte=1),
                name="placement_on_the_axes",
            ),
            models.CheckConstraint(
                condition=Q(
                    target_service_policy__isnull=True, target_regulation_innovation__isnull=True
                )
                | Q(
                    target_service_policy__isnull=False, target_regulation_innovation__isnull=False
                ),
                name="placement_target_has_both_axes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner.organisation} ({self.placed_on})"

    @property
    def has_target(self) -> bool:
        return self.target_service_policy is not None


class HealthCheckRoundQuerySet(models.QuerySet["HealthCheckRound"]):
    def open_on(self, day: dt.date) -> HealthCheckRoundQuerySet:
        return self.filter(opens__lte=day, closes__gte=day)


class HealthCheckRound(TimeStampedModel):
    """One periodic survey of a partnership's people; answers are accepted while it is open."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="rounds")
    opens = models.DateField(_("opens"))
    closes = models.DateField(_("closes"))
    due = models.DateField(
        _("answers due"), help_text=_("Partners who have not answered are reminded until then.")
    )

    objects = HealthCheckRoundQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership_id", "opens"]
        verbose_name = _("health check round")
        verbose_name_plural = _("health check rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gte=models.F("opens"))
                & Q(due__gte=models.F("opens"))
                & Q(due__lte=models.F("closes")),
                name="round_dates_in_order",
            ),
            models.UniqueConstraint(fields=["partnership", "opens"], name="one_round_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.opens}–{self.closes}"

    def is_open(self, day: dt.date) -> bool:
        return self.opens <= day <= self.closes


class HealthDimension(models.TextChoices):
    TRUST = "trust", _("Trust")
    VALUE = "value", _("Value of the partnership to us")
    COMMUNICATION = "communication", _("Communication")
    EQUITY = "equity", _("Equity of contribution and benefit")
    PURPOSE = "purpose", _("Shared purpose")


DIMENSIONS = [choice.value for choice in HealthDimension]


def score_field(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class HealthResponse(models.Model):
    """One person's answer to one round. Never shown as such: only aggregates are read."""

    round = models.ForeignKey(HealthCheckRound, on_delete=models.CASCADE, related_name="responses")
    # Kept only to refuse a second answer and to remind those who have not answered.
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    trust = score_field(_("trust"))
    value = score_field(_("value of the partnership to us"))
    communication = score_field(_("communication"))
    equity = score_field(_("equity of contribution and benefit"))
    purpose = score_field(_("shared purpose"))
    comments = models.TextField(_("comments"), blank=True)
    answered = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("health check answer")
        verbose_name_plural = _("health check answers")
        constraints = [
            models.UniqueConstraint(fields=["round", "respondent"], name="one_answer_per_round"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"health_{name}_1_to_5",
                )
                for name in DIMENSIONS
            ],
        ]

    def __str__(self) -> str:
        # Deliberately says nothing about who answered or what.
        return str(_("A health check answer"))


class HealthReminder(models.Model):
    """A reminder e-mailed for a round, remembered so that it is sent once."""

    round = models.ForeignKey(HealthCheckRound, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("health check reminder")
        verbose_name_plural = _("health check reminders")
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="one_reminder_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.round} → {self.user}"
