"""Reports read other apps' data and own no tables; this holds only the permission to see aggregates."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportPermissions(models.Model):
    """No table: carries the `reports.view_aggregates` permission that analysts hold."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_aggregates", _("Can see aggregate statistics (no personal data)"))]

    def __str__(self) -> str:
        return "report permissions"
