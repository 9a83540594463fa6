"""Needs: suggested from assessments (set-based, in batches), added by hand, dismissed."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pocketbook.accounts.models import User
from pocketbook.assessments.models import Assessment, Indicator
from pocketbook.audit.models import Action
from pocketbook.audit.services import record_change, snapshot
from pocketbook.cases import events
from pocketbook.cases.choices import (
    CaseEventKind,
    NeedSource,
    NeedStatus,
)
from pocketbook.cases.models import (
    Case,
    Need,
)
from pocketbook.cases.services.guards import (
    _audit_update,
    _require,
    _require_scope,
    _text,
)
from pocketbook.households.models import Household
from pocketbook.incidents.models import Incident

logger = logging.getLogger(__name__)

SUGGEST_BATCH = 5000


@dataclass(frozen=True)
class SuggestReport:
    households: int
    suggested: int
    met: int


def needs_suggest_for_rescored(household_ids: Sequence[int]) -> None:
    """Follow a re-scoring batch (the assessments listener)."""
    needs_suggest_for_households(household_ids)


def needs_suggest_for_assessment(assessment: Assessment) -> None:
    """Suggest needs from a just-submitted assessment (the assessments listener)."""
    needs_suggest_for_households([assessment.household_id])


def needs_suggest_for_households(household_ids: Sequence[int]) -> SuggestReport:
    """Bring the households' standing needs in line with their latest assessments, set-based.

    A failed indicator without a standing need gets a suggested need; a standing need whose indicator now
    passes is marked met at that assessment. Reads and writes go by batches of households in a few
    queries each, so a re-scoring of a whole province is followed in seconds. One log line, no per-row audit
    (like the re-scoring that calls it, this is the system's own work).
    """
    suggested = met = 0
    ids = list(dict.fromkeys(household_ids))
    indicator_ids: dict[tuple[int, str], int] = {
        (set_id, code): pk for pk, set_id, code in Indicator.objects.values_list("id", "indicator_set_id", "code")
    }
    for start in range(0, len(ids), SUGGEST_BATCH):
        with transaction.atomic():
            batch_suggested, batch_met = _suggest_batch(ids[start : start + SUGGEST_BATCH], indicator_ids)
        suggested += batch_suggested
        met += batch_met
    if len(ids) > 1:
        logger.info("needs: %d households, %d suggested, %d met", len(ids), suggested, met)
    return SuggestReport(len(ids), suggested, met)


def _suggest_batch(household_ids: list[int], indicator_ids: dict[tuple[int, str], int]) -> tuple[int, int]:
    wanted = set(household_ids)
    latest = [row for row in _fetch(_LATEST_RESULTS, household_ids) if row[1] in wanted]
    failed: dict[tuple[int, str], tuple[str, int, int]] = {}
    passed: dict[tuple[int, str], tuple[int, dt.date]] = {}
    for assessment_id, household_id, set_id, assessed_on, results_text in latest:
        if isinstance(assessed_on, str):  # SQLite through a raw cursor
            assessed_on = dt.date.fromisoformat(assessed_on)
        for code, result in orjson.loads(results_text or "{}").items():
            if result.get("status") == "fail":
                failed[household_id, code] = (result.get("dimension", ""), set_id, assessment_id)
            elif result.get("status") == "pass":
                passed[household_id, code] = (assessment_id, assessed_on)
    standing = {
        (household_id, code): (pk, status)
        for pk, household_id, code, status in _fetch(_STANDING_NEEDS, household_ids)
        if household_id in wanted
    }
    now = connection.ops.adapt_datetimefield_value(timezone.now())  # adapted once, not once a row
    new_rows = [
        (
            now,
            now,
            household_id,
            NeedSource.ASSESSMENT,
            NeedStatus.SUGGESTED,
            dimension,
            code,
            indicator_ids.get((set_id, code)),
            assessment_id,
        )
        for (household_id, code), (dimension, set_id, assessment_id) in failed.items()
        if (household_id, code) not in standing
    ]
    met_rows = [
        (
            NeedStatus.DISMISSED if status == NeedStatus.DISMISSED else NeedStatus.MET,
            passed[key][0],
            passed[key][1],
            now,
            pk,
        )
        for key, (pk, status) in standing.items()
        if key in passed
    ]
    # A province's worth of rows: no model instances and no CASE-WHEN updates. PostgreSQL copies the new rows and
    # updates the met ones from one VALUES list per chunk; SQLite runs prepared statements (no round trips there).
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _postgresql_write(cursor, new_rows, met_rows)
        else:
            if new_rows:
                cursor.executemany(_NEED_INSERT, new_rows)
            if met_rows:
                cursor.executemany(_NEED_MET_UPDATE, met_rows)
    return len(new_rows), len(met_rows)


def _postgresql_write(cursor: Any, new_rows: list[tuple[Any, ...]], met_rows: list[tuple[Any, ...]]) -> None:
    if new_rows:
        with cursor.cursor.copy(_NEED_COPY) as copy:
            for row in new_rows:
                copy.write_row((*row, "", ""))
    for start in range(0, len(met_rows), 1000):
        chunk = met_rows[start : start + 1000]
        values = ", ".join(["(%s, %s::bigint, %s::date, %s::timestamptz, %s::bigint)"] * len(chunk))
        cursor.execute(
            f"UPDATE {Need._meta.db_table} AS need SET status = v.status, met_assessment_id = v.assessment, "  # noqa: S608 - table names from the models, values bound
            f"met_on = v.day, updated_at = v.stamp FROM (VALUES {values}) AS v(status, assessment, day, stamp, id) "
            "WHERE need.id = v.id",
            [value for row in chunk for value in row],
        )


def _fetch(query: str, household_ids: list[int]) -> list[tuple[Any, ...]]:
    """Rows of `query` for a batch of households: by id range when the ids are dense (a re-scoring's batch, read
    without building a long IN list), else by the list; the caller drops rows of households outside the batch."""
    low, high = min(household_ids), max(household_ids)
    json_text = "::text" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        if high - low < 2 * len(household_ids):
            cursor.execute(query.format(json_text=json_text, households="BETWEEN %s AND %s"), [low, high])
        else:
            marks = ", ".join(["%s"] * len(household_ids))
            cursor.execute(query.format(json_text=json_text, households=f"IN ({marks})"), household_ids)
        return cursor.fetchall()


_LATEST_RESULTS = (
    "SELECT id, household_id, indicator_set_id, assessed_on, indicator_results{json_text} "  # noqa: S608 - table names from the models, values bound
    f"FROM {Assessment._meta.db_table} WHERE is_latest AND household_id {{households}}"
)
_STANDING_NEEDS = (
    f"SELECT id, household_id, indicator_code, status FROM {Need._meta.db_table} "  # noqa: S608 - table names from the models, values bound
    "WHERE met_on IS NULL AND indicator_code <> '' AND household_id {households}"
)
_NEED_INSERT = (
    f"INSERT INTO {Need._meta.db_table} (created_at, updated_at, household_id, source, status, dimension, "  # noqa: S608 - table names from the models, values bound
    "indicator_code, indicator_id, assessment_id, description, dismissed_reason) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, '', '')"
)
_NEED_COPY = (
    f"COPY {Need._meta.db_table} (created_at, updated_at, household_id, source, status, dimension, indicator_code, "
    "indicator_id, assessment_id, description, dismissed_reason) FROM STDIN"
)
_NEED_MET_UPDATE = (
    f"UPDATE {Need._meta.db_table} SET status = %s, met_assessment_id = %s, met_on = %s, updated_at = %s WHERE id = %s"  # noqa: S608 - table names from the models, values bound
)


@transaction.atomic
def need_add(
    *,
    household: Household,
    description: str,
    actor: User,
    dimension: str = "",
    case: Case | None = None,
    incident: Incident | None = None,
) -> Need:
    """Add a need by hand (or from an emergency report); it is accepted at once, into the case when given."""
    _require(actor, "cases.add_need")
    _require_scope(Household, household, actor, "view")
    text = _text(description, field="description", label=_("Description"), max_length=400)
    if dimension and dimension not in DIMENSIONS:
        raise ValidationError({"dimension": _("Choose one of the five dimensions.")})
    if case is not None and case.household_id != household.pk:
        raise ValidationError({"case": _("The case belongs to another household.")})
    need = Need(
        household=household,
        case=case,
        source=NeedSource.INCIDENT if incident is not None else NeedSource.MANUAL,
        status=NeedStatus.ACCEPTED if case is not None else NeedStatus.SUGGESTED,
        dimension=dimension,
        description=text,
        incident=incident,
        created_by=actor,
    )
    need.save()
    record_change(obj=need, action=Action.CREATE, actor=actor)
    if case is not None:
        events.case_event(case=case, kind=CaseEventKind.NEED_ADDED, actor=actor, need_id=need.pk)
    return need


DIMENSIONS = ("health", "living", "education", "income", "access")


@transaction.atomic
def need_dismiss(*, need: Need, reason: str, actor: User) -> Need:
    """Dismiss a suggested need with a reason; the same failure is not suggested again while it stands."""
    _require(actor, "cases.change_need")
    _require_scope(Need, need, actor, "change")
    if need.status != NeedStatus.SUGGESTED:
        raise ValidationError({"need": _("Only a suggested need can be dismissed.")})
    before = snapshot(need)
    need.dismissed_reason = _text(reason, field="reason", label=_("Reason"), max_length=300)
    need.status = NeedStatus.DISMISSED
    need.save(update_fields=["status", "dismissed_reason", "updated_at"])
    _audit_update(need, before, actor)
    return need
