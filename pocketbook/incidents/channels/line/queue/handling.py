"""Step 2: run each claimed event's chat flow and store its answer on the row, in one transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from pocketbook.incidents import services
from pocketbook.incidents.channels.line import processing
from pocketbook.incidents.channels.line.queue.leases import WAITING, Status, db_time, leased_to
from pocketbook.incidents.models import LineEvent

logger = logging.getLogger(__name__)


def _outcome_store(line_event: LineEvent, outcome: processing.Outcome, now: datetime) -> None:
    """Write the flow's outcome on the row (not saved): the answer to send, or processed/ignored and lease freed."""
    answer = [message.to_dict() for message in outcome.answer[:5]]  # LINE takes at most five at once
    if answer:
        line_event.status = Status.ANSWERING
    else:
        line_event.status = Status.IGNORED if outcome.ignored_because else Status.PROCESSED
    line_event.answer = answer or None
    line_event.error = outcome.ignored_because or outcome.note
    line_event.processed_at = now
    if not answer:
        line_event.leased_by, line_event.lease_until = "", None


_HANDLED_FIELDS = ["status", "answer", "error", "processed_at", "leased_by", "lease_until"]


def event_handle(*, event_id: int, worker: str) -> LineEvent | None:
    """Run one claimed event's flow and store its answer in one transaction; return the row (None if lost)."""
    line_event = LineEvent.objects.filter(leased_to(event_id, worker)).first()
    if line_event is None:
        return None
    if line_event.status == Status.ANSWERING:
        return line_event  # handled before a crash: only the answer is left to send
    inbound = processing.inbound_prepare(line_event)  # may download a photo: outside the transaction
    with transaction.atomic():
        line_event = LineEvent.objects.select_for_update().filter(leased_to(event_id, worker)).first()
        if line_event is None or line_event.status != Status.RECEIVED:
            return line_event  # our lease ran out and another worker took the event over
        outcome = processing.event_handle(line_event, inbound)
        _outcome_store(line_event, outcome, timezone.now())
        line_event.save(update_fields=_HANDLED_FIELDS)
    return line_event


def _handled_store(rows: list[LineEvent], worker: str, now: datetime) -> None:
    """Write the outcomes of a batch in one UPDATE (`bulk_update`'s CASE per row and field costs more than the flow).

    An answered row keeps its lease until the answer is sent; the others free it.
    """
    if not rows:
        return
    table = connection.ops.quote_name(LineEvent._meta.db_table)
    answer_field = LineEvent._meta.get_field("answer")
    jsonb = "::jsonb" if connection.vendor == "postgresql" else ""
    values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    params: list[Any] = []
    for row in rows:
        params += [row.pk, row.status, answer_field.get_db_prep_value(row.answer, connection), row.error]
    keeps_lease = connection.ops.quote_name("status") + " = 'answering'"
    sql = (
        f"WITH handled(id, status, answer, error) AS (VALUES {values}) "  # noqa: S608 - names from the model
        f"UPDATE {table} SET status = handled.status, answer = CAST(handled.answer AS TEXT){jsonb}, "
        "error = handled.error, processed_at = %s, "
        f"leased_by = CASE WHEN handled.{keeps_lease} THEN %s ELSE '' END, "
        f"lease_until = CASE WHEN handled.{keeps_lease} THEN {table}.lease_until ELSE NULL END "
        f"FROM handled WHERE {table}.id = handled.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, db_time(now), worker])


@dataclass
class Handled:
    """What handling a batch left: the rows whose answer is to be sent, and the events that failed."""

    to_answer: list[LineEvent]
    failed: list[tuple[int, BaseException]]


def events_handle(*, event_ids: list[int], worker: str) -> Handled:
    """Handle a claimed batch in one transaction: the events' effects and their rows commit together.

    A batch holds at most one event of each user (the claim's rule), so each conversation is locked once, with
    the others' in one query. No savepoint per event (two round trips each, half the time of a batch on a busy
    PostgreSQL): an event that raises rolls the whole batch back, and the caller then handles the events one by
    one, so only the bad one fails. Rows handled before a crash (`answering`) only have their answer left to send.
    """
    rows = list(LineEvent.objects.filter(pk__in=event_ids, leased_by=worker, status__in=WAITING).order_by("pk"))
    handled = Handled(to_answer=[row for row in rows if row.status == Status.ANSWERING], failed=[])
    inbounds: dict[int, Any] = {}
    for row in rows:
        if row.status != Status.RECEIVED:
            continue
        try:
            inbounds[row.pk] = processing.inbound_prepare(row)  # may download a photo: outside the transaction
        except Exception as error:
            logger.exception("LINE event row %s failed", row.pk)
            handled.failed.append((row.pk, error))
    if not inbounds:
        return handled
    done: list[LineEvent] = []
    with transaction.atomic():
        locked = list(
            LineEvent.objects.select_for_update()
            .filter(pk__in=list(inbounds), leased_by=worker, status=Status.RECEIVED)
            .order_by("pk")
        )  # a row missing here: our lease ran out and another worker took the event over
        people = [row.line_user_id for row in locked if processing.is_person_event(row)]
        conversations = services.line_conversations_lock(line_user_ids=people)
        now = timezone.now()
        for row in locked:
            conversation = conversations.get(row.line_user_id) if processing.is_person_event(row) else None
            outcome = processing.event_handle(row, inbounds[row.pk], conversation=conversation)
            _outcome_store(row, outcome, now)
            done.append(row)
        _handled_store(done, worker, now)
    handled.to_answer += [row for row in done if row.status == Status.ANSWERING]
    return handled
