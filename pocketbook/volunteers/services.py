"""Every write to the registry, the caseloads and the visits. Training projects: training_services.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pocketbook.accounts.models import User
from pocketbook.assessments.models import Assessment
from pocketbook.audit.models import Action
from pocketbook.audit.services import record_change, snapshot
from pocketbook.core.idsets import id_set
from pocketbook.geo.selectors import area_get
from pocketbook.households import national_id
from pocketbook.households.models import Household
from pocketbook.volunteers import caseloads, events, listeners
from pocketbook.volunteers.choices import VisitKind, VolunteerStatus
from pocketbook.volunteers.models import (
    Visit,
    VisitSchedule,
    Volunteer,
    VolunteerArea,
)

MAX_SKILLS = 30

# The caseload services live in caseloads.py (this module is long); callers may use them from here.
caseload_limit = caseloads.caseload_limit
household_assign = caseloads.household_assign
households_assign = caseloads.households_assign
households_assign_village = caseloads.households_assign_village
households_reassign = caseloads.households_reassign
households_release = caseloads.households_release
coverage_refresh = caseloads.coverage_refresh
cadence_days = caseloads.cadence_days
interval_for = caseloads.interval_for


@dataclass
class VolunteerInput:
    """What a volunteer form, import row or API call gives; `national_id` is the typed ID (may be empty)."""

    first_name: str
    last_name: str
    home_area_code: str
    areas_served: list[str] = field(default_factory=list)
    title: str = ""
    national_id: str = ""
    phone: str = ""
    line_id: str = ""
    started_on: dt.date | None = None
    term_ends_on: dt.date | None = None
    skills: list[str] = field(default_factory=list)
    user: User | None = None


# ---------------------------------------------------------------- registry


def _require_area(*, code: str, actor: User | None, field_name: str) -> None:
    """A village or subdistrict of the office's province, inside the actor's areas."""
    area = area_get(code)
    if area is None:
        raise ValidationError(
            {field_name: _("There is no area with the code %(code)s. Choose the area from the list.") % {"code": code}}
        )
    if area.level not in ("village", "subdistrict"):
        raise ValidationError({field_name: _("Choose a village or a subdistrict.")})
    if not code.startswith(settings.HOME_PROVINCE_CODE):
        raise ValidationError({field_name: _("The area %(code)s is outside the office's province.") % {"code": code}})
    if actor is not None and not actor.covers(code):
        raise ValidationError({field_name: _("The area %(code)s is outside your areas.") % {"code": code}})


def _clean_input(
    data: VolunteerInput, *, actor: User | None, volunteer: Volunteer | None
) -> tuple[list[str], str | None]:
    """Check a volunteer's details; return the areas served (deduplicated) and the validated ID (or None)."""
    errors: dict[str, list[str]] = {}
    if not data.first_name.strip():
        errors.setdefault("first_name", []).append(_("Write the first name."))
    if not data.last_name.strip():
        errors.setdefault("last_name", []).append(_("Write the last name."))
    if errors:
        raise ValidationError(errors)
    _require_area(code=data.home_area_code, actor=actor, field_name="home_area_code")
    areas = sorted({code.strip() for code in data.areas_served if code.strip()})
    if not areas:
        raise ValidationError({"areas_served": _("Choose at least one village or subdistrict the volunteer serves.")})
    for code in areas:
        _require_area(code=code, actor=actor, field_name="areas_served")
    if data.started_on and data.term_ends_on and data.term_ends_on < data.started_on:
        raise ValidationError({"term_ends_on": _("The term cannot end before the volunteer started.")})
    if data.started_on and data.started_on > timezone.localdate():
        raise ValidationError({"started_on": _("The start date cannot be in the future.")})
    if len(data.skills) > MAX_SKILLS:
        raise ValidationError({"skills": _("Give at most 30 skills.")})
    number = None
    if data.national_id.strip():
        try:
            number = national_id.validate(data.national_id)
        except ValidationError as error:
            raise ValidationError({"national_id": error.messages}) from None
        clash = Volunteer.objects.filter(national_id_hash=national_id.lookup_hash(number) or "-")
        if volunteer is not None:
            clash = clash.exclude(pk=volunteer.pk)
        if clash.exists():
            raise ValidationError({"national_id": _("A volunteer with this national ID is already registered.")})
    if data.user is not None:
        if not data.user.has_role("volunteer"):
            raise ValidationError({"user": _("The login must have the volunteer role.")})
        linked = Volunteer.objects.filter(user=data.user)
        if volunteer is not None:
            linked = linked.exclude(pk=volunteer.pk)
        if linked.exists():
            raise ValidationError({"user": _("This login is already linked to another volunteer.")})
    return areas, number


def _apply(volunteer: Volunteer, data: VolunteerInput, number: str | None) -> None:
    volunteer.title = data.title.strip()
    volunteer.first_name = data.first_name.strip()
    volunteer.last_name = data.last_name.strip()
    volunteer.phone = data.phone.strip()
    volunteer.line_id = data.line_id.strip()
    volunteer.home_area_code = data.home_area_code
    volunteer.started_on = data.started_on
    volunteer.term_ends_on = data.term_ends_on
    volunteer.skills = [skill.strip()[:60] for skill in data.skills if skill.strip()]
    volunteer.user = data.user
    if number is not None:
        stored = national_id.protect(number)
        volunteer.national_id_encrypted = stored.encrypted
        volunteer.national_id_hash = stored.lookup_hash
        volunteer.national_id_last_digit = stored.last_digit


@transaction.atomic
def volunteer_create(*, data: VolunteerInput, actor: User | None) -> Volunteer:
    """Register a volunteer and the areas they serve."""
    areas, number = _clean_input(data, actor=actor, volunteer=None)
    volunteer = Volunteer(status=VolunteerStatus.ACTIVE, status_changed_on=timezone.localdate())
    _apply(volunteer, data, number)
    volunteer.full_clean()
    volunteer.save()
    VolunteerArea.objects.bulk_create([VolunteerArea(volunteer=volunteer, area_code=code) for code in areas])
    record_change(obj=volunteer, action=Action.CREATE, actor=actor)
    return volunteer


@transaction.atomic
def volunteer_update(*, volunteer: Volunteer, data: VolunteerInput, actor: User) -> Volunteer:
    """Change a volunteer's details and areas; a typed national ID replaces the stored one, an empty one keeps it."""
    areas, number = _clean_input(data, actor=actor, volunteer=volunteer)
    before = snapshot(volunteer)
    before["areas_served"] = sorted(volunteer.areas.values_list("area_code", flat=True))
    _apply(volunteer, data, number)
    volunteer.full_clean()
    volunteer.save()
    if areas != before["areas_served"]:
        volunteer.areas.exclude(area_code__in=areas).delete()
        existing = set(volunteer.areas.values_list("area_code", flat=True))
        VolunteerArea.objects.bulk_create(
            [VolunteerArea(volunteer=volunteer, area_code=code) for code in areas if code not in existing]
        )
    record_change(obj=volunteer, action=Action.UPDATE, actor=actor, before=before)
    return volunteer


@transaction.atomic
def volunteer_status_set(
    *, volunteer: Volunteer, status: str, actor: User, on: dt.date | None = None, hand_over_to: Volunteer | None = None
) -> Volunteer:
    """Pause, resume or end a volunteer's service; a volunteer who leaves hands their households over (or frees them).

    Households belong to their area, not to a person: freed households stay in the area's coverage as households
    without a volunteer, and the history of who was in charge is kept.
    """
    if status not in VolunteerStatus.values:
        raise ValidationError({"status": _("Choose active, paused or left.")})
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    if hand_over_to is not None and status == VolunteerStatus.LEFT:
        households_reassign(from_volunteer=volunteer, to_volunteer=hand_over_to, actor=actor, reason="left")
    elif status == VolunteerStatus.LEFT:
        open_ids = list(volunteer.assignments.filter(ended_on__isnull=True).values_list("household_id", flat=True))
        if open_ids:
            households_release(household_ids=open_ids, actor=actor, reason="left")
    before = snapshot(volunteer)
    volunteer.refresh_from_db(fields=["caseload"])
    volunteer.status = status
    volunteer.status_changed_on = on
    volunteer.save(update_fields=["status", "status_changed_on", "updated_at"])
    record_change(obj=volunteer, action=Action.UPDATE, actor=actor, before=before)
    return volunteer


# ---------------------------------------------------------------- visits


def _validate_gps(lat: Decimal | None, lng: Decimal | None) -> None:
    if (lat is None) != (lng is None):
        raise ValidationError({"gps_lat": _("Give both latitude and longitude, or neither.")})
    if lat is not None and lng is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValidationError({"gps_lat": _("This is not a position on Earth.")})


def _volunteer_of(actor: User | None) -> Volunteer | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return Volunteer.objects.filter(user=actor).first()


@transaction.atomic
def visit_record(
    *,
    household: Household,
    visited_on: dt.date,
    actor: User,
    note: str = "",
    gps_lat: Decimal | None = None,
    gps_lng: Decimal | None = None,
) -> Visit:
    """Record a short visit note (GPS when the phone gave it); the household's next visit date moves on."""
    if not Household.objects.for_user(actor, "view").filter(pk=household.pk).exists():
        raise Household.DoesNotExist
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("The visit date cannot be in the future.")})
    if visited_on < timezone.localdate() - dt.timedelta(days=366):
        raise ValidationError({"visited_on": _("The visit date is more than a year ago. Check the year (BE or CE).")})
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Write a short note about the visit.")})
    if len(note) > 2000:
        raise ValidationError({"note": _("The note is too long (at most 2,000 characters).")})
    _validate_gps(gps_lat, gps_lng)
    schedule = VisitSchedule.objects.filter(household_id=household.pk).first()
    visit = Visit(
        household=household,
        volunteer=_volunteer_of(actor) or (schedule.volunteer if schedule else None),
        area_code=household.area_code,
        kind=VisitKind.NOTE,
        visited_on=visited_on,
        note=note,
        gps_lat=gps_lat,
        gps_lng=gps_lng,
        recorded_by=actor,
    )
    visit.full_clean()
    visit.save()
    due_before = schedule.next_visit_on if schedule is not None else None
    if schedule is not None:
        _schedule_visited(schedule, visited_on)
    listeners.visit_recorded(
        visit, due_before=due_before, due_after=schedule.next_visit_on if schedule is not None else None
    )
    events.visit_recorded(household=household, visit_id=visit.pk, visited_on=visited_on, actor=actor)
    record_change(obj=visit, action=Action.CREATE, actor=actor)
    return visit


def _schedule_visited(schedule: VisitSchedule, visited_on: dt.date) -> None:
    if schedule.last_visit_on is None or visited_on >= schedule.last_visit_on:
        schedule.last_visit_on = visited_on
        schedule.next_visit_on = visited_on + dt.timedelta(days=schedule.interval_days)
        schedule.save(update_fields=["last_visit_on", "next_visit_on"])


def on_assessment_submitted(assessment: Assessment) -> None:
    """An assessment is a visit: record it, refresh the household's cadence and move its next visit."""
    household = assessment.household
    schedule = VisitSchedule.objects.filter(household_id=household.pk).first()
    assessor = assessment.assessor
    visit = Visit.objects.create(
        household=household,
        volunteer=_volunteer_of(assessor) or (schedule.volunteer if schedule else None),
        area_code=household.area_code,
        kind=VisitKind.ASSESSMENT,
        visited_on=assessment.assessed_on,
        assessment_id=assessment.pk,
        gps_lat=assessment.gps_lat,
        gps_lng=assessment.gps_lng,
        recorded_by=assessor,
    )
    if schedule is None:
        listeners.visit_recorded(visit, due_before=None, due_after=None)
        return
    due_before = schedule.next_visit_on
    schedule.is_vulnerable = bool(assessment.is_vulnerable)
    schedule.interval_days = interval_for(
        is_vulnerable=schedule.is_vulnerable, has_open_case=schedule.has_open_case, days=cadence_days()
    )
    schedule.save(update_fields=["is_vulnerable", "interval_days"])
    _schedule_visited(schedule, assessment.assessed_on)
    listeners.visit_recorded(visit, due_before=due_before, due_after=schedule.next_visit_on)


def schedule_open_case_set(*, household_ids: Sequence[int], has_open_case: bool) -> int:
    """The hook for the cases app: households with an open case are visited on the open-case cadence.

    Called with the households whose case opened (True) or whose last open case closed (False). Set-based.
    """
    days = cadence_days()
    changed = 0
    for vulnerable in (False, True):
        interval = interval_for(is_vulnerable=vulnerable, has_open_case=has_open_case, days=days)
        changed += VisitSchedule.objects.filter(
            household_id__in=id_set(household_ids), is_vulnerable=vulnerable
        ).update(has_open_case=has_open_case, interval_days=interval)
    # A shorter cadence brings the next visit forward; a longer one lets it wait from the last visit.
    for schedule in VisitSchedule.objects.filter(household_id__in=id_set(household_ids), last_visit_on__isnull=False):
        assert schedule.last_visit_on is not None  # the filter's promise
        due = schedule.last_visit_on + dt.timedelta(days=schedule.interval_days)
        if schedule.next_visit_on != due:
            schedule.next_visit_on = due
            schedule.save(update_fields=["next_visit_on"])
    return changed
