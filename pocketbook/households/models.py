"""Households, their members, consent and the household timeline: the family pocketbook's records.

A household without consent stays an anonymous record: its members keep only what statistics need
(sex, birth year, relation, the facts the indicators use), never a name, ID, phone, address or GPS.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pocketbook.core.fields import latitude_field, longitude_field
from pocketbook.core.models import ScopedManager, TimeStampedModel
from pocketbook.core.validators import person_name_validator
from pocketbook.geo.models import area_code_validator
from pocketbook.households import national_id
from pocketbook.households.choices import (
    ConsentPurpose,
    EducationLevel,
    HouseholdStatus,
    MemberStatus,
    NoIdReason,
    Relation,
    Sex,
)

MAX_AGE_YEARS = 120
# A month's income above this is a typing mistake (the importer and the assessment visit use the same line).
MAX_MONTHLY_INCOME = Decimal("10000000")


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Whole years between `birth_date` and `on`."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def _import_run_field(*, related_name: str, help_text: Any) -> models.ForeignKey:
    """The import run that last created or changed a record (None: written by hand, or before runs were kept)."""
    return models.ForeignKey(
        "ImportRun",
        verbose_name=_("last import"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name=related_name,
        help_text=help_text,
    )


class Household(TimeStampedModel):
    """A household (ครัวเรือน) in a village or subdistrict, looked after by a volunteer."""

    # Left out of the audit trail's copies (PDPA: erasure must leave none of them behind).
    audit_personal_fields = ("house_no", "address", "phone", "gps_lat", "gps_lng")

    area_field = "area_code"

    household_key = models.CharField(
        _("household key"),
        max_length=64,
        blank=True,
        help_text=_("The key an imported file uses for this household (for example the จปฐ. household code)."),
    )
    area_code = models.CharField(
        _("village or subdistrict"), max_length=8, validators=[area_code_validator], db_index=True
    )
    house_no = models.CharField(_("house number"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    gps_lat = latitude_field()
    gps_lng = longitude_field()
    status = models.CharField(
        _("status"), max_length=12, choices=HouseholdStatus.choices, default=HouseholdStatus.ACTIVE
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer in charge"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="households",
    )
    has_consent = models.BooleanField(_("consent given"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    import_run = _import_run_field(
        related_name="households", help_text=_("The import that last created or changed this household.")
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["area_code", "house_no", "id"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(
                fields=["household_key"], condition=~Q(household_key=""), name="households_household_key_unique"
            ),
        ]
        indexes = [models.Index(fields=["house_no"], name="households_house_no_idx")]

    def __str__(self) -> str:
        if not self.has_consent:
            return str(_("Anonymous household %(number)s")) % {"number": self.pk}
        return str(_("House %(house_no)s")) % {"house_no": self.house_no or "-"}

    @property
    def is_anonymous(self) -> bool:
        return not self.has_consent

    @property
    def subdistrict_code(self) -> str:
        return self.area_code[:6]

    def active_members(self) -> list[Member]:
        """Active members, from the prefetch cache when the selector filled it."""
        return [member for member in self.members.all() if member.status == MemberStatus.ACTIVE]

    @property
    def head(self) -> Member | None:
        """The active member whose relation is head of household."""
        for member in self.active_members():
            if member.relation == Relation.HEAD:
                return member
        return None


class Member(TimeStampedModel):
    """One person's membership of one household. Moving makes a new row; the old one keeps the history."""

    audit_personal_fields = ("title", "first_name", "last_name", "birth_date", "occupation", "national_id_last_digit")

    area_field = "household__area_code"

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    status = models.CharField(_("status"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.ACTIVE)
    status_date = models.DateField(_("since"), null=True, blank=True)
    moved_to = models.ForeignKey(
        "self", verbose_name=_("moved to"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(
        _("title"),
        max_length=30,
        blank=True,
        validators=[person_name_validator],
        help_text=_("นาย, นาง, นางสาว, เด็กชาย, เด็กหญิง or another title"),
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True, validators=[person_name_validator])
    last_name = models.CharField(_("last name"), max_length=100, blank=True, validators=[person_name_validator])
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    birth_year_only = models.BooleanField(
        _("only the birth year is kept"),
        default=False,
        help_text=_("Anonymous records keep 1 July of the birth year instead of the date."),
    )
    national_id_encrypted = models.TextField(blank=True, editable=False)
    national_id_hash = models.CharField(max_length=64, blank=True, editable=False)
    national_id_last_digit = models.CharField(max_length=1, blank=True, editable=False)
    no_id_reason = models.CharField(_("reason for no ID"), max_length=20, choices=NoIdReason.choices, blank=True)
    relation = models.CharField(_("relation to the head"), max_length=10, choices=Relation.choices)
    education_level = models.CharField(_("education level"), max_length=20, choices=EducationLevel.choices, blank=True)
    is_studying = models.BooleanField(_("studying now"), default=False)
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    monthly_income = models.DecimalField(
        _("monthly income (baht)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal("0"), message=_("Income cannot be negative.")),
            MaxValueValidator(
                MAX_MONTHLY_INCOME, message=_("This income is too large for a month; check the number.")
            ),
        ],
    )
    has_disability = models.BooleanField(_("has a disability"), default=False)
    has_disability_card = models.BooleanField(_("holds the disability card"), default=False)
    chronic_illness = models.BooleanField(_("has a chronic illness"), default=False)
    is_bedridden = models.BooleanField(_("bedridden"), default=False)
    is_pregnant = models.BooleanField(_("pregnant"), default=False)
    has_welfare_card = models.BooleanField(_("holds the state welfare card"), default=False)
    receives_elderly_allowance = models.BooleanField(_("receives the elderly allowance"), default=False)
    receives_disability_allowance = models.BooleanField(_("receives the disability allowance"), default=False)
    receives_child_support = models.BooleanField(_("receives the child support grant"), default=False)
    import_run = _import_run_field(
        related_name="members", help_text=_("The import that last created or changed this member.")
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["household_id", "id"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        permissions = [("unmask_national_id", "Can see national IDs unmasked")]
        constraints = [
            models.UniqueConstraint(
                fields=["national_id_hash"],
                condition=Q(status="active") & ~Q(national_id_hash=""),
                name="households_member_one_active_per_id",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(status="active", relation="head"),
                name="households_member_one_head",
            ),
        ]
        indexes = [
            models.Index(fields=["national_id_hash"], name="households_member_idhash_idx"),
            # Name-prefix search (selectors._prefix): pattern_ops lets PostgreSQL serve LIKE 'prefix%' under any
            # collation; other databases ignore opclasses and get a plain index, which serves their range form.
            models.Index(
                fields=["first_name", "last_name"],
                name="households_member_name_like",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
            models.Index(fields=["last_name"], name="households_member_last_like", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        name = self.full_name
        return name or str(_("Member %(number)s")) % {"number": self.pk}

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.title + self.first_name, self.last_name) if part)

    @property
    def is_active(self) -> bool:
        return self.status == MemberStatus.ACTIVE

    @property
    def has_national_id(self) -> bool:
        return bool(self.national_id_hash)

    @property
    def national_id_masked(self) -> str:
        """The ID as x-xxxx-xxxxx-xx-3, safe to show to anyone who may see the member."""
        return national_id.mask(self.national_id_last_digit)

    @property
    def allowances(self) -> list[str]:
        """The allowances received: "elderly", "disability", "child_support"."""
        received = []
        if self.receives_elderly_allowance:
            received.append("elderly")
        if self.receives_disability_allowance:
            received.append("disability")
        if self.receives_child_support:
            received.append("child_support")
        return received

    @property
    def birth_year_label(self) -> int:
        """The birth year in the active language's era (BE in Thai)."""
        return self.birth_date.year + (543 if (get_language() or "th").startswith("th") else 0)

    def age_on(self, on: dt.date) -> int:
        """Whole years of age on a date."""
        return age_on(self.birth_date, on)

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())


# The member's fields a person or program may set, in form order: the form, the API schemas and the
# services' input all derive from this one list and from the fields' rules on the model.
MEMBER_INPUT_FIELDS = (
    "title",
    "first_name",
    "last_name",
    "sex",
    "birth_date",
    "no_id_reason",
    "relation",
    "education_level",
    "is_studying",
    "occupation",
    "monthly_income",
    "has_disability",
    "has_disability_card",
    "chronic_illness",
    "is_bedridden",
    "is_pregnant",
    "has_welfare_card",
    "receives_elderly_allowance",
    "receives_disability_allowance",
    "receives_child_support",
)


class Consent(TimeStampedModel):
    """Consent to keep the household's personal data: who gave it, when, for what, and withdrawn when."""

    audit_personal_fields = ("given_by_name", "withdrawn_reason")

    area_field = "household__area_code"

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="consents")
    given_by_name = models.CharField(_("given by"), max_length=200)
    given_by_member = models.ForeignKey(
        Member,
        verbose_name=_("member who gave it"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    given_at = models.DateTimeField(_("given at"))
    purposes = models.JSONField(_("purposes"), default=list)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=300, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return str(_("Consent of %(household)s")) % {"household": self.household_id}

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    def purpose_labels(self) -> list[str]:
        labels = dict(ConsentPurpose.choices)
        return [str(labels.get(purpose, purpose)) for purpose in self.purposes]


class HouseholdEvent(models.Model):
    """One entry on a household's timeline: a kind, JSON parameters (ids, never names), who and when."""

    area_field = "household__area_code"

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    params = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("household timeline entry")
        verbose_name_plural = _("household timeline")
        indexes = [models.Index(fields=["household", "time"], name="households_event_time_idx")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.kind} {self.time:%Y-%m-%d}"


class MemberMove(models.Model):
    """The record of one move of a person from one household to another, with the reason."""

    audit_personal_fields = ("reason",)

    from_member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="move_out")
    to_member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="move_in")
    reason = models.CharField(_("reason"), max_length=300)
    moved_on = models.DateField(_("moved on"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("member move")
        verbose_name_plural = _("member moves")

    def __str__(self) -> str:
        return f"{self.from_member_id} → {self.to_member_id}"


class DuplicateOverride(models.Model):
    """A user's reason for adding a person despite the possible-duplicate warning."""

    audit_personal_fields = ("reason",)

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="duplicate_overrides")
    matched_member_ids = models.JSONField(default=list)
    reason = models.CharField(_("reason"), max_length=300)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("duplicate override")
        verbose_name_plural = _("duplicate overrides")

    def __str__(self) -> str:
        return f"{self.member_id}: {self.reason[:40]}"


def household_photo_path(instance: HouseholdPhoto, filename: str) -> str:
    """A random name under a private folder: the path says nothing about the household and cannot be guessed."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"private/households/photos/{secrets.token_hex(16)}.{extension}"


class HouseholdPhoto(models.Model):
    """A photo of a household's home, kept only while the household has consent; served by a login-only view."""

    audit_personal_fields = ("caption",)

    area_field = "household__area_code"

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to=household_photo_path, max_length=200)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    taken_on = models.DateField(_("taken on"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("household photo")
        verbose_name_plural = _("household photos")

    def __str__(self) -> str:
        return str(_("Photo %(photo)s of household %(household)s")) % {
            "photo": self.pk,
            "household": self.household_id,
        }


class ImportRun(models.Model):
    """One import of a household file: who ran it, which file, when, and what it did.

    Every household and member the import creates or changes points at its run (`import_run`), and the
    run's timeline entries carry its id; the audit trail holds one entry per run rather than one per row.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file_name = models.CharField(_("file"), max_length=255)
    with_consent = models.BooleanField(_("consent given"))
    started_at = models.DateTimeField(_("started at"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    households_created = models.PositiveIntegerField(_("households created"), default=0)
    households_updated = models.PositiveIntegerField(_("households updated"), default=0)
    households_unchanged = models.PositiveIntegerField(_("households unchanged"), default=0)
    members_created = models.PositiveIntegerField(_("members created"), default=0)
    members_updated = models.PositiveIntegerField(_("members updated"), default=0)
    members_unchanged = models.PositiveIntegerField(_("members unchanged"), default=0)
    villages_created = models.PositiveIntegerField(_("villages created"), default=0)
    rejected_rows = models.PositiveIntegerField(_("rows rejected"), default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self) -> str:
        return f"{self.file_name} {self.started_at:%Y-%m-%d %H:%M}"
