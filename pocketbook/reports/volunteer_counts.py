"""The "volunteers" topic: visits done and due, training participants and attendance, per area and period.

Keys of a month and a fiscal year (of the visit day): visits_done.
Keys of the current state (period ""): visit_due:<YYYY-MM> (households whose next visit falls in that month;
those of months before this one are overdue).
Keys of a training project's fiscal year (BE), at the project's area: training_participants,
training_participants:<role>, training_attended (registered people checked in at least once), training_checkins.

Visits move the due month through the volunteers listener; a visit schedule created or re-timed by an
assignment is counted by `rebuild_aggregates` (run nightly), which recounts everything set-based.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import TruncMonth

from pocketbook.reports.periods import CURRENT, fiscal_year_be_period, periods_of
from pocketbook.reports.tallies import TallyChange, tally_add, tally_replace_topic
from pocketbook.volunteers.models import Visit, VisitSchedule
from pocketbook.volunteers.training_models import Attendance, Participant

logger = logging.getLogger(__name__)

TOPIC = "volunteers"
Key = tuple[str, str, str]


def due_key(day: dt.date) -> str:
    """The counter of the households due for a visit in the month of `day`."""
    return f"visit_due:{day.year:04d}-{day.month:02d}"


def _safely(what: str, pk: object, changes: Iterable[TallyChange]) -> None:
    try:
        with transaction.atomic():
            tally_add(list(changes))
    except Exception:
        logger.exception("Volunteer counters not updated for %s %s; rebuild_aggregates mends them", what, pk)


def visit_counted(visit: Visit, due_before: dt.date | None, due_after: dt.date | None) -> None:
    """The visits' listener: one visit done in its month, and the household's due month moved."""
    area = visit.area_code
    changes = [TallyChange(TOPIC, area, period, "visits_done", 1) for period in periods_of(visit.visited_on)]
    if due_before != due_after:
        if due_before is not None:
            changes.append(TallyChange(TOPIC, area, CURRENT, due_key(due_before), -1))
        if due_after is not None:
            changes.append(TallyChange(TOPIC, area, CURRENT, due_key(due_after), 1))
    _safely("visit", visit.pk, changes)


def participant_counted(participant: Participant) -> None:
    """The training listener: one more person registered for the project."""
    project = participant.project
    period = fiscal_year_be_period(project.fiscal_year)
    keys = ("training_participants", f"training_participants:{participant.role}")
    _safely("participant", participant.pk, [TallyChange(TOPIC, project.area_code, period, key, 1) for key in keys])


def attendance_counted(attendance: Attendance) -> None:
    """The check-in listener: one more check-in, and one more person attending when it is their first."""
    participant = attendance.participant
    project = participant.project
    period = fiscal_year_be_period(project.fiscal_year)
    keys = ["training_checkins"]
    if not Attendance.objects.filter(participant_id=participant.pk).exclude(pk=attendance.pk).exists():
        keys.append("training_attended")
    _safely("attendance", attendance.pk, [TallyChange(TOPIC, project.area_code, period, key, 1) for key in keys])


def rebuild_rows() -> list[TallyChange]:
    """Every counter of the topic, grouped in the database."""
    totals: Counter[Key] = Counter()
    visits = Visit.objects.order_by().values("area_code", "visited_on").annotate(n=Count("id"))
    for area, day, n in visits.values_list("area_code", "visited_on", "n"):
        for period in periods_of(day):
            totals[(area, period, "visits_done")] += n
    due = (
        VisitSchedule.objects.order_by()
        .filter(next_visit_on__isnull=False)
        .annotate(month=TruncMonth("next_visit_on"))
        .values("area_code", "month")
        .annotate(n=Count("pk"))
        .values_list("area_code", "month", "n")
    )
    for area, month, n in due:
        totals[(area, CURRENT, due_key(month))] += n
    participants = Participant.objects.order_by().values("project__area_code", "project__fiscal_year", "role")
    for area, year, role, n in participants.annotate(n=Count("id")).values_list(
        "project__area_code", "project__fiscal_year", "role", "n"
    ):
        totals[(area, fiscal_year_be_period(year), "training_participants")] += n
        totals[(area, fiscal_year_be_period(year), f"training_participants:{role}")] += n
    attended = (
        Participant.objects.order_by()
        .filter(Exists(Attendance.objects.filter(participant_id=OuterRef("pk"))))
        .values("project__area_code", "project__fiscal_year")
        .annotate(n=Count("id"))
        .values_list("project__area_code", "project__fiscal_year", "n")
    )
    for area, year, n in attended:
        totals[(area, fiscal_year_be_period(year), "training_attended")] += n
    checkins = (
        Attendance.objects.order_by()
        .values("participant__project__area_code", "participant__project__fiscal_year")
        .annotate(n=Count("id"))
        .values_list("participant__project__area_code", "participant__project__fiscal_year", "n")
    )
    for area, year, n in checkins:
        totals[(area, fiscal_year_be_period(year), "training_checkins")] += n
    return [TallyChange(TOPIC, area, period, key, n) for (area, period, key), n in totals.items() if n]


def rebuild() -> int:
    """Replace the topic's counters with those counted from visits, schedules and training."""
    return tally_replace_topic(TOPIC, rebuild_rows())
