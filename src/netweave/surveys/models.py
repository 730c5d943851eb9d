"""The yearly network survey: each member organisation rates its ties to the others.

A round per network and year; a rating per (round, rater, rated) pair on three 1–5 scales
(how often they work together, trust, value of the tie). Survey ties are a graph source of
the analysis app; trust and value are tracked per organisation and network over the years.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from netweave.core.models import TimeStampedModel

SCALE_MIN, SCALE_MAX = 1, 5
SCALE = [MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)]
MEASURES = ("frequency", "trust", "value")
# A focal point sees the averages their organisation received only when at least this many
# organisations rated it, so that no single rating can be read back from an average.
MIN_RATERS = 3


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class SurveyRound(TimeStampedModel):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="survey_rounds"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    opens = models.DateField(_("opens"), null=True, blank=True)
    closes = models.DateField(_("closes"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus, default=RoundStatus.DRAFT
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["network", "-year"]
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        constraints = [
            models.UniqueConstraint(fields=["network", "year"], name="one_survey_round_per_year"),
            models.CheckConstraint(
                condition=Q(closes__isnull=True)
                | Q(opens__isnull=True)
                | Q(closes__gte=F("opens")),
                name="survey_round_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title or str(self.year)

    def get_absolute_url(self) -> str:
        return reverse(
            "surveys:round_detail", kwargs={"network": self.network.slug, "uid": self.uid}
        )

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        """The days whose members are asked: the round's dates, else its calendar year."""
        return (
            self.opens or dt.date(self.year, 1, 1),
            self.closes or dt.date(self.year, 12, 31),
        )


class TieRating(TimeStampedModel):
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="tie_ratings_given",
        verbose_name=_("rating organisation"),
    )
    rated = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="tie_ratings_received",
        verbose_name=_("rated organisation"),
    )
    frequency = models.PositiveSmallIntegerField(_("how often"), validators=SCALE)
    trust = models.PositiveSmallIntegerField(_("trust"), validators=SCALE)
    value = models.PositiveSmallIntegerField(_("value of the tie"), validators=SCALE)
    comment = models.TextField(_("comment"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["round", "rater", "rated"]
        verbose_name = _("tie rating")
        verbose_name_plural = _("tie ratings")
        constraints = [
            models.UniqueConstraint(fields=["round", "rater", "rated"], name="one_rating_per_tie"),
            models.CheckConstraint(condition=~Q(rater=F("rated")), name="no_rating_of_oneself"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
                    name=f"tie_rating_{field}_1_to_5",
                )
                for field in ("frequency", "trust", "value")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rater} → {self.rated}"


class SurveyResponse(TimeStampedModel):
    """That an organisation answered a round, also when it named no tie at all.

    The response rate counts these rows; the ratings themselves are ``TieRating`` rows.
    """

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="survey_responses",
        verbose_name=_("organisation"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "organisation"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation"], name="one_survey_response_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.round}"
