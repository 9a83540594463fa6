"""The social emergency service: LINE events as received and conversations per LINE user.

Incidents, units, responders, dispatches and SLA targets join these as the ESS issue lands.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LineEvent(models.Model):
    """One webhook event from LINE, stored exactly once (unique `webhookEventId`) before we answer 200.

    The raw JSON is kept as received; processing happens afterwards in a task, which marks the row.
    """

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        PROCESSED = "processed", _("processed")
        IGNORED = "ignored", _("ignored")
        FAILED = "failed", _("failed")

    webhook_event_id = models.CharField(_("webhook event id"), max_length=64, unique=True)
    event_type = models.CharField(_("event type"), max_length=40, db_index=True)
    source_type = models.CharField(_("source type"), max_length=20, blank=True)
    line_user_id = models.CharField(_("LINE user id"), max_length=64, blank=True, db_index=True)
    mode = models.CharField(_("mode"), max_length=20, blank=True)
    is_redelivery = models.BooleanField(_("redelivery"), default=False)
    event_timestamp = models.BigIntegerField(_("LINE timestamp (ms)"), null=True, blank=True)
    destination = models.CharField(_("bot user id"), max_length=64, blank=True)
    payload = models.JSONField(_("event as received"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("LINE event")
        verbose_name_plural = _("LINE events")

    def __str__(self) -> str:
        return f"{self.event_type} {self.webhook_event_id}"


class LineConversation(models.Model):
    """Where the chat with one LINE user stands; the state expires after a while of silence."""

    line_user_id = models.CharField(_("LINE user id"), max_length=64, unique=True)
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    is_following = models.BooleanField(_("following"), default=True)
    state = models.CharField(_("state"), max_length=40, default="idle")
    data = models.JSONField(_("answers so far"), default=dict, blank=True)
    expires_at = models.DateTimeField(_("state expires"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_at = models.DateTimeField(_("first contact"), auto_now_add=True)

    class Meta:
        verbose_name = _("LINE conversation")
        verbose_name_plural = _("LINE conversations")

    def __str__(self) -> str:
        return f"{self.line_user_id} ({self.state})"
