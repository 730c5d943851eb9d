"""Base pieces shared by every domain app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        abstract = True


class ExportLog(models.Model):
    """One download of a network's records: who took what, when, with which filters, from where."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    network = models.ForeignKey(
        "networks.Network",
        on_delete=models.CASCADE,
        related_name="export_logs",
        verbose_name=_("network"),
    )
    kind = models.CharField(_("list"), max_length=60)
    format = models.CharField(_("format"), max_length=10)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=20, default="web")
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log")
        indexes = [models.Index(fields=["network", "-created"])]

    def __str__(self) -> str:
        return f"{self.username or '-'} {self.kind}.{self.format} {self.created:%Y-%m-%d %H:%M}"
