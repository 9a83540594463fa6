"""The export jobs: one file of one list, written in the background for one user and kept until it expires."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pocketbook.core.exports import export_get


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Writing")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel"


class ExportJob(models.Model):
    """One export of a list under the filters on screen; only its owner may download the file, until it expires.

    `filters` holds the page's filters as the list understood them (a search stays encrypted); `file_name` is
    relative to settings.EXPORTS_DIR, outside the static and media files, so no web server serves it directly.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    list_key = models.CharField(_("list"), max_length=40)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    language = models.CharField(_("language"), max_length=8, default="th")
    buddhist_era = models.BooleanField(_("dates in the Buddhist Era"), default=True)
    status = models.CharField(_("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows to write"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    error = models.CharField(_("why it failed"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), db_index=True)

    objects = models.Manager()

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]
        default_permissions = ()
        indexes = [models.Index(fields=["user", "created_at"], name="reports_export_user_idx")]

    def __str__(self) -> str:
        return f"export {self.list_key} {self.format} #{self.pk}"

    @property
    def percent(self) -> int:
        """How far the file is written, 0 to 100."""
        if self.status == ExportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)

    @property
    def list_label(self) -> str:
        """The list's name as its app registered it (the key when the list is no longer registered)."""
        export = export_get(self.list_key)
        return str(export.label) if export else self.list_key

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED, ExportStatus.EXPIRED)
