"""The audit trail: who changed what (before and after) and who read whose personal record.

Both tables are append-only: rows are written by `pocketbook.audit.services` and never updated
or deleted by the application (the admin shows them read-only).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from pocketbook.core.models import ScopedManager


class Action(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")


class AppendOnlyModel(models.Model):
    """A row that may be inserted but never changed; seen by area like the record it is about (`for_user`).

    Rows of records without an area (users, tokens) carry no area code: only a superuser sees them.
    """

    area_field = "area_code"

    objects = ScopedManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("Audit rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit rows are append-only.")


class ObjectChange(AppendOnlyModel):
    """One change to one object: who, when, in which request, and the data before and after."""

    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, verbose_name=_("object type"), on_delete=models.PROTECT)
    object_id = models.CharField(_("object id"), max_length=64, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200)
    area_code = models.CharField(_("area code"), max_length=8, blank=True, db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("object change")
        verbose_name_plural = _("object changes")
        indexes = [models.Index(fields=["content_type", "object_id", "time"], name="audit_change_object_idx")]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.user_name} {self.action} {self.object_repr}"


class AccessLog(AppendOnlyModel):
    """One read of a person's record (or of a masked field such as a national ID)."""

    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, db_index=True)
    content_type = models.ForeignKey(ContentType, verbose_name=_("object type"), on_delete=models.PROTECT)
    object_id = models.CharField(_("object id"), max_length=64, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200)
    area_code = models.CharField(_("area code"), max_length=8, blank=True, db_index=True)
    purpose = models.CharField(_("what was read"), max_length=100)

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [models.Index(fields=["content_type", "object_id", "time"], name="audit_access_object_idx")]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.user_name} read {self.object_repr} ({self.purpose})"
