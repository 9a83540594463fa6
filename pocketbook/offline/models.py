"""The phones that keep a caseload offline, the records they have sent, and visit notes written in the field."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pocketbook.core.fields import latitude_field, longitude_field
from pocketbook.core.models import ScopedManager


class OfflineDevice(models.Model):
    """A phone (one browser's IndexedDB) that holds a volunteer's caseload; the office can revoke it."""

    device_id = models.UUIDField(_("device"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="offline_devices"
    )
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    first_seen_at = models.DateTimeField(_("first seen"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"))
    revoked_at = models.DateTimeField(_("offline access revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = models.Manager()

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = _("offline device")
        verbose_name_plural = _("offline devices")

    def __str__(self) -> str:
        return f"{self.user_id} {str(self.device_id)[:8]}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class SyncedRecord(models.Model):
    """A record a phone sent from its outbox, stored once: a retry with the same id finds it here."""

    client_id = models.UUIDField(_("id made on the phone"), unique=True)
    kind = models.CharField(_("kind"), max_length=40)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    device = models.ForeignKey(OfflineDevice, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    object_id = models.BigIntegerField(_("stored as"), null=True)
    stored_at = models.DateTimeField(_("stored at"), auto_now_add=True)

    objects = models.Manager()

    class Meta:
        ordering = ["-stored_at"]
        verbose_name = _("record sent from a phone")
        verbose_name_plural = _("records sent from phones")

    def __str__(self) -> str:
        return f"{self.kind} {self.client_id}"


class VisitNote(models.Model):
    """A visit note from the first offline app, kept as written: phones' visit notes are now volunteers' visits."""

    area_field = "household__area_code"
    audit_personal_fields = ("note",)  # free text about the household's people: kept out of the audit trail

    household = models.ForeignKey("households.Household", on_delete=models.CASCADE, related_name="visit_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    visited_on = models.DateField(_("visited on"))
    note = models.TextField(_("note"), max_length=2000)
    gps_lat = latitude_field()
    gps_lng = longitude_field()
    created_at = models.DateTimeField(auto_now_add=True)
    client_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    objects = ScopedManager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("visit note")
        verbose_name_plural = _("visit notes")

    def __str__(self) -> str:
        return f"{self.household_id} {self.visited_on}"


class SyncConflict(models.Model):
    """A phone's edit of a household or member that arrived after someone else changed it: kept until chosen.

    `phone_fields` holds only the fields the volunteer changed, as the server reads them (canonical JSON); a new
    national ID typed on the phone is kept encrypted beside them, never in the JSON. The volunteer resolves it on
    the phone (sending again, or taking the office's version) or the office resolves it on the conflicts page.
    """

    area_field = "household__area_code"
    audit_personal_fields = ("phone_fields", "phone_national_id_encrypted", "phone_national_id_last_digit")

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for a choice")
        RESOLVED = "resolved", _("resolved")

    class Resolution(models.TextChoices):
        OFFICE = "office", _("the office's version kept")
        PHONE = "phone", _("the phone's version taken")
        MIXED = "mixed", _("chosen field by field")

    client_id = models.UUIDField(_("id made on the phone"), unique=True)
    kind = models.CharField(_("kind"), max_length=40)
    household = models.ForeignKey("households.Household", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey("households.Member", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    device = models.ForeignKey(OfflineDevice, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    base_version = models.CharField(_("version the phone started from"), max_length=40)
    phone_fields = models.JSONField(_("the phone's changes"), default=dict)
    phone_national_id_encrypted = models.TextField(blank=True, editable=False)
    phone_national_id_last_digit = models.CharField(max_length=1, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.CharField(_("resolution"), max_length=10, choices=Resolution.choices, blank=True)
    taken_from_phone = models.JSONField(_("fields taken from the phone"), default=list, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("arrived at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("conflicting edit from a phone")
        verbose_name_plural = _("conflicting edits from phones")
        indexes = [models.Index(fields=["status", "created_at"], name="offline_conflict_open_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.client_id}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
