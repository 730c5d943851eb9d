"""The network's library: documents (an uploaded file or a link) and where they are attached.

Full-text search lives in ``search.py``; text extraction from PDF, DOCX and plain text in
``extract.py``. Other apps attach documents from their side (a consultation's documents,
an outcome's evidence) or through the attachment fields here (meetings, task groups,
activities), so dependencies keep pointing one way.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from netweave.core.lib.filetypes import ALLOWED, FileType, download_name
from netweave.core.models import TimeStampedModel


class DocumentKind(models.TextChoices):
    REPORT = "report", _("Report")
    POLICY_BRIEF = "policy_brief", _("Policy brief")
    PRESENTATION = "presentation", _("Presentation")
    RESEARCH = "research", _("Research")
    LEGISLATION = "legislation", _("Legislation")
    MINUTES = "minutes", _("Minutes")
    OTHER = "other", _("Other")


class TextStatus(models.TextChoices):
    """Whether the file's text could be read for search."""

    NONE = "none", _("No text to read")
    PENDING = "pending", _("Reading the text")
    READ = "read", _("Text read")
    EMPTY = "empty", _("No text found in the file")
    FAILED = "failed", _("The text could not be read")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    NETWORK = "network", _("Network members")
    TASK_GROUP = "task_group", _("Task group")


def document_upload_to(instance: Document, filename: str) -> str:
    # The stored name never comes from the uploader: the uid, and the checked extension.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"library/{instance.network_id}/{instance.uid}.{extension[:8]}"


class Document(TimeStampedModel):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind, default="other")
    language = models.CharField(
        _("language"), max_length=12, blank=True, help_text=_("An ISO 639 code such as en or ru.")
    )
    topics = models.ManyToManyField(
        "directory.Topic", blank=True, related_name="documents", verbose_name=_("topics")
    )
    author_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="authored_documents",
        verbose_name=_("author organisation"),
    )
    date = models.DateField(_("date"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=document_upload_to, blank=True, max_length=300)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    url = models.URLField(_("link"), blank=True, max_length=500)
    text = models.TextField(
        _("extracted text"), blank=True, editable=False, help_text=_("Text read from the file.")
    )
    text_status = models.CharField(
        _("text"), max_length=10, choices=TextStatus, default=TextStatus.NONE, editable=False
    )
    visibility = models.CharField(
        _("visibility"), max_length=12, choices=Visibility, default=Visibility.NETWORK
    )
    # PROTECT: a task group's own documents would otherwise lose their only audience.
    task_group = models.ForeignKey(
        "governance.TaskGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="library_documents",
        verbose_name=_("task group"),
        help_text=_("For documents visible to one task group only."),
    )
    meetings = models.ManyToManyField(
        "meetings.Meeting", blank=True, related_name="documents", verbose_name=_("meetings")
    )
    task_groups = models.ManyToManyField(
        "governance.TaskGroup",
        blank=True,
        related_name="documents_attached",
        verbose_name=_("task groups"),
    )
    activities = models.ManyToManyField(
        "activities.JointActivity",
        blank=True,
        related_name="documents",
        verbose_name=_("joint activities"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )

    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        ordering = ["-date", "title", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="library_document_file_or_link",
            ),
            models.CheckConstraint(
                condition=~Q(visibility="task_group") | Q(task_group__isnull=False),
                name="library_document_task_group_visibility",
            ),
            models.UniqueConstraint(
                fields=["network", "sha256"],
                condition=~Q(sha256=""),
                name="library_document_file_once_per_network",
            ),
        ]
        indexes = [models.Index(fields=["network", "kind", "date"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:detail", kwargs={"network": self.network.slug, "uid": self.uid})

    @property
    def is_file(self) -> bool:
        return bool(self.file)

    @property
    def filetype(self) -> FileType | None:
        """The checked type of the file (from its content at upload), or ``None``."""
        return next((t for t in ALLOWED.values() if t.content_type == self.content_type), None)

    @property
    def file_kind_label(self) -> str:
        """What the file is ("a PDF document"), in the reader's language."""
        filetype = self.filetype
        return filetype.label.translate(gettext) if filetype else ""

    @property
    def download_name(self) -> str:
        return download_name(self.original_name, self.filetype)

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None
