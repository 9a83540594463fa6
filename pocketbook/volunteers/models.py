"""The volunteer network: the registry, caseloads and their history, visit schedules, and training projects
(training_models.py, re-exported here).

National IDs are kept exactly as the pocketbook keeps members' (encrypted, keyed hash, last digit shown).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pocketbook.core.fields import latitude_field, longitude_field
from pocketbook.core.models import ScopedManager, TimeStampedModel
from pocketbook.geo.models import area_code_validator
from pocketbook.households import national_id
from pocketbook.volunteers.choices import (
    AssignmentBatchKind,
    CadenceCondition,
    VisitKind,
    VolunteerStatus,
)
from pocketbook.volunteers.codes import CODE_ALPHABET as CODE_ALPHABET
from pocketbook.volunteers.codes import new_check_in_token as new_check_in_token
from pocketbook.volunteers.codes import random_code as random_code
from pocketbook.volunteers.training_models import Attendance as Attendance
from pocketbook.volunteers.training_models import Certificate as Certificate
from pocketbook.volunteers.training_models import OverlappingAreaQuerySet as OverlappingAreaQuerySet
from pocketbook.volunteers.training_models import Participant as Participant
from pocketbook.volunteers.training_models import TrainingManager as TrainingManager
from pocketbook.volunteers.training_models import TrainingProject as TrainingProject
from pocketbook.volunteers.training_models import TrainingSession as TrainingSession


class Volunteer(TimeStampedModel):
    """A community volunteer (อพม.): who they are, where they live and serve, and since when."""

    area_field = "home_area_code"

    title = models.CharField(_("title"), max_length=30, blank=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    national_id_encrypted = models.TextField(blank=True, editable=False)
    national_id_hash = models.CharField(max_length=64, blank=True, editable=False)
    national_id_last_digit = models.CharField(max_length=1, blank=True, editable=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    line_id = models.CharField(_("LINE ID"), max_length=50, blank=True)
    home_area_code = models.CharField(
        _("home village or subdistrict"), max_length=8, validators=[area_code_validator], db_index=True
    )
    started_on = models.DateField(_("volunteer since"), null=True, blank=True)
    term_ends_on = models.DateField(_("term ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=VolunteerStatus.choices, default=VolunteerStatus.ACTIVE, db_index=True
    )
    status_changed_on = models.DateField(_("status since"), null=True, blank=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer_profile",
    )
    # Households in charge now; kept by the assignment services in the same statement as the assignments.
    caseload = models.PositiveIntegerField(_("households in charge"), default=0, db_index=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["first_name", "last_name", "id"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        permissions = [("view_coverage", "Can see the coverage of households by volunteers")]
        constraints = [
            models.UniqueConstraint(
                fields=["national_id_hash"], condition=~Q(national_id_hash=""), name="volunteers_one_per_national_id"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.title + self.first_name, self.last_name) if part)

    @property
    def national_id_masked(self) -> str:
        return national_id.mask(self.national_id_last_digit)

    @property
    def is_active(self) -> bool:
        return self.status == VolunteerStatus.ACTIVE


class VolunteerArea(models.Model):
    """A village or subdistrict a volunteer serves."""

    area_field = "area_code"

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="areas")
    area_code = models.CharField(_("area served"), max_length=8, validators=[area_code_validator], db_index=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["area_code"]
        verbose_name = _("area served")
        verbose_name_plural = _("areas served")
        constraints = [models.UniqueConstraint(fields=["volunteer", "area_code"], name="volunteers_area_unique")]

    def __str__(self) -> str:
        return f"{self.volunteer_id} → {self.area_code}"


class AssignmentBatch(models.Model):
    """One assignment action (one household or thousands): who did it, when, and which households."""

    audit_personal_fields = ("reason",)  # free text that may name a household's people: kept out of the audit trail
    area_field = "area_code"

    kind = models.CharField(_("kind"), max_length=10, choices=AssignmentBatchKind.choices)
    area_code = models.CharField(_("area"), max_length=8, blank=True)
    to_volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("to volunteer"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("from volunteer"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    household_ids = models.JSONField(_("households"), default=list)
    household_count = models.PositiveIntegerField(_("number of households"), default=0)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("assignment action")
        verbose_name_plural = _("assignment actions")

    def __str__(self) -> str:
        return f"{self.kind} {self.household_count}"


class HouseholdAssignment(models.Model):
    """A volunteer in charge of a household from one date to another (open while `ended_on` is empty)."""

    area_field = "area_code"

    # A hand-over writes thousands of these rows at once, so each index must earn its keep: the household and
    # volunteer look-ups are served by the two composite indexes below, the rest is never searched on a page.
    household = models.ForeignKey("households.Household", on_delete=models.CASCADE, related_name="+", db_index=False)
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="assignments", db_index=False)
    area_code = models.CharField(_("area"), max_length=8)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_index=False,
    )
    batch = models.ForeignKey(
        AssignmentBatch, on_delete=models.SET_NULL, null=True, related_name="assignments", db_index=False
    )
    ended_batch = models.ForeignKey(
        AssignmentBatch, on_delete=models.SET_NULL, null=True, related_name="ended_assignments", db_index=False
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("household assignment")
        verbose_name_plural = _("household assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(ended_on__isnull=True), name="volunteers_one_open_assignment"
            ),
        ]
        indexes = [
            models.Index(fields=["volunteer", "ended_on"], name="volunteers_assign_vol_idx"),
            models.Index(fields=["household", "started_on"], name="volunteers_assign_hh_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} ← {self.volunteer_id} {self.started_on}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class VisitCadence(models.Model):
    """How often a household is visited when a condition holds: data, changed by the office, not code."""

    condition = models.CharField(_("applies to"), max_length=20, choices=CadenceCondition.choices, unique=True)
    interval_days = models.PositiveSmallIntegerField(
        _("days between visits"), validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    label_th = models.CharField(_("Thai label"), max_length=100)
    label_en = models.CharField(_("English label"), max_length=100)

    class Meta:
        ordering = ["interval_days"]
        verbose_name = _("visit cadence")
        verbose_name_plural = _("visit cadences")

    def __str__(self) -> str:
        return self.label_th


class VisitSchedule(models.Model):
    """The next visit due to one household in a volunteer's care (one row per household ever assigned)."""

    area_field = "area_code"

    household = models.OneToOneField(
        "households.Household", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.SET_NULL, null=True, related_name="schedules", db_index=False
    )  # served by the (volunteer, next visit) index
    area_code = models.CharField(_("area"), max_length=8, db_index=True)
    is_vulnerable = models.BooleanField(_("vulnerable household"), default=False)
    has_open_case = models.BooleanField(_("has an open case"), default=False)
    interval_days = models.PositiveSmallIntegerField(_("days between visits"), default=90)
    last_visit_on = models.DateField(_("last visit"), null=True, blank=True)
    next_visit_on = models.DateField(_("next visit"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("visit schedule")
        verbose_name_plural = _("visit schedules")
        indexes = [models.Index(fields=["volunteer", "next_visit_on"], name="volunteers_schedule_due_idx")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.next_visit_on}"


class Visit(TimeStampedModel):
    """One visit to a household: an assessment, or a short note, with the phone's position when it gave one."""

    area_field = "area_code"
    audit_personal_fields = ("note",)  # free text about the household's people: kept out of the audit trail

    household = models.ForeignKey("households.Household", on_delete=models.CASCADE, related_name="+")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.SET_NULL, null=True, related_name="visits")
    area_code = models.CharField(_("area"), max_length=8, db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=VisitKind.choices)
    visited_on = models.DateField(_("date of the visit"))
    note = models.TextField(_("note"), max_length=2000, blank=True)
    assessment_id = models.BigIntegerField(_("assessment"), null=True, blank=True)
    gps_lat = latitude_field()
    gps_lng = longitude_field()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    objects = ScopedManager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [
            models.Index(fields=["household", "visited_on"], name="volunteers_visit_hh_idx"),
            models.Index(fields=["volunteer", "visited_on"], name="volunteers_visit_vol_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.visited_on}"


class CoverageCount(models.Model):
    """Households, and households with a volunteer, per village (or subdistrict) code.

    `assigned` is kept exact by the assignment services; `households` is counted by `coverage_refresh` up to the
    watermark, and the coverage selector adds the households registered since (see caseloads.coverage_refresh).
    """

    area_code = models.CharField(max_length=8, primary_key=True)
    households = models.IntegerField(default=0)
    assigned = models.IntegerField(default=0)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("coverage count")
        verbose_name_plural = _("coverage counts")

    def __str__(self) -> str:
        return f"{self.area_code}: {self.assigned}"


class CoverageWatermark(models.Model):
    """The last household id `coverage_refresh` counted (one row)."""

    last_household_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("coverage watermark")
        verbose_name_plural = _("coverage watermarks")

    def __str__(self) -> str:
        return str(self.last_household_id)
