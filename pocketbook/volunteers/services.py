"""Every write to the registry, the caseloads and the visits. Training projects: training_services.py."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from pocketbook.assessments.models import Assessment
from pocketbook.audit.models import Action
from pocketbook.audit.services import record_change, snapshot
from pocketbook.geo.selectors import area_get
from pocketbook.households import national_id
from pocketbook.households.models import Household
from pocketbook.volunteers import events, listeners
from pocketbook.volunteers.choices import AssignmentBatchKind, CadenceCondition, VisitKind, VolunteerStatus
from pocketbook.volunteers.models import (
    AssignmentBatch,
    CoverageCount,
    HouseholdAssignment,
    Visit,
    VisitCadence,
    VisitSchedule,
    Volunteer,
    VolunteerArea,
)

MAX_SKILLS = 30
# SQLite takes at most 32,766 parameters in one statement; id lists are sent in chunks below that.
ID_CHUNK = 5_000


def caseload_limit() -> int:
    """The most households one volunteer may look after (the VOLUNTEER_CASELOAD_LIMIT setting)."""
    return int(settings.VOLUNTEER_CASELOAD_LIMIT)


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
    user: Any = None


# ---------------------------------------------------------------- registry


def _require_area(*, code: str, actor: Any, field_name: str) -> None:
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


def _clean_input(data: VolunteerInput, *, actor: Any, volunteer: Volunteer | None) -> tuple[list[str], str | None]:
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
def volunteer_create(*, data: VolunteerInput, actor: Any) -> Volunteer:
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
def volunteer_update(*, volunteer: Volunteer, data: VolunteerInput, actor: Any) -> Volunteer:
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
    *, volunteer: Volunteer, status: str, actor: Any, on: dt.date | None = None, hand_over_to: Volunteer | None = None
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


# ---------------------------------------------------------------- caseloads


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), ID_CHUNK):
        yield ids[start : start + ID_CHUNK]


def _households_in_scope(*, household_ids: Sequence[int], actor: Any) -> list[tuple[int, str]]:
    """(id, area code) of each household, all of which the actor may change; else a ValidationError, nothing done."""
    wanted = sorted(set(household_ids))
    if not wanted:
        raise ValidationError({"households": _("Choose at least one household.")})
    found: list[tuple[int, str]] = []
    scoped = Household.objects.for_user(actor, "change") if actor is not None else Household.objects.all()
    for chunk in _chunks(wanted):
        found.extend(scoped.filter(pk__in=chunk).order_by().values_list("pk", "area_code"))
    if len(found) != len(wanted):
        missing = len(wanted) - len(found)
        raise ValidationError(
            {
                "households": _(
                    "%(count)s of the chosen households are outside your areas or no longer exist; "
                    "nothing was changed."
                )
                % {"count": missing}
            }
        )
    return found


def _require_can_take(*, volunteer: Volunteer, households: list[tuple[int, str]], taking: int) -> None:
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise ValidationError(
            {
                "volunteer": _("%(name)s is not active; only an active volunteer can take households.")
                % {"name": volunteer.full_name}
            }
        )
    served = list(volunteer.areas.values_list("area_code", flat=True))
    outside = [code for _pk, code in households if not any(code.startswith(area) for area in served)]
    if outside:
        raise ValidationError(
            {
                "volunteer": _(
                    "%(count)s of the chosen households are outside the areas %(name)s serves (for example area "
                    "%(code)s); nothing was changed."
                )
                % {"count": len(outside), "name": volunteer.full_name, "code": outside[0]}
            }
        )
    limit = caseload_limit()
    current = Volunteer.objects.filter(pk=volunteer.pk).values_list("caseload", flat=True).get()
    if current + taking > limit:
        raise ValidationError(
            {
                "volunteer": _(
                    "%(name)s already looks after %(current)s households; %(taking)s more would pass the limit of "
                    "%(limit)s. Nothing was changed: choose fewer households or another volunteer."
                )
                % {"name": volunteer.full_name, "current": current, "taking": taking, "limit": limit}
            }
        )


def _open_assignments(household_ids: Sequence[int]) -> dict[int, int]:
    """{household id: volunteer id} of the households' open assignments."""
    found: dict[int, int] = {}
    for chunk in _chunks(household_ids):
        found.update(
            HouseholdAssignment.objects.filter(household_id__in=chunk, ended_on__isnull=True)
            .order_by()
            .values_list("household_id", "volunteer_id")
        )
    return found


def _adjust_coverage(deltas: Counter[str]) -> None:
    """Add each area's change to its count of households with a volunteer (set-based: one statement per area)."""
    for area_code, delta in deltas.items():
        if delta == 0:
            continue
        updated = CoverageCount.objects.filter(area_code=area_code).update(assigned=F("assigned") + delta)
        if not updated:
            CoverageCount.objects.create(area_code=area_code, assigned=delta)


def _adjust_caseloads(deltas: Counter[int]) -> None:
    for volunteer_id, delta in deltas.items():
        if delta:
            Volunteer.objects.filter(pk=volunteer_id).update(caseload=F("caseload") + delta)


@transaction.atomic
def _assign(
    *,
    household_ids: Sequence[int],
    volunteer: Volunteer | None,
    actor: Any,
    kind: str,
    reason: str = "",
    from_volunteer: Volunteer | None = None,
) -> AssignmentBatch:
    """Put the households in `volunteer`'s care (None: in nobody's), as one audited action with one batch row."""
    households = _households_in_scope(household_ids=household_ids, actor=actor)
    ids = [pk for pk, _code in households]
    areas = dict(households)
    current = _open_assignments(ids)
    target_id = volunteer.pk if volunteer is not None else None
    changing = [pk for pk in ids if current.get(pk) != target_id]
    if volunteer is not None:
        Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()
        _require_can_take(volunteer=volunteer, households=households, taking=len(changing))
    today = timezone.localdate()
    batch = AssignmentBatch.objects.create(
        kind=kind,
        area_code=_common_prefix([areas[pk] for pk in ids]),
        to_volunteer=volunteer,
        from_volunteer=from_volunteer,
        household_ids=changing,
        household_count=len(changing),
        reason=reason[:300],
        actor=actor if actor is not None and actor.is_authenticated else None,
    )
    caseloads: Counter[int] = Counter()
    coverage: Counter[str] = Counter()
    ending = [pk for pk in changing if pk in current]
    for chunk in _chunks(ending):
        HouseholdAssignment.objects.filter(household_id__in=chunk, ended_on__isnull=True).update(
            ended_on=today, ended_batch=batch
        )
    for pk in ending:
        caseloads[current[pk]] -= 1
        if volunteer is None:
            coverage[areas[pk]] -= 1
    if volunteer is not None:
        assigned_by = batch.actor
        HouseholdAssignment.objects.bulk_create(
            [
                HouseholdAssignment(
                    household_id=pk,
                    volunteer=volunteer,
                    area_code=areas[pk],
                    started_on=today,
                    assigned_by=assigned_by,
                    batch=batch,
                )
                for pk in changing
            ],
            batch_size=1000,
        )
        caseloads[volunteer.pk] += len(changing)
        for pk in changing:
            if pk not in current:
                coverage[areas[pk]] += 1
    _adjust_caseloads(caseloads)
    _adjust_coverage(coverage)
    _schedules_follow(household_ids=changing, areas=areas, volunteer=volunteer)
    _mirror_on_households(household_ids=changing, volunteer=volunteer)
    events.assignment_changed(household_ids=changing, volunteer_id=target_id, batch_id=batch.pk, actor=actor)
    record_change(obj=batch, action=Action.CREATE, actor=actor)
    if changing:
        listeners.assignments_changed(changing)
    return batch


def _common_prefix(codes: list[str]) -> str:
    if not codes:
        return ""
    first, last = min(codes), max(codes)
    length = 0
    while length < min(len(first), len(last)) and first[length] == last[length]:
        length += 1
    for size in (8, 6, 4, 2):  # the largest DOPA level both share
        if length >= size:
            return first[:size]
    return ""


def _mirror_on_households(*, household_ids: Sequence[int], volunteer: Volunteer | None) -> None:
    """Keep the pocketbook's "volunteer in charge" login in step, so the volunteer's My households matches."""
    user_id = volunteer.user_id if volunteer is not None else None
    for chunk in _chunks(household_ids):
        Household.objects.filter(pk__in=chunk).update(volunteer_id=user_id)


def cadence_days() -> dict[str, int]:
    """Days between visits for each cadence condition (data; defaults when a row was removed)."""
    days: dict[str, int] = {
        CadenceCondition.DEFAULT: 90,
        CadenceCondition.VULNERABLE: 30,
        CadenceCondition.OPEN_CASE: 7,
    }
    days.update(VisitCadence.objects.values_list("condition", "interval_days"))
    return days


def interval_for(*, is_vulnerable: bool, has_open_case: bool, days: dict[str, int]) -> int:
    """The shortest interval among the cadences that apply."""
    applying = [days[CadenceCondition.DEFAULT]]
    if is_vulnerable:
        applying.append(days[CadenceCondition.VULNERABLE])
    if has_open_case:
        applying.append(days[CadenceCondition.OPEN_CASE])
    return min(applying)


def _schedules_follow(*, household_ids: Sequence[int], areas: dict[int, str], volunteer: Volunteer | None) -> None:
    """Move the households' schedules to the volunteer; start one (from the latest assessment) where none exists."""
    if not household_ids:
        return
    volunteer_id = volunteer.pk if volunteer is not None else None
    existing: set[int] = set()
    for chunk in _chunks(household_ids):
        existing.update(VisitSchedule.objects.filter(household_id__in=chunk).values_list("household_id", flat=True))
        VisitSchedule.objects.filter(household_id__in=chunk).update(volunteer_id=volunteer_id)
    new_ids = [pk for pk in household_ids if pk not in existing]
    if not new_ids or volunteer is None:
        return
    latest: dict[int, tuple[dt.date, bool]] = {}
    for chunk in _chunks(new_ids):
        for household_id, assessed_on, vulnerable in Assessment.objects.filter(
            household_id__in=chunk, is_latest=True
        ).values_list("household_id", "assessed_on", "is_vulnerable"):
            latest[household_id] = (assessed_on, vulnerable)
    days = cadence_days()
    today = timezone.localdate()
    rows = []
    for pk in new_ids:
        last_visit, vulnerable = latest.get(pk, (None, False))
        interval = interval_for(is_vulnerable=vulnerable, has_open_case=False, days=days)
        rows.append(
            VisitSchedule(
                household_id=pk,
                volunteer_id=volunteer_id,
                area_code=areas[pk],
                is_vulnerable=vulnerable,
                interval_days=interval,
                last_visit_on=last_visit,
                # A household never visited is due within a week of being taken on.
                next_visit_on=(last_visit + dt.timedelta(days=interval)) if last_visit else today + dt.timedelta(7),
            )
        )
    VisitSchedule.objects.bulk_create(rows, batch_size=1000)


def household_assign(*, household: Household, volunteer: Volunteer, actor: Any, reason: str = "") -> AssignmentBatch:
    """Put one household in a volunteer's care."""
    return _assign(household_ids=[household.pk], volunteer=volunteer, actor=actor, kind="assign", reason=reason)


def households_assign(
    *, household_ids: Sequence[int], volunteer: Volunteer, actor: Any, reason: str = ""
) -> AssignmentBatch:
    """Put the chosen households in a volunteer's care, as one action."""
    return _assign(household_ids=household_ids, volunteer=volunteer, actor=actor, kind="assign", reason=reason)


def households_assign_village(
    *, area_code: str, volunteer: Volunteer, actor: Any, only_without_volunteer: bool = True
) -> AssignmentBatch:
    """Put the households of one village (or subdistrict) in a volunteer's care; by default only those without one."""
    if not area_code or area_get(area_code) is None:
        raise ValidationError({"area_code": _("Choose the village.")})
    households = Household.objects.for_user(actor, "change").filter(area_code__startswith=area_code, status="active")
    ids = list(households.order_by().values_list("pk", flat=True))
    if only_without_volunteer:
        taken = set(_open_assignments(ids))
        ids = [pk for pk in ids if pk not in taken]
    if not ids:
        raise ValidationError({"area_code": _("This area has no household without a volunteer.")})
    return _assign(household_ids=ids, volunteer=volunteer, actor=actor, kind=AssignmentBatchKind.ASSIGN)


def households_reassign(
    *,
    from_volunteer: Volunteer,
    to_volunteer: Volunteer,
    actor: Any,
    household_ids: Sequence[int] | None = None,
    reason: str = "",
) -> AssignmentBatch:
    """Hand a volunteer's households (all, or the chosen ones) to another volunteer, as one audited action."""
    if from_volunteer.pk == to_volunteer.pk:
        raise ValidationError({"volunteer": _("Choose another volunteer to hand the households to.")})
    open_ids = list(
        from_volunteer.assignments.filter(ended_on__isnull=True).order_by().values_list("household_id", flat=True)
    )
    if household_ids is not None:
        chosen = set(household_ids)
        if not chosen <= set(open_ids):
            raise ValidationError(
                {"households": _("Some chosen households are not in this volunteer's care; nothing was changed.")}
            )
        open_ids = [pk for pk in open_ids if pk in chosen]
    if not open_ids:
        raise ValidationError({"households": _("This volunteer looks after no household.")})
    return _assign(
        household_ids=open_ids,
        volunteer=to_volunteer,
        actor=actor,
        kind=AssignmentBatchKind.REASSIGN,
        reason=reason,
        from_volunteer=from_volunteer,
    )


def households_release(*, household_ids: Sequence[int], actor: Any, reason: str = "") -> AssignmentBatch:
    """Take the households out of any volunteer's care (they stay in their area, without a volunteer)."""
    return _assign(
        household_ids=household_ids, volunteer=None, actor=actor, kind=AssignmentBatchKind.RELEASE, reason=reason
    )


# ---------------------------------------------------------------- visits


def _validate_gps(lat: Decimal | None, lng: Decimal | None) -> None:
    if (lat is None) != (lng is None):
        raise ValidationError({"gps_lat": _("Give both latitude and longitude, or neither.")})
    if lat is not None and lng is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValidationError({"gps_lat": _("This is not a position on Earth.")})


def _volunteer_of(actor: Any) -> Volunteer | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return Volunteer.objects.filter(user=actor).first()


@transaction.atomic
def visit_record(
    *,
    household: Household,
    visited_on: dt.date,
    actor: Any,
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
    if schedule is not None:
        _schedule_visited(schedule, visited_on)
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
    Visit.objects.create(
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
        return
    schedule.is_vulnerable = bool(assessment.is_vulnerable)
    schedule.interval_days = interval_for(
        is_vulnerable=schedule.is_vulnerable, has_open_case=schedule.has_open_case, days=cadence_days()
    )
    schedule.save(update_fields=["is_vulnerable", "interval_days"])
    _schedule_visited(schedule, assessment.assessed_on)


def schedule_open_case_set(*, household_ids: Sequence[int], has_open_case: bool) -> int:
    """The hook for the cases app: households with an open case are visited on the open-case cadence.

    Called with the households whose case opened (True) or whose last open case closed (False). Set-based.
    """
    days = cadence_days()
    changed = 0
    for vulnerable in (False, True):
        interval = interval_for(is_vulnerable=vulnerable, has_open_case=has_open_case, days=days)
        for chunk in _chunks(list(household_ids)):
            changed += VisitSchedule.objects.filter(household_id__in=chunk, is_vulnerable=vulnerable).update(
                has_open_case=has_open_case, interval_days=interval
            )
    # A shorter cadence brings the next visit forward; a longer one lets it wait from the last visit.
    for chunk in _chunks(list(household_ids)):
        for schedule in VisitSchedule.objects.filter(household_id__in=chunk, last_visit_on__isnull=False):
            due = schedule.last_visit_on + dt.timedelta(days=schedule.interval_days)
            if schedule.next_visit_on != due:
                schedule.next_visit_on = due
                schedule.save(update_fields=["next_visit_on"])
    return changed


def coverage_rebuild() -> int:
    """Recount the households with a volunteer per area from the open assignments (after a restore or a bulk load)."""
    CoverageCount.objects.all().delete()
    rows = (
        HouseholdAssignment.objects.filter(ended_on__isnull=True)
        .order_by()
        .values("area_code")
        .annotate(total=Count("id"))
    )
    CoverageCount.objects.bulk_create(
        [CoverageCount(area_code=row["area_code"], assigned=row["total"]) for row in rows], batch_size=1000
    )
    return len(rows)
