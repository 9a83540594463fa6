"""The social emergency service: incidents and their timeline, units, responders, dispatches, SLA targets,
subdistrict centroids, and the LINE events as received and conversations per LINE user.
"""

import secrets

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pocketbook.core.models import ScopedManager, ScopedQuerySet, TimeStampedModel, serving_q
from pocketbook.geo.models import area_code_validator
from pocketbook.incidents.choices import (
    ACTIVE_DISPATCH_STATUSES,
    OPEN_STATUSES,
    Channel,
    DispatchStatus,
    EventKind,
    IncidentType,
    Priority,
    SlaStep,
    Status,
    UnitKind,
)


class LineEvent(models.Model):
    """One webhook event from LINE, stored exactly once (unique `webhookEventId`) before we answer 200.

    The table is also the events' work queue: a worker claims events with a lease, handles each one and stores
    its answer in the same transaction as the flow's effects (status `answering`), then sends the answer and
    marks it `processed`. A lease that runs out (the worker died) lets another worker claim the event again.
    """

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        ANSWERING = "answering", _("handled, answer not sent yet")
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
    attempts = models.PositiveIntegerField(_("times claimed"), default=0, db_default=0)
    failures = models.PositiveIntegerField(_("failures"), default=0, db_default=0)
    leased_by = models.CharField(_("leased by worker"), max_length=64, blank=True, default="", db_default="")
    lease_until = models.DateTimeField(_("lease ends"), null=True, blank=True)
    not_before = models.DateTimeField(_("next attempt not before"), null=True, blank=True)
    answer = models.JSONField(_("answer to send"), null=True, blank=True)
    reply_tried_at = models.DateTimeField(_("reply token first used"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answer delivered"), null=True, blank=True)
    answered_via = models.CharField(_("answered by"), max_length=8, blank=True, default="", db_default="")

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("LINE event")
        verbose_name_plural = _("LINE events")
        indexes = [
            models.Index(
                fields=["line_user_id", "event_timestamp", "id"],
                name="incidents_lineevent_waiting",
                condition=models.Q(status__in=["received", "answering"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.webhook_event_id}"


class LineConversation(models.Model):
    """Where the chat with one LINE user stands; the state expires after a while of silence."""

    # The answers so far (place, description, photos) and the LINE identity stay out of the audit trail's copies.
    audit_personal_fields = ("line_user_id", "display_name", "data")

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


class IncidentSequence(models.Model):
    """The last incident number given out in one Buddhist-Era year (numbers restart every year)."""

    year = models.PositiveIntegerField(_("year (BE)"), primary_key=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("incident number sequence")
        verbose_name_plural = _("incident number sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


def _units_serving(area_codes: list[str]) -> models.QuerySet:
    """The ids of the units covering a place inside `area_codes` or an area enclosing them (a subquery)."""
    return UnitArea.objects.filter(serving_q("area_code", area_codes)).values("unit_id")


class UnitQuerySet(ScopedQuerySet):
    """A unit serves the areas it covers: a user sees the units covering a place inside their areas, or an area
    enclosing them (a district's operator sees the province's default unit)."""

    def area_condition(self, area_codes: list[str]) -> Q:
        return Q(pk__in=_units_serving(area_codes))


_UnitManagerBase = models.Manager.from_queryset(UnitQuerySet)


class UnitManager(_UnitManagerBase):
    """`Unit.objects.for_user(user, action)`: the units serving the user's areas."""


class ResponderQuerySet(ScopedQuerySet):
    """A responder is seen with their unit: by the users who see that unit."""

    def area_condition(self, area_codes: list[str]) -> Q:
        return Q(unit_id__in=_units_serving(area_codes))


_ResponderManagerBase = models.Manager.from_queryset(ResponderQuerySet)


class ResponderManager(_ResponderManagerBase):
    """`Responder.objects.for_user(user, action)`: the responders of the units serving the user's areas."""


class DispatchQuerySet(ScopedQuerySet):
    """A dispatch is seen where its incident is (inside the user's areas, or the province's code while the place
    is not known yet), and by the users who see the responder's unit (a unit sent across a district line)."""

    def area_condition(self, area_codes: list[str]) -> Q:
        return serving_q("incident__area_code", area_codes) | Q(responder__unit_id__in=_units_serving(area_codes))


_DispatchManagerBase = models.Manager.from_queryset(DispatchQuerySet)


class DispatchManager(_DispatchManagerBase):
    """`Dispatch.objects.for_user(user, action)`: the dispatches to places, or of units, serving the user's areas."""


class Unit(TimeStampedModel):
    """A team that answers incidents: a police station, the provincial social-development office, a 1300 team.

    It covers areas (`UnitArea`); routing picks the unit covering the most specific area of an incident.
    Among units covering the same province, the one marked `is_province_default` takes what cannot be placed.
    """

    kind = models.CharField(_("kind"), max_length=40, choices=UnitKind.choices)
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_province_default = models.BooleanField(_("default unit of its province"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("managers"), related_name="managed_units", blank=True
    )

    objects = UnitManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    @property
    def area_codes(self) -> list[str]:
        """The area codes this unit covers."""
        return sorted(area.area_code for area in self.areas.all())


class UnitArea(models.Model):
    """One area a unit covers (a province, district, subdistrict or village code)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="areas")
    area_code = models.CharField(_("area code"), max_length=8, validators=[area_code_validator], db_index=True)

    class Meta:
        verbose_name = _("area covered")
        verbose_name_plural = _("areas covered")
        constraints = [models.UniqueConstraint(fields=["unit", "area_code"], name="incidents_unitarea_unique")]

    def __str__(self) -> str:
        return f"{self.unit} → {self.area_code}"


class Responder(TimeStampedModel):
    """A user who goes out to incidents for a unit."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="responder_roles")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="responders")
    is_active = models.BooleanField(_("active"), default=True)

    objects = ResponderManager()

    class Meta:
        ordering = ["unit", "user__first_name"]
        verbose_name = _("responder")
        verbose_name_plural = _("responders")
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="incidents_responder_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.unit})"


class SlaTarget(models.Model):
    """How fast an incident of one priority must be acknowledged, dispatched and reached (minutes from receipt)."""

    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, unique=True)
    acknowledge_minutes = models.PositiveIntegerField(_("acknowledge within (minutes)"))
    dispatch_minutes = models.PositiveIntegerField(_("dispatch within (minutes)"))
    on_scene_minutes = models.PositiveIntegerField(_("on scene within (minutes)"))

    class Meta:
        ordering = ["acknowledge_minutes"]
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")

    def __str__(self) -> str:
        minutes = f"{self.acknowledge_minutes}/{self.dispatch_minutes}/{self.on_scene_minutes}"
        return f"{self.get_priority_display()}: {minutes}"

    def minutes_for(self, step: str) -> int:
        """The target for one step of the SLA."""
        return {
            SlaStep.ACKNOWLEDGE: self.acknowledge_minutes,
            SlaStep.DISPATCH: self.dispatch_minutes,
            SlaStep.ON_SCENE: self.on_scene_minutes,
        }[SlaStep(step)]


class Incident(TimeStampedModel):
    """A reported social emergency, from receipt to its outcome; `received_at` starts the SLA clock.

    The reporter's LINE id, phone and name are optional; an anonymous reporter is hidden from operators
    and never receives updates. `area_code` is the most specific area known (the province's code when
    the place is not known yet, with `location_to_confirm`).
    """

    # Left out of the audit trail's copies: the reporter, the place and what operators typed may name people.
    audit_personal_fields = (
        "reporter_name", "reporter_phone", "reporter_line_user_id", "address_text", "description", "people_involved",
        "outcome",
    )  # fmt: skip

    area_field = "area_code"

    number = models.CharField(_("number"), max_length=20, unique=True)
    incident_type = models.CharField(_("type"), max_length=30, choices=IncidentType.choices, db_index=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    reporter_line_user_id = models.CharField(_("reporter's LINE user id"), max_length=64, blank=True, db_index=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=40, blank=True)
    reporter_name = models.CharField(_("reporter's name"), max_length=200, blank=True)
    is_anonymous = models.BooleanField(_("reporter stays anonymous"), default=False)
    people_involved = models.TextField(_("people involved"), blank=True)
    description = models.TextField(_("description"), blank=True)
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    address_text = models.TextField(_("address"), blank=True)
    area_code = models.CharField(_("area code"), max_length=8, validators=[area_code_validator], db_index=True)
    location_to_confirm = models.BooleanField(_("location to confirm"), default=False)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="incidents"
    )
    received_at = models.DateTimeField(_("received"), db_index=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched"), null=True, blank=True)
    on_scene_at = models.DateTimeField(_("on scene"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    is_overdue = models.BooleanField(_("overdue"), default=False, db_index=True)
    escalated_steps = models.JSONField(_("SLA steps escalated"), default=list, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("household"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        indexes = [
            models.Index(fields=["status", "is_overdue", "received_at"], name="incidents_board_idx"),
            # The closed-incident search (reports): newest closed first, read page by page along these indexes
            # (the second when a type is chosen, the search's most common filter).
            models.Index(
                fields=["-closed_at", "-id"], name="incidents_closed_idx", condition=models.Q(closed_at__isnull=False)
            ),
            models.Index(
                fields=["incident_type", "-closed_at", "-id"],
                name="incidents_closed_type_idx",
                condition=models.Q(closed_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def audit_label(self) -> str:
        """The trail names an incident by its number."""
        return self.number

    def audit_redacted_fields(self) -> tuple[str, ...]:
        """An anonymous reporter stays anonymous in the audit trail too."""
        return ("reporter_name", "reporter_phone", "reporter_line_user_id") if self.is_anonymous else ()

    def reporter_label(self) -> str:
        """Who reported it, as operators may see it."""
        if self.is_anonymous:
            return str(_("Anonymous"))
        parts = [self.reporter_name, self.reporter_phone]
        if self.reporter_line_user_id:
            parts.append(str(_("LINE user")))
        return " · ".join(part for part in parts if part) or str(_("Not given"))


def incident_attachment_path(instance: "IncidentAttachment", filename: str) -> str:
    """A random name in the month's folder: an uploaded file's own name may name the people it shows."""
    extension = filename.rsplit(".", 1)[-1].lower()[:10] if "." in filename else "bin"
    return f"incidents/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{extension}"


class IncidentAttachment(models.Model):
    """A photo or file of an incident: uploaded, or a LINE message whose content is fetched from LINE."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=incident_attachment_path, blank=True)
    line_message_id = models.CharField(_("LINE message id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "line_message_id"],
                condition=~models.Q(line_message_id=""),
                name="incidents_attachment_line_unique",
            ),
        ]

    def __str__(self) -> str:
        return str(self.file.name) if self.file else f"LINE {self.line_message_id}"


class IncidentEvent(models.Model):
    """One entry of an incident's timeline: what happened, its parameters, who did it, when."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    params = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    time = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        ordering = ["time", "id"]
        verbose_name = _("incident event")
        verbose_name_plural = _("incident events")

    def __str__(self) -> str:
        return f"{self.incident} {self.kind}"


class Dispatch(TimeStampedModel):
    """A responder sent to an incident, and how far they have got."""

    # The instructions and the outcome may name the household's people: left out of the audit trail's copies.
    audit_personal_fields = ("note", "outcome")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="dispatches")
    responder = models.ForeignKey(Responder, on_delete=models.PROTECT, related_name="dispatches")
    status = models.CharField(
        _("status"), max_length=12, choices=DispatchStatus.choices, default=DispatchStatus.ASSIGNED, db_index=True
    )
    note = models.TextField(_("instructions"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    on_scene_at = models.DateTimeField(_("on scene"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    objects = DispatchManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")

    def __str__(self) -> str:
        return f"{self.incident} → {self.responder}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_DISPATCH_STATUSES


class SubdistrictCentroid(models.Model):
    """The centre point of a subdistrict, loaded with `load_centroids`, to place a reported point in an area."""

    area_field = "subdistrict_code"

    subdistrict_code = models.CharField(_("subdistrict code"), max_length=6, primary_key=True)
    latitude = models.FloatField(_("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(_("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)])
    source = models.CharField(_("source"), max_length=200, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("subdistrict centroid")
        verbose_name_plural = _("subdistrict centroids")
        indexes = [models.Index(fields=["latitude", "longitude"], name="incidents_centroid_idx")]

    def __str__(self) -> str:
        return f"{self.subdistrict_code} ({self.latitude:.4f}, {self.longitude:.4f})"
