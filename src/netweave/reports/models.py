"""Report definitions: the wording a network gives its yearly report, and learning notes.

The figures of a report are never stored: they are computed from the records each time
(``netweave.reports.services.build_report``). What a facilitator adjusts is the template
around them: the title, an introduction and a closing, and for each section whether it
appears, in which order, under which heading and with which text. Section texts may name
the section's figures as ``{placeholder}``; the placeholders are checked when the template
is saved and filled with the computed values when the report is built.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from netweave.core.models import TimeStampedModel


class ReportTemplate(TimeStampedModel):
    """A network's wording for its yearly report (at most one per network)."""

    network = models.OneToOneField(
        "networks.Network",
        on_delete=models.CASCADE,
        related_name="report_template",
        verbose_name=_("network"),
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("May use {network} and {year}. Empty: “Annual report {year}”."),
    )
    introduction = models.TextField(_("introduction"), blank=True)
    closing = models.TextField(_("closing words"), blank=True)

    class Meta:
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")

    def __str__(self) -> str:
        return str(self.network)


class ReportSection(models.Model):
    """One section of a network's report template: shown or not, where, with which words."""

    template = models.ForeignKey(
        ReportTemplate,
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("template"),
    )
    key = models.CharField(_("section"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    enabled = models.BooleanField(_("included"), default=True)
    heading = models.CharField(_("heading"), max_length=200, blank=True)
    text = models.TextField(
        _("text"),
        blank=True,
        help_text=_("Shown above the section's figures; may name them as {placeholder}."),
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("report section")
        verbose_name_plural = _("report sections")
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="report_section_once")
        ]

    def __str__(self) -> str:
        return self.key


class LearningNote(TimeStampedModel):
    """What a network learned in a year, in a short structured form, written by its facilitator.

    Read across networks by the programme learning team (``reports.compare_networks``).
    """

    network = models.ForeignKey(
        "networks.Network",
        on_delete=models.CASCADE,
        related_name="learning_notes",
        verbose_name=_("network"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    title = models.CharField(_("title"), max_length=200)
    context = models.TextField(_("context"), blank=True, help_text=_("What the situation was."))
    what_worked = models.TextField(_("what worked"), blank=True)
    what_did_not = models.TextField(_("what did not work"), blank=True)
    lessons = models.TextField(_("lessons learned"))
    recommendations = models.TextField(_("recommendations for other networks"), blank=True)
    topics = models.ManyToManyField(
        "directory.Topic", blank=True, related_name="learning_notes", verbose_name=_("topics")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )

    class Meta:
        ordering = ["-year", "network__name"]
        verbose_name = _("learning note")
        verbose_name_plural = _("learning notes")
        constraints = [
            models.UniqueConstraint(fields=["network", "year"], name="learning_note_per_year")
        ]
        permissions = [
            ("compare_networks", _("Can compare networks across the programme")),
        ]

    def __str__(self) -> str:
        return f"{self.network} {self.year}: {self.title}"
