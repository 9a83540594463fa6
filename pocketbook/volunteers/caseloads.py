"""Which volunteer is in charge of which household: every write, each action set-based and audited once.

An action (one household or thousands) is one AssignmentBatch row and one audit entry; the open assignments it
ends and the ones it starts, the volunteers' caseloads, the coverage counts, the visit schedules, the pocketbook's
"volunteer in charge" and the timeline entries are each written by one statement over the set of households.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pocketbook.accounts.models import User
from pocketbook.assessments.models import Assessment
from pocketbook.audit.models import Action
from pocketbook.audit.services import record_change
from pocketbook.core.idsets import id_rows_sql, id_set
from pocketbook.geo.selectors import area_get
from pocketbook.households.models import Household
from pocketbook.volunteers import events, listeners
from pocketbook.volunteers.choices import AssignmentBatchKind, CadenceCondition, VolunteerStatus
from pocketbook.volunteers.models import (
    AssignmentBatch,
    CoverageCount,
    CoverageWatermark,
    HouseholdAssignment,
    VisitCadence,
    VisitSchedule,
    Volunteer,
)


def caseload_limit() -> int:
    """The most households one volunteer may look after (the VOLUNTEER_CASELOAD_LIMIT setting)."""
    return int(settings.VOLUNTEER_CASELOAD_LIMIT)


def _households_in_scope(*, household_ids: Sequence[int], actor: User | None) -> dict[int, str]:
    """{id: area code} of the households, all of which the actor may change; else a ValidationError, nothing done."""
    wanted = sorted(set(household_ids))
    if not wanted:
        raise ValidationError({"households": _("Choose at least one household.")})
    scoped = Household.objects.for_user(actor, "change") if actor is not None else Household.objects.all()
    found = dict(scoped.filter(pk__in=id_set(wanted)).order_by().values_list("pk", "area_code"))
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


def _require_can_take(*, volunteer: Volunteer, areas: list[str], taking: int) -> None:
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise ValidationError(
            {
                "volunteer": _("%(name)s is not active; only an active volunteer can take households.")
                % {"name": volunteer.full_name}
            }
        )
    served = tuple(volunteer.areas.values_list("area_code", flat=True))
    outside = [code for code in set(areas) if not code.startswith(served)]
    if outside:
        count = sum(1 for code in areas if not code.startswith(served))
        raise ValidationError(
            {
                "volunteer": _(
                    "%(count)s of the chosen households are outside the areas %(name)s serves (for example area "
                    "%(code)s); nothing was changed."
                )
                % {"count": count, "name": volunteer.full_name, "code": sorted(outside)[0]}
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


def open_assignments(household_ids: Sequence[int]) -> dict[int, int]:
    """{household id: volunteer id} of the households' open assignments."""
    return dict(
        HouseholdAssignment.objects.filter(household_id__in=id_set(household_ids), ended_on__isnull=True)
        .order_by()
        .values_list("household_id", "volunteer_id")
    )


def _adjust_coverage(deltas: Counter[str]) -> None:
    """Add each area's change to its count of households with a volunteer (one statement per area touched)."""
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


def _start_assignments(*, household_ids: list[int], volunteer: Volunteer, batch: AssignmentBatch) -> None:
    """INSERT ... SELECT the new open assignments, their area read from the households."""
    table = connection.ops.quote_name(HouseholdAssignment._meta.db_table)
    households = connection.ops.quote_name(Household._meta.db_table)
    ids_sql, ids_params = id_rows_sql(household_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (household_id, volunteer_id, area_code, started_on, assigned_by_id, batch_id) "  # noqa: S608
            f"SELECT h.id, %s, h.area_code, %s, %s, %s FROM {households} h WHERE h.id IN ({ids_sql})",
            [volunteer.pk, timezone.localdate(), batch.actor_id, batch.pk, *ids_params],
        )


@transaction.atomic
def _assign(
    *,
    household_ids: Sequence[int],
    volunteer: Volunteer | None,
    actor: User | None,
    kind: str,
    reason: str = "",
    from_volunteer: Volunteer | None = None,
) -> AssignmentBatch:
    """Put the households in `volunteer`'s care (None: in nobody's), as one audited action with one batch row."""
    areas = _households_in_scope(household_ids=household_ids, actor=actor)
    ids = sorted(areas)
    current = open_assignments(ids)
    target_id = volunteer.pk if volunteer is not None else None
    changing = [pk for pk in ids if current.get(pk) != target_id]
    if volunteer is not None:
        Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()  # one hand-over at a time per taker
        _require_can_take(volunteer=volunteer, areas=[areas[pk] for pk in ids], taking=len(changing))
    batch = AssignmentBatch.objects.create(
        kind=kind,
        area_code=common_area([areas[pk] for pk in ids]),
        to_volunteer=volunteer,
        from_volunteer=from_volunteer,
        household_ids=changing,
        household_count=len(changing),
        reason=reason[:300],
        actor=actor if actor is not None and actor.is_authenticated else None,
    )
    if changing:
        _apply(batch=batch, changing=changing, current=current, areas=areas, volunteer=volunteer, actor=actor)
    record_change(obj=batch, action=Action.CREATE, actor=actor)
    if changing:
        listeners.assignments_changed(changing)
    return batch


def _apply(
    *,
    batch: AssignmentBatch,
    changing: list[int],
    current: dict[int, int],
    areas: dict[int, str],
    volunteer: Volunteer | None,
    actor: User | None,
) -> None:
    ending = [pk for pk in changing if pk in current]
    caseloads: Counter[int] = Counter(current[pk] for pk in ending)
    for volunteer_id in caseloads:
        caseloads[volunteer_id] = -caseloads[volunteer_id]
    coverage: Counter[str] = Counter()
    if ending:
        HouseholdAssignment.objects.filter(household_id__in=id_set(ending), ended_on__isnull=True).update(
            ended_on=timezone.localdate(), ended_batch=batch
        )
    if volunteer is None:
        coverage.update({code: -n for code, n in Counter(areas[pk] for pk in ending).items()})
    else:
        _start_assignments(household_ids=changing, volunteer=volunteer, batch=batch)
        caseloads[volunteer.pk] += len(changing)
        coverage.update(Counter(areas[pk] for pk in changing if pk not in current))
    _adjust_caseloads(caseloads)
    _adjust_coverage(coverage)
    _schedules_follow(household_ids=changing, areas=areas, volunteer=volunteer)
    # Keep the pocketbook's "volunteer in charge" login in step, so the volunteer's My households matches.
    user_id = volunteer.user_id if volunteer else None
    mirrored = Household.objects.filter(pk__in=id_set(changing))
    mirrored = mirrored.exclude(volunteer_id=user_id) if user_id else mirrored.filter(volunteer_id__isnull=False)
    mirrored.update(volunteer_id=user_id)
    events.assignment_changed(
        household_ids=changing, volunteer_id=volunteer.pk if volunteer else None, batch_id=batch.pk, actor=actor
    )


def common_area(codes: list[str]) -> str:
    """The deepest DOPA area (village, subdistrict, district, province) all the codes lie in, or ""."""
    if not codes:
        return ""
    first, last = min(codes), max(codes)
    for size in (8, 6, 4, 2):
        if len(first) >= size and len(last) >= size and first[:size] == last[:size]:
            return first[:size]
    return ""


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


def _schedules_follow(*, household_ids: list[int], areas: dict[int, str], volunteer: Volunteer | None) -> None:
    """Move the households' schedules to the volunteer; start one (from the latest assessment) where none exists."""
    volunteer_id = volunteer.pk if volunteer is not None else None
    schedules = VisitSchedule.objects.filter(household_id__in=id_set(household_ids))
    existing = set(schedules.values_list("household_id", flat=True))
    schedules.update(volunteer_id=volunteer_id)
    new_ids = [pk for pk in household_ids if pk not in existing]
    if not new_ids or volunteer is None:
        return
    latest = {
        household_id: (assessed_on, vulnerable)
        for household_id, assessed_on, vulnerable in Assessment.objects.filter(
            household_id__in=id_set(new_ids), is_latest=True
        ).values_list("household_id", "assessed_on", "is_vulnerable")
    }
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


def household_assign(*, household: Household, volunteer: Volunteer, actor: User, reason: str = "") -> AssignmentBatch:
    """Put one household in a volunteer's care."""
    return _assign(household_ids=[household.pk], volunteer=volunteer, actor=actor, kind="assign", reason=reason)


def households_assign(
    *, household_ids: Sequence[int], volunteer: Volunteer, actor: User | None, reason: str = ""
) -> AssignmentBatch:
    """Put the chosen households in a volunteer's care, as one action."""
    return _assign(household_ids=household_ids, volunteer=volunteer, actor=actor, kind="assign", reason=reason)


def households_assign_village(
    *, area_code: str, volunteer: Volunteer, actor: User, only_without_volunteer: bool = True
) -> AssignmentBatch:
    """Put the households of one village (or subdistrict) in a volunteer's care; by default only those without one.

    An area outside the actor's is refused like one that does not exist, whoever calls (page, API, command).
    """
    if not area_code or area_get(area_code) is None or (actor is not None and not actor.covers(area_code)):
        raise ValidationError({"area_code": _("Choose the village.")})
    scoped = Household.objects.for_user(actor, "change") if actor is not None else Household.objects.all()
    households = scoped.filter(area_code__startswith=area_code, status="active")
    ids = list(households.order_by().values_list("pk", flat=True))
    if only_without_volunteer:
        taken = set(open_assignments(ids))
        ids = [pk for pk in ids if pk not in taken]
    if not ids:
        raise ValidationError({"area_code": _("This area has no household without a volunteer.")})
    return _assign(household_ids=ids, volunteer=volunteer, actor=actor, kind=AssignmentBatchKind.ASSIGN)


def households_reassign(
    *,
    from_volunteer: Volunteer,
    to_volunteer: Volunteer,
    actor: User,
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


def households_release(*, household_ids: Sequence[int], actor: User, reason: str = "") -> AssignmentBatch:
    """Take the households out of any volunteer's care (they stay in their area, without a volunteer)."""
    return _assign(
        household_ids=household_ids, volunteer=None, actor=actor, kind=AssignmentBatchKind.RELEASE, reason=reason
    )


@transaction.atomic
def coverage_refresh() -> int:
    """Recount every area's households and households with a volunteer; return the number of areas.

    The coverage page adds the households registered since (id above the watermark) as it reads, so a refresh is
    needed only for households that moved between areas or were deleted: run `pocketbook coverage_refresh`
    nightly (seed_demo runs it too).
    """
    watermark = Household.objects.aggregate(last=Max("id"))["last"] or 0
    totals = dict(
        Household.objects.filter(pk__lte=watermark).order_by().values_list("area_code").annotate(n=Count("*"))
    )
    assigned = dict(
        HouseholdAssignment.objects.filter(ended_on__isnull=True)
        .order_by()
        .values_list("area_code")
        .annotate(n=Count("id"))
    )
    CoverageCount.objects.all().delete()
    CoverageCount.objects.bulk_create(
        [
            CoverageCount(area_code=code, households=totals.get(code, 0), assigned=assigned.get(code, 0))
            for code in sorted(set(totals) | set(assigned))
        ],
        batch_size=1000,
    )
    CoverageWatermark.objects.update_or_create(pk=1, defaults={"last_household_id": watermark})
    caseloads = dict(
        HouseholdAssignment.objects.filter(ended_on__isnull=True)
        .order_by()
        .values_list("volunteer_id")
        .annotate(n=Count("id"))
    )
    Volunteer.objects.exclude(pk__in=list(caseloads)).exclude(caseload=0).update(caseload=0)
    for volunteer_id, count in caseloads.items():
        Volunteer.objects.filter(pk=volunteer_id).exclude(caseload=count).update(caseload=count)
    return len(totals)
