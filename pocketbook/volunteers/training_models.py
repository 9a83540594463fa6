"""Training projects of the volunteer network: sessions, participants, attendance and certificates.

`volunteers.models` re-exports these models (Django loads them from there).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pocketbook.core.models import ScopedQuerySet, TimeStampedModel, serving_q
from pocketbook.geo.models import area_code_validator
from pocketbook.volunteers.choices import (
    CheckInMethod,
    ParticipantRole,
    ProjectStatus,
)
from pocketbook.volunteers.codes import new_check_in_token, random_code


class OverlappingAreaQuerySet(ScopedQuerySet):
    """Training projects are run for a province or district: staff of any area inside it, or above it, work on it."""

    def area_condition(self, area_codes: list[str]) -> Q:
        return serving_q(getattr(self.model, "area_field", "area_code"), area_codes)


_TrainingManagerBase = models.Manager.from_queryset(OverlappingAreaQuerySet)


class TrainingManager(_TrainingManagerBase):
    """`for_user` for the training records: the project's area overlaps one of the user's areas."""


class TrainingProject(TimeStampedModel):
    """A training project for volunteers: what, who runs it, where, when, and the money."""

    area_field = "area_code"

    title = models.CharField(_("title"), max_length=300)
    objectives = models.TextField(_("objectives"), blank=True)
    organiser = models.CharField(_("organiser"), max_length=300)
    chair = models.CharField(_("chair (opens the project)"), max_length=300, blank=True)
    reporter = models.CharField(_("who gives the report"), max_length=300, blank=True)
    venue = models.CharField(_("venue"), max_length=300)
    area_code = models.CharField(_("area"), max_length=8, validators=[area_code_validator], db_index=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    budget_source = models.CharField(_("budget source"), max_length=300, blank=True)
    budget_fund = models.CharField(
        _("paying fund"),
        max_length=60,
        blank=True,
        help_text=_("The fund that pays, from the funding sources registry (e.g. cases.fund:12); empty: free text."),
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year (BE)"), validators=[MinValueValidator(2500), MaxValueValidator(2700)]
    )
    planned_amount = models.DecimalField(
        _("planned (baht)"), max_digits=12, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    spent_amount = models.DecimalField(
        _("spent (baht)"), max_digits=12, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    status = models.CharField(_("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # The last certificate number given; the next certificate takes this plus one (under a row lock).
    last_certificate_number = models.PositiveIntegerField(default=0, editable=False)

    objects = TrainingManager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("training project")
        verbose_name_plural = _("training projects")

    def __str__(self) -> str:
        return self.title


class TrainingSession(models.Model):
    """One session of a project: a topic at a time, with its speakers."""

    area_field = "project__area_code"

    project = models.ForeignKey(TrainingProject, on_delete=models.CASCADE, related_name="sessions")
    topic = models.CharField(_("topic"), max_length=300)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    speakers: Any = models.ManyToManyField("Participant", verbose_name=_("speakers"), blank=True, related_name="talks")

    objects = TrainingManager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return self.topic


class Participant(TimeStampedModel):
    """A person registered for a project, in a role; a volunteer of the registry or someone from outside."""

    area_field = "project__area_code"

    project = models.ForeignKey(TrainingProject, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(_("role"), max_length=10, choices=ParticipantRole.choices, db_index=True)
    volunteer = models.ForeignKey(
        "Volunteer", verbose_name=_("volunteer"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=30, blank=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    check_in_token = models.CharField(max_length=40, unique=True, default=new_check_in_token, editable=False)
    pre_test_score = models.DecimalField(
        _("pre-test score"), max_digits=5, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    post_test_score = models.DecimalField(
        _("post-test score"), max_digits=5, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )

    objects = TrainingManager()

    class Meta:
        ordering = ["role", "first_name", "last_name", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "volunteer"],
                condition=Q(volunteer__isnull=False),
                name="volunteers_participant_once",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.title + self.first_name, self.last_name) if part)


class Attendance(models.Model):
    """A participant's check-in to one session: once only, by whom, how and when."""

    area_field = "session__project__area_code"

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attendances")
    checked_in_at = models.DateTimeField(_("checked in at"))
    method = models.CharField(_("how"), max_length=10, choices=CheckInMethod.choices)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    objects = TrainingManager()

    class Meta:
        ordering = ["checked_in_at", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="volunteers_attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} @ {self.session_id}"


class Certificate(models.Model):
    """A certificate of attendance: a running number within its project and a public verification code."""

    area_field = "project__area_code"

    project = models.ForeignKey(TrainingProject, on_delete=models.CASCADE, related_name="certificates")
    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="certificate")
    number = models.PositiveIntegerField(_("number"))
    code = models.CharField(_("verification code"), max_length=16, unique=True, default=random_code)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = TrainingManager()

    class Meta:
        ordering = ["project_id", "number"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="volunteers_certificate_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}/{self.project_id}"
