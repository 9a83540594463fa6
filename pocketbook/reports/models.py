"""The reports app's own tables: the aggregate counters its pages read, and the permission to see aggregates."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pocketbook.reports.export_models import ExportFormat, ExportJob, ExportStatus


class ReportPermissions(models.Model):
    """No table: carries the `reports.view_aggregates` permission that analysts and managers hold."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_aggregates", _("Can see aggregate statistics (no personal data)"))]

    def __str__(self) -> str:
        return "report permissions"


class Tally(models.Model):
    """One counter of a topic for an area (village up to the country) and a period; written only by tallies.py.

    `area_code` "" is the whole country; `parent_code` is the area one level up ("" for a province), so the
    children of X are the rows whose parent_code is X. `period` "" is the current state, "fy2569" a fiscal
    year (BE), "m2026-03" a Gregorian month.
    """

    topic = models.CharField(_("topic"), max_length=40)
    area_code = models.CharField(_("area code"), max_length=8, blank=True)
    parent_code = models.CharField(_("parent area code"), max_length=8, blank=True)
    period = models.CharField(_("period"), max_length=10, blank=True)
    key = models.CharField(_("what is counted"), max_length=80)
    value = models.BigIntegerField(_("value"), default=0)

    objects = models.Manager()

    class Meta:
        verbose_name = _("aggregate counter")
        verbose_name_plural = _("aggregate counters")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["topic", "area_code", "period", "key"], name="reports_tally_unique")
        ]
        indexes = [models.Index(fields=["topic", "period", "parent_code"], name="reports_tally_children")]

    def __str__(self) -> str:
        return f"{self.topic} {self.area_code or '-'} {self.period or '-'} {self.key} = {self.value}"


__all__ = ["ExportFormat", "ExportJob", "ExportStatus", "ReportPermissions", "Tally"]
