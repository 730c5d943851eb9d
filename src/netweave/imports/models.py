"""A spreadsheet brought into a network: its file, options, outcome and what undo needs."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from netweave.core.models import TimeStampedModel


class ImportKind(models.TextChoices):
    ORGANISATIONS = "organisations", _("Organisations")
    PEOPLE = "people", _("People")
    ATTENDANCE = "attendance", _("Attendance")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    PLANNING = "planning", _("Checking")
    PLANNED = "planned", _("Checked, waiting for confirmation")
    APPLYING = "applying", _("Importing")
    APPLIED = "applied", _("Imported")
    FAILED = "failed", _("Failed")
    UNDONE = "undone", _("Undone")


class RowOutcome(models.TextChoices):
    NEW = "new", _("new")
    UPDATE = "update", _("update")
    MERGED = "merged", _("duplicate merged")
    UNCHANGED = "unchanged", _("unchanged")
    REJECTED = "rejected", _("rejected")


def import_upload_to(record: ImportRecord, filename: str) -> str:
    return f"imports/{record.uid}/{filename}"


class ImportRecord(TimeStampedModel):
    """One uploaded file and its way through plan → preview → confirm → (undo).

    ``report`` lists ``{"row", "outcome", "column", "reason", "target"}`` entries: every
    row that needs attention (rejected, merged, updated, with a note) and the first plain
    rows. ``created_objects`` maps a model label to ``[[first_id, last_id], ...]`` ranges
    of the rows the import created; ``previous_values`` lists
    ``{"model", "pk", "fields": {name: value before}}`` for the rows it changed.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="imports"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind)
    file_name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to=import_upload_to, max_length=300)
    options = models.JSONField(_("options"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus, default=ImportStatus.UPLOADED
    )
    error = models.TextField(_("error"), blank=True)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    merged_count = models.PositiveIntegerField(_("merged"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    report = models.JSONField(_("report"), default=list, blank=True)
    report_omitted = models.PositiveIntegerField(
        _("rows left out of the report"), default=0, help_text=_("Plain new rows not listed.")
    )
    unknown_columns = models.JSONField(_("unknown columns"), default=list, blank=True)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    created_objects = models.JSONField(default=dict, blank=True, editable=False)
    previous_values = models.JSONField(default=list, blank=True, editable=False)

    history = HistoricalRecords(
        excluded_fields=["report", "created_objects", "previous_values", "rows_done"]
    )

    class Meta:
        ordering = ["-created"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["network", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file_name} ({self.network_id})"

    @property
    def counts(self) -> dict[str, int]:
        return {
            "created": self.created_count,
            "updated": self.updated_count,
            "merged": self.merged_count,
            "unchanged": self.unchanged_count,
            "rejected": self.rejected_count,
        }
