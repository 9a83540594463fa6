"""The "incidents" topic: ESS counters per area and period, kept by a listener and rebuilt set-based.

An incident contributes one set of keys for its current state (see `contributions`); when it changes, the
listener adds the keys of the new state and takes away those of the state before (the snapshot incidents
passes), so opened, acknowledged, overdue, re-placed or closed incidents all keep the counters exact.

Keys, in the month and the fiscal year the incident was received:
  received, type:<type>, channel:<channel>, hour:<0..23>, closed:<status>,
  ack_min:<bucket>, dispatch_min:<bucket>, on_scene_min:<bucket> (minutes from received; histograms.py),
  sla:<step>:met / sla:<step>:late (the step done within its priority's target or not).
Keys of the current state (period ""): open, status:<open status>, open_overdue.
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
from django.db.models.functions import ExtractHour, TruncDate
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


def contributions(state: Mapping[str, Any], targets: Mapping[str, Mapping[str, int]]) -> list[Key]:
    """The counters one incident in this state adds 1 to."""
    area = state["area_code"] or ""
    received: dt.datetime = state["received_at"]
    keys: list[Key] = []
    if state["status"] in OPEN_STATUSES:
        keys += [(area, CURRENT, "open"), (area, CURRENT, f"status:{state['status']}")]
        if state["is_overdue"]:
            keys.append((area, CURRENT, "open_overdue"))
    counted = [
        "received",
        f"type:{state['incident_type']}",
        f"channel:{state['channel']}",
        f"hour:{timezone.localtime(received).hour}",
    ]
    if state["status"] in CLOSED_STATUSES:
        counted.append(f"closed:{state['status']}")
    for step, field, name in STEPS:
        done: dt.datetime | None = state[field]
        if done is None:
            continue
        minutes = (done - received).total_seconds() / 60
        counted.append(bucket_key(name, minutes, MINUTE_EDGES))
        target = targets.get(state["priority"], {}).get(step)
        if target is not None:
            counted.append(f"sla:{step}:{'met' if minutes <= target else 'late'}")
    for period in periods_of(local_day(received)):
        keys += [(area, period, key) for key in counted]
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


def rebuild_rows() -> Iterable[TallyChange]:
    """Every counter of the topic, from the incidents, grouped in the database."""
    targets = sla_targets()
    totals: Counter[Key] = Counter()
    local = TruncDate("received_at", tzinfo=timezone.get_current_timezone())
    base = Incident.objects.order_by().annotate(day=local)
    grouped = (
        base.annotate(hour=ExtractHour("received_at", tzinfo=timezone.get_current_timezone()))
        .values("area_code", "day", "incident_type", "channel", "status", "hour")
        .annotate(n=Count("id"))
        .values_list("area_code", "day", "incident_type", "channel", "status", "hour", "n")
    )
    for row in grouped:
        area, day, incident_type, channel, status, hour, n = row
        counted = ["received", f"type:{incident_type}", f"channel:{channel}", f"hour:{hour}"]
        if status in CLOSED_STATUSES:
            counted.append(f"closed:{status}")
        for period in periods_of(day):
            for key in counted:
                totals[(area, period, key)] += n
    for step, field, name in STEPS:
        rows = (
            base.filter(**{f"{field}__isnull": False})
            .annotate(duration=_minutes(field))
            .annotate(bucket=_bucket("duration"), met=_met("duration", step, targets))
            .values("area_code", "day", "bucket", "met", "priority")
            .annotate(n=Count("id"))
            .values_list("area_code", "day", "bucket", "met", "priority", "n")
        )
        for area, day, bucket, met, priority, n in rows:
            for period in periods_of(day):
                totals[(area, period, f"{name}:{bucket}")] += n
                if step in targets.get(priority, {}):
                    totals[(area, period, f"sla:{step}:{'met' if met else 'late'}")] += n
    current = (
        Incident.objects.order_by()
        .filter(status__in=OPEN_STATUSES)
        .values("area_code", "status", "is_overdue")
        .annotate(n=Count("id"))
        .values_list("area_code", "status", "is_overdue", "n")
    )
    for area, status, is_overdue, n in current:
        totals[(area, CURRENT, "open")] += n
        totals[(area, CURRENT, f"status:{status}")] += n
        if is_overdue:
            totals[(area, CURRENT, "open_overdue")] += n
    return [TallyChange(TOPIC, area, period, key, n) for (area, period, key), n in totals.items() if n]


def rebuild() -> int:
    """Replace the topic's counters with those counted from the incidents; return how many rows were written."""
    return tally_replace_topic(TOPIC, rebuild_rows())
