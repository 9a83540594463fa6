"""The "incidents" topic: ESS counters per area and period, kept by a listener and rebuilt set-based.

An incident contributes one set of keys for its current state (see `contributions`); when it changes, the
listener adds the keys of the new state and takes away those of the state before (the snapshot incidents
passes), so opened, acknowledged, overdue, re-placed or closed incidents all keep the counters exact.

Keys, in the month and the fiscal year the incident was received: received, type:<type>, channel:<channel>,
closed:<status>. In the fiscal year only (few counters per area): hour:<0..23>, ack_min:<bucket>,
dispatch_min:<bucket>, on_scene_min:<bucket> (minutes from received; histograms.py), sla:<step>:met / late
(the step done within its priority's target or not). Keys of the current state (period ""): open,
status:<open status>, open_overdue. Incidents are counted at their subdistrict (they are routed by it), so the
ESS drill-down stops there.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Case, Count, DurationField, ExpressionWrapper, F, IntegerField, Q, Value, When
from django.db.models.functions import ExtractHour, TruncMonth
from django.utils import timezone

from pocketbook.incidents.choices import CLOSED_STATUSES, OPEN_STATUSES, SlaStep
from pocketbook.incidents.models import Incident, SlaTarget
from pocketbook.reports.histograms import MINUTE_EDGES, bucket_key
from pocketbook.reports.periods import CURRENT, local_day, periods_of
from pocketbook.reports.tallies import TallyChange, tally_add, tally_replace_topic

logger = logging.getLogger(__name__)

TOPIC = "incidents"
STATE_FIELDS = (
    "area_code",
    "incident_type",
    "channel",
    "priority",
    "status",
    "is_overdue",
    "received_at",
    "acknowledged_at",
    "dispatched_at",
    "on_scene_at",
)
# The three SLA steps, the field that says when each was done, and its histogram's name.
STEPS: tuple[tuple[str, str, str], ...] = (
    (SlaStep.ACKNOWLEDGE.value, "acknowledged_at", "ack_min"),
    (SlaStep.DISPATCH.value, "dispatched_at", "dispatch_min"),
    (SlaStep.ON_SCENE.value, "on_scene_at", "on_scene_min"),
)

Key = tuple[str, str, str]  # (area code, period, key)


def sla_targets() -> dict[str, dict[str, int]]:
    """{priority: {step: minutes}} from the SLA targets (a table of three rows)."""
    return {
        target.priority: {step: target.minutes_for(step) for step, _field, _name in STEPS}
        for target in SlaTarget.objects.all()
    }


def counted_area(area_code: str) -> str:
    """The area an incident is counted in: its subdistrict at most (incidents are routed by subdistrict)."""
    return (area_code or "")[:6]


def contributions(state: Mapping[str, Any], targets: Mapping[str, Mapping[str, int]]) -> list[Key]:
    """The counters one incident in this state adds 1 to."""
    area = counted_area(state["area_code"])
    received: dt.datetime = state["received_at"]
    keys: list[Key] = []
    if state["status"] in OPEN_STATUSES:
        keys += [(area, CURRENT, "open"), (area, CURRENT, f"status:{state['status']}")]
        if state["is_overdue"]:
            keys.append((area, CURRENT, "open_overdue"))
    monthly = ["received", f"type:{state['incident_type']}", f"channel:{state['channel']}"]
    if state["status"] in CLOSED_STATUSES:
        monthly.append(f"closed:{state['status']}")
    yearly = [f"hour:{timezone.localtime(received).hour}"]
    for step, field, name in STEPS:
        done: dt.datetime | None = state[field]
        if done is None:
            continue
        minutes = (done - received).total_seconds() / 60
        yearly.append(bucket_key(name, minutes, MINUTE_EDGES))
        target = targets.get(state["priority"], {}).get(step)
        if target is not None:
            yearly.append(f"sla:{step}:{'met' if minutes <= target else 'late'}")
    month, fiscal_year = periods_of(local_day(received))
    keys += [(area, month, key) for key in monthly]
    keys += [(area, fiscal_year, key) for key in monthly + yearly]
    return keys


def state_of(incident: Incident) -> dict[str, Any]:
    """The fields of an incident the counters depend on."""
    return {field: getattr(incident, field) for field in STATE_FIELDS}


def changes_between(
    after: Mapping[str, Any] | None, before: Mapping[str, Any] | None, targets: Mapping[str, Mapping[str, int]]
) -> list[TallyChange]:
    """What to add to the counters when an incident goes from `before` to `after` (None: not there)."""
    deltas: Counter[Key] = Counter()
    if after is not None:
        deltas.update(contributions(after, targets))
    if before is not None:
        deltas.subtract(contributions(before, targets))
    return [TallyChange(TOPIC, area, period, key, delta) for (area, period, key), delta in deltas.items() if delta]


def incident_counted(incident: Incident, before: Mapping[str, Any] | None) -> None:
    """The incidents' listener: move the counters from the incident's old state to its new one.

    A statistic must never make an emergency fail: the writes are upserts, and any error is logged and
    undone to a savepoint (the counters are then mended by `rebuild_aggregates`), never raised.
    """
    try:
        with transaction.atomic():
            previous = {field: before[field] for field in STATE_FIELDS} if before is not None else None
            tally_add(changes_between(state_of(incident), previous, sla_targets()))
    except Exception:
        logger.exception("ESS counters not updated for incident %s; rebuild_aggregates mends them", incident.pk)


# --- the rebuild: a few GROUP BY queries over the incidents -------------------------------------------------------


def _minutes(field: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(field) - F("received_at"), output_field=DurationField())


def _bucket(duration_alias: str) -> Case:
    """The histogram bucket (lower edge in minutes) of a duration, in SQL."""
    whens = [
        When(**{f"{duration_alias}__lt": dt.timedelta(minutes=upper)}, then=Value(lower))
        for lower, upper in itertools.pairwise(MINUTE_EDGES)
    ]
    return Case(*whens, default=Value(MINUTE_EDGES[-1]), output_field=IntegerField())


def _met(duration_alias: str, step: str, targets: Mapping[str, Mapping[str, int]]) -> Case:
    whens = [
        When(Q(priority=priority) & Q(**{f"{duration_alias}__lte": dt.timedelta(minutes=minutes[step])}), then=1)
        for priority, minutes in targets.items()
        if step in minutes
    ]
    return Case(*whens, default=Value(0), output_field=IntegerField())


def _grouped(queryset: Any, *fields: str) -> Any:
    """(area code, month, *fields, n) rows: one GROUP BY over the incidents, few rows per area and month."""
    return (
        queryset.values("area_code", "month", *fields)
        .annotate(n=Count("id"))
        .values_list("area_code", "month", *fields, "n")
    )


def rebuild_rows() -> Iterable[TallyChange]:
    """Every counter of the topic, from the incidents, grouped in the database by area and month.

    A fiscal year starts on the first of a month, so the month's rows also make the fiscal year's; each family
    of keys (type, channel, hour, outcome, each step's buckets) is its own small GROUP BY rather than one that
    would have nearly a row per incident.
    """
    targets = sla_targets()
    totals: Counter[Key] = Counter()
    zone = timezone.get_current_timezone()
    base = Incident.objects.order_by().annotate(month=TruncMonth("received_at", tzinfo=zone))

    def add(rows: Any, key: Any, *, monthly: bool = True) -> None:
        for area, month, *values, n in rows:
            month_code, fiscal_year = periods_of(month.date() if isinstance(month, dt.datetime) else month)
            for period in (month_code, fiscal_year) if monthly else (fiscal_year,):
                totals[(counted_area(area), period, key(*values))] += n

    add(_grouped(base), lambda: "received")
    add(_grouped(base, "incident_type"), lambda value: f"type:{value}")
    add(_grouped(base, "channel"), lambda value: f"channel:{value}")
    add(_grouped(base.filter(status__in=CLOSED_STATUSES), "status"), lambda status: f"closed:{status}")
    hours = base.annotate(hour=ExtractHour("received_at", tzinfo=zone))
    add(_grouped(hours, "hour"), lambda hour: f"hour:{hour}", monthly=False)
    for step, field, name in STEPS:
        timed = (
            base.filter(**{f"{field}__isnull": False})
            .annotate(duration=_minutes(field))
            .annotate(bucket=_bucket("duration"), met=_met("duration", step, targets))
        )
        add(_grouped(timed, "bucket"), lambda bucket, name=name: f"{name}:{bucket}", monthly=False)
        with_target = timed.filter(priority__in=[p for p, minutes in targets.items() if step in minutes])
        add(
            _grouped(with_target, "met"),
            lambda met, step=step: f"sla:{step}:{'met' if met else 'late'}",
            monthly=False,
        )
    current = (
        Incident.objects.order_by()
        .filter(status__in=OPEN_STATUSES)
        .values("area_code", "status", "is_overdue")
        .annotate(n=Count("id"))
        .values_list("area_code", "status", "is_overdue", "n")
    )
    for area, status, is_overdue, n in current:
        totals[(counted_area(area), CURRENT, "open")] += n
        totals[(counted_area(area), CURRENT, f"status:{status}")] += n
        if is_overdue:
            totals[(counted_area(area), CURRENT, "open_overdue")] += n
    return [TallyChange(TOPIC, area, period, key, n) for (area, period, key), n in totals.items() if n]


def rebuild() -> int:
    """Replace the topic's counters with those counted from the incidents; return how many rows were written."""
    return tally_replace_topic(TOPIC, rebuild_rows())
