"""Every read of the registry, caseloads, coverage and visits; always given the viewer."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from pocketbook.accounts.http import AnyUser
from pocketbook.accounts.models import User
from pocketbook.audit.services import record_access
from pocketbook.core.dates import format_date
from pocketbook.core.search import prefix_q
from pocketbook.geo.models import Subdistrict, Village
from pocketbook.geo.selectors import Area, area_get, areas_get
from pocketbook.households.models import Household
from pocketbook.incidents.models import Dispatch, Incident
from pocketbook.incidents.selectors import incident_queryset
from pocketbook.volunteers.choices import VolunteerStatus
from pocketbook.volunteers.models import (
    AssignmentBatch,
    Certificate,
    CoverageCount,
    CoverageWatermark,
    HouseholdAssignment,
    Participant,
    Visit,
    VisitSchedule,
    Volunteer,
    VolunteerArea,
)

PAGE_SIZE = 50


def _areas_q(field_name: str, codes: list[str]) -> Q:
    condition = Q(pk__in=[])
    for code in codes:
        condition |= prefix_q(field_name, code)
    return condition


def viewer_areas(viewer: AnyUser) -> list[str]:
    """The viewer's area codes; a superuser's are the office's province; an anonymous visitor has none."""
    if not isinstance(viewer, User):
        return []
    if viewer.is_superuser:
        return [settings.HOME_PROVINCE_CODE]
    return list(viewer.area_codes())


# ---------------------------------------------------------------- registry


def volunteer_list(
    *, viewer: AnyUser, search: str = "", status: str = "", area_code: str = "", over_limit: bool = False
) -> QuerySet[Volunteer]:
    """Volunteers the viewer may see, by name or phone, status and area."""
    volunteers = Volunteer.objects.for_user(viewer, "view")
    if status:
        volunteers = volunteers.filter(status=status)
    if area_code:
        volunteers = volunteers.filter(
            Q(home_area_code__startswith=area_code) | Q(areas__area_code__startswith=area_code)
        )
    if over_limit:
        volunteers = volunteers.filter(caseload__gt=settings.VOLUNTEER_CASELOAD_LIMIT)
    text = " ".join((search or "").split())
    if text:
        parts = text.split(" ")
        if len(parts) >= 2:
            volunteers = volunteers.filter(first_name__startswith=parts[0], last_name__startswith=" ".join(parts[1:]))
        else:
            volunteers = volunteers.filter(
                Q(first_name__startswith=text) | Q(last_name__startswith=text) | Q(phone=text)
            )
    return volunteers.distinct().prefetch_related("areas")


def volunteer_get(*, viewer: AnyUser, pk: int, action: str = "view") -> Volunteer:
    """One volunteer the viewer may `action`; Volunteer.DoesNotExist when missing or out of the viewer's areas."""
    return Volunteer.objects.for_user(viewer, action).prefetch_related("areas").get(pk=pk)


def volunteer_open(*, viewer: AnyUser, pk: int) -> Volunteer:
    """`volunteer_get`, with the read written to the access log (the profile shows personal data)."""
    volunteer = volunteer_get(viewer=viewer, pk=pk)
    record_access(obj=volunteer, actor=viewer, purpose="volunteer profile")
    return volunteer


def volunteer_of_user(user: AnyUser | None) -> Volunteer | None:
    """The registry entry linked to a login, if any."""
    if user is None or not user.is_authenticated:
        return None
    return Volunteer.objects.filter(user=user).first()


def volunteer_choices(*, viewer: AnyUser, area_code: str = "") -> list[Volunteer]:
    """Active volunteers the viewer may assign households to (for a select list), serving `area_code` when given."""
    volunteers = Volunteer.objects.for_user(viewer, "view").filter(status=VolunteerStatus.ACTIVE)
    if area_code:
        served = [area_code[:length] for length in (6, 8) if len(area_code) >= length]
        volunteers = volunteers.filter(areas__area_code__in=served)
    return list(volunteers.distinct().order_by("first_name", "last_name")[:500])


@dataclass
class Profile:
    """What a volunteer's profile page shows."""

    volunteer: Volunteer
    areas: list[Any]
    trainings: Sequence[Participant]
    certificates: list[Certificate]
    schedules: list[VisitSchedule]
    visits_done: list[Visit]
    due_count: int
    overdue_count: int
    history: list[HouseholdAssignment]
    household_areas: dict[str, Any] = field(default_factory=dict)
    incidents: list[Any] = field(default_factory=list)
    incident_areas: dict[str, Any] = field(default_factory=dict)


def volunteer_profile(*, viewer: AnyUser, volunteer: Volunteer) -> Profile:
    """Training history and certificates, households in charge, visits done and due.

    The households (in care, visited, handed on) are only those the viewer may see: a volunteer serving the next
    subdistrict too shows its office nothing of the households there.
    """
    today = timezone.localdate()
    visible = _visible_households(viewer)
    schedules = list(
        VisitSchedule.objects.filter(volunteer=volunteer, household__in=visible)
        .select_related("household")
        .order_by("next_visit_on")[:200]
    )
    open_ids = set(volunteer.assignments.filter(ended_on__isnull=True).values_list("household_id", flat=True)[:10_000])
    schedules = [s for s in schedules if s.household_id in open_ids]
    trainings = list(
        Participant.objects.filter(volunteer=volunteer)
        .select_related("project")
        .annotate(sessions_attended=Count("attendances"))
        .order_by("-project__starts_on")
    )
    certificates = list(
        Certificate.objects.filter(participant__volunteer=volunteer).select_related("project").order_by("-issued_on")
    )
    due = [s for s in schedules if s.next_visit_on and s.next_visit_on <= today + dt.timedelta(days=7)]
    incidents = incidents_attended(viewer=viewer, volunteer=volunteer)
    handed_on = volunteer.assignments.filter(ended_on__isnull=False, household__in=visible)
    return Profile(
        volunteer=volunteer,
        areas=list(areas_get([a.area_code for a in volunteer.areas.all()]).values()),
        trainings=trainings,
        certificates=certificates,
        schedules=schedules,
        visits_done=list(
            Visit.objects.filter(volunteer=volunteer, household__in=visible).order_by("-visited_on", "-id")[:20]
        ),
        due_count=len(due),
        overdue_count=len([s for s in due if s.next_visit_on is not None and s.next_visit_on < today]),
        history=list(handed_on.order_by("-ended_on", "-id")[:20]),
        household_areas=areas_get({s.household.area_code for s in schedules}),
        incidents=incidents,
        incident_areas=areas_get({i.area_code for i in incidents}),
    )


INCIDENTS_SHOWN = 20


def incidents_attended(*, viewer: AnyUser, volunteer: Volunteer) -> list[Incident]:
    """The ESS incidents the volunteer was dispatched to as a responder, as far as the viewer may see incidents.

    Through incidents' own selector given the viewer: without the incident permission or outside the viewer's
    areas there is none. Only the type, date, status and area are loaded (no reporter's personal data).
    """
    if volunteer.user_id is None:
        return []
    return list(
        incident_queryset(viewer=viewer)
        .select_related(None)
        .filter(pk__in=Dispatch.objects.filter(responder__user_id=volunteer.user_id).values("incident_id"))
        .only("pk", "number", "incident_type", "status", "received_at", "area_code")
        .order_by("-received_at", "-id")[:INCIDENTS_SHOWN]
    )


def _visible_households(viewer: AnyUser) -> QuerySet[Household, int]:
    return Household.objects.for_user(viewer, "view").values_list("pk", flat=True)


# ---------------------------------------------------------------- caseloads


def assignment_area_get(*, viewer: User, area_code: str) -> Area | None:
    """The village or subdistrict to assign households in, when inside the viewer's areas; else None (as missing)."""
    code = area_code.strip()[:8]
    if not (code.isdigit() and len(code) in (6, 8)):
        return None
    area = area_get(code)
    return area if area is not None and viewer.covers(area.code) else None


def household_assignment_rows(
    *, viewer: AnyUser, area_code: str, without_volunteer: bool = False
) -> list[dict[str, Any]]:
    """The households of one village (or subdistrict) with their volunteer in charge, for the select-on-a-list page."""
    households = Household.objects.for_user(viewer, "change").filter(area_code__startswith=area_code)
    rows = list(
        households.order_by("area_code", "house_no", "id").values("pk", "house_no", "area_code", "has_consent")[:500]
    )
    ids = [row["pk"] for row in rows]
    current = dict(
        HouseholdAssignment.objects.filter(household_id__in=ids, ended_on__isnull=True).values_list(
            "household_id", "volunteer_id"
        )
    )
    names = {v.pk: v.full_name for v in Volunteer.objects.filter(pk__in=set(current.values()))}
    result = []
    for row in rows:
        volunteer_id = current.get(row["pk"])
        if without_volunteer and volunteer_id:
            continue
        name = names.get(volunteer_id, "") if volunteer_id is not None else ""
        result.append({**row, "volunteer_id": volunteer_id, "volunteer_name": name})
    return result


def household_assignment_history(*, viewer: AnyUser, household: Household) -> list[HouseholdAssignment]:
    """Who has been in charge of a household, newest first."""
    if not Household.objects.for_user(viewer, "view").filter(pk=household.pk).exists():
        return []
    return list(
        HouseholdAssignment.objects.filter(household=household).select_related("volunteer", "assigned_by")[:50]
    )


def assignment_batches(*, viewer: AnyUser, limit: int = 20) -> list[AssignmentBatch]:
    """The latest assignment actions in the viewer's areas."""
    batches = AssignmentBatch.objects.for_user(viewer, "view") if not viewer.is_superuser else AssignmentBatch.objects
    return list(batches.select_related("to_volunteer", "from_volunteer", "actor")[:limit])


COVERAGE_PERMISSIONS = ("volunteers.view_coverage", "reports.view_aggregates")  # analysts hold the second


def may_see_coverage(user: AnyUser) -> bool:
    """Coverage is counts only: the office's staff and the analysts may see it."""
    return any(user.has_perm(permission) for permission in COVERAGE_PERMISSIONS)


@dataclass
class CoverageRow:
    """Coverage of one area: households with and without a volunteer, volunteers and their load."""

    area_code: str
    name: str = ""
    households: int = 0
    with_volunteer: int = 0
    volunteers: int = 0
    over_limit: int = 0

    @property
    def without_volunteer(self) -> int:
        return max(self.households - self.with_volunteer, 0)

    @property
    def per_volunteer(self) -> float | None:
        return round(self.with_volunteer / self.volunteers, 1) if self.volunteers else None

    @property
    def percent(self) -> int:
        return round(100 * self.with_volunteer / self.households) if self.households else 0


def _coverage_scope(model: Any, viewer: AnyUser) -> QuerySet[Any]:
    """The rows of `model` the viewer may count on the coverage page (the one access gate: `for_permission`)."""
    scoped: QuerySet[Any] = model.objects.for_permission(viewer, *COVERAGE_PERMISSIONS)
    return scoped


def _coverage_areas(viewer: AnyUser, area_code: str) -> list[str]:
    """The areas the page shows: the viewer's, or the part of them inside (or around) the area asked for."""
    areas = viewer_areas(viewer)
    if not area_code:
        return areas
    return [
        area_code if area_code.startswith(code) else code
        for code in areas
        if code.startswith(area_code) or area_code.startswith(code)
    ]


def coverage(*, viewer: AnyUser, area_code: str = "", names: bool = True) -> tuple[list[CoverageRow], CoverageRow]:
    """Coverage per subdistrict (or per village inside a subdistrict): a handful of small queries.

    The counts per village come from CoverageCount (kept by the assignment services and `coverage_refresh`) plus
    the households registered since the last refresh, so no query scans the households or the assignments. Every
    query is scoped by `for_permission(viewer, *COVERAGE_PERMISSIONS)` (counts only: analysts count households
    they may not open); `area_code` and the viewer's areas only choose which rows the page shows and their level.
    """
    areas = _coverage_areas(viewer, area_code)
    level = 8 if any(len(code) >= 6 for code in areas) else 6
    rows: dict[str, CoverageRow] = {}

    def row(code: str) -> CoverageRow:
        key = code[:level]
        if key not in rows:
            rows[key] = CoverageRow(area_code=key)
        return rows[key]

    shown = _areas_q("area_code", areas)
    for code, households, assigned in (
        _coverage_scope(CoverageCount, viewer).filter(shown).values_list("area_code", "households", "assigned")
    ):
        item = row(code)
        item.households += households
        item.with_volunteer += assigned
    # Households registered since the last refresh: few, found by primary key above the watermark.
    watermark = CoverageWatermark.objects.values_list("last_household_id", flat=True).first() or 0
    prefixes = tuple(areas)
    # Counted here, not grouped in SQL: a GROUP BY may lead the database along the whole area index instead of the
    # few rows above the watermark.
    for code in (
        _coverage_scope(Household, viewer).filter(pk__gt=watermark).order_by().values_list("area_code", flat=True)
    ):
        if code.startswith(prefixes):
            row(code).households += 1
    served: dict[str, set[int]] = defaultdict(set)
    wide: list[tuple[int, str]] = []  # volunteers serving a whole subdistrict, counted in each of its villages
    # From the served areas (their area index), joined to the active volunteers: no outer join over every volunteer.
    for volunteer_id, code in (
        _coverage_scope(VolunteerArea, viewer)
        .filter(shown, volunteer__status=VolunteerStatus.ACTIVE)
        .order_by()
        .values_list("volunteer_id", "area_code")
    ):
        if len(code) >= level:
            served[code[:level]].add(volunteer_id)
            row(code)
        else:
            wide.append((volunteer_id, code))
    for volunteer_id, code in wide:
        for key in [key for key in rows if key.startswith(code)] or [code]:
            served[key].add(volunteer_id)
    for key, ids in served.items():
        row(key).volunteers = len(ids)
    over = (
        _coverage_scope(Volunteer, viewer)
        .filter(status=VolunteerStatus.ACTIVE, caseload__gt=settings.VOLUNTEER_CASELOAD_LIMIT)
        .filter(_areas_q("home_area_code", areas))
        .values_list("home_area_code", flat=True)
    )
    for code in over:
        row(code).over_limit += 1
    ordered = [rows[key] for key in sorted(rows)]
    if names:
        found = _area_names([r.area_code for r in ordered])
        for item in ordered:
            item.name = found.get(item.area_code, item.area_code)
    total = CoverageRow(
        area_code=",".join(areas),
        households=sum(r.households for r in ordered),
        with_volunteer=sum(r.with_volunteer for r in ordered),
        volunteers=len({v for ids in served.values() for v in ids}),
        over_limit=sum(r.over_limit for r in ordered),
    )
    return ordered, total


def _area_names(codes: list[str]) -> dict[str, str]:
    """Names of subdistricts and villages in the active language: two narrow queries, no joins."""
    english = (get_language() or "th").startswith("en")
    names: dict[str, str] = {}
    subdistricts = [code for code in codes if len(code) == 6]
    villages = [code for code in codes if len(code) == 8]
    if subdistricts:
        for code, thai, other in Subdistrict.objects.filter(code__in=subdistricts).values_list(
            "code", "name_th", "name_en"
        ):
            names[code] = other if english and other else thai
    if villages:
        for code, number, name in Village.objects.filter(code__in=villages).values_list("code", "number", "name"):
            names[code] = f"{'Moo' if english else 'หมู่'} {number} {name}".strip()
    return names


# ---------------------------------------------------------------- visits


@dataclass
class VisitList:
    """My visits: overdue first, then this week, then later."""

    overdue: list[VisitSchedule]
    this_week: list[VisitSchedule]
    later: list[VisitSchedule]
    volunteer: Volunteer | None


def my_visits(*, viewer: AnyUser, limit: int = 200) -> VisitList:
    """The visits due of the viewer's own registry entry, on the households they are in charge of and may see.

    The registry may say the entry serves a village outside the login's areas; the login's areas decide, as for the
    phone's caseload.
    """
    volunteer = volunteer_of_user(viewer)
    if volunteer is None:
        return VisitList([], [], [], None)
    today = timezone.localdate()
    week_end = today + dt.timedelta(days=7)
    schedules = list(
        VisitSchedule.objects.filter(volunteer=volunteer, household__in=_visible_households(viewer))
        .select_related("household")
        .order_by("next_visit_on", "household_id")[:limit]
    )
    overdue = [s for s in schedules if s.next_visit_on and s.next_visit_on < today]
    this_week = [s for s in schedules if s.next_visit_on and today <= s.next_visit_on <= week_end]
    later = [s for s in schedules if s not in overdue and s not in this_week]
    return VisitList(overdue, this_week, later, volunteer)


def household_volunteer_section(viewer: AnyUser, household: Household) -> dict[str, Any] | None:
    """The household page's section: the volunteer in charge, the next visit, the latest visits."""
    if not viewer.has_perm("volunteers.view_visitschedule"):
        return None
    schedule = VisitSchedule.objects.filter(household_id=household.pk).select_related("volunteer").first()
    current = (
        HouseholdAssignment.objects.filter(household_id=household.pk, ended_on__isnull=True)
        .select_related("volunteer")
        .first()
    )
    return {
        "household": household,
        "assignment": current,
        "schedule": schedule,
        "is_overdue": bool(schedule and schedule.next_visit_on and schedule.next_visit_on < timezone.localdate()),
        "visits": list(Visit.objects.filter(household_id=household.pk).select_related("volunteer")[:5]),
        "can_record": viewer.has_perm("volunteers.add_visit"),
        "can_assign": viewer.has_perm("volunteers.add_householdassignment"),
    }


def next_visits_for(viewer: AnyUser, households: Sequence[Household]) -> dict[int, Any]:
    """{household id: {"on": next visit date, "overdue": bool}} for a list page, in one query."""
    ids = [h.pk for h in households]
    if not ids or not viewer.has_perm("volunteers.view_visitschedule"):
        return {}
    today = timezone.localdate()
    return {
        household_id: {"on": next_on, "overdue": next_on is not None and next_on < today}
        for household_id, next_on in VisitSchedule.objects.filter(
            household_id__in=ids, volunteer__isnull=False, next_visit_on__isnull=False
        ).values_list("household_id", "next_visit_on")
    }


def caseload_visit_schedules(viewer: AnyUser, households: Sequence[Household]) -> dict[int, Any]:
    """The visit schedule a phone keeps with each household of its caseload, as JSON, in one query."""
    ids = [h.pk for h in households]
    if not ids or not viewer.has_perm("volunteers.view_visitschedule"):
        return {}
    today = timezone.localdate()
    rows = VisitSchedule.objects.filter(household_id__in=ids, volunteer__isnull=False).values_list(
        "household_id", "interval_days", "last_visit_on", "next_visit_on"
    )
    return {
        household_id: {
            "interval_days": interval_days,
            "last_visit_on": last_on.isoformat() if last_on else None,
            "next_visit_on": next_on.isoformat() if next_on else None,
            "next_visit_label": format_date(next_on),  # in the Buddhist Era, as every page shows dates
            "overdue": next_on is not None and next_on < today,
        }
        for household_id, interval_days, last_on, next_on in rows
    }


def overdue_visits_count(user: User) -> int | None:
    """The menu's number beside My visits: the user's overdue visits it lists (one query), None when none."""
    count = VisitSchedule.objects.filter(
        volunteer__user=user, next_visit_on__lt=timezone.localdate(), household__in=_visible_households(user)
    ).count()
    return count or None
