"""Store webhook events exactly once (unique `webhookEventId`), in one statement that says which rows are new."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
from dataclasses import dataclass
from typing import Any

import orjson
from django.db import InterfaceError, OperationalError, connection
from django.utils import timezone

from pocketbook.incidents.models import LineEvent

logger = logging.getLogger(__name__)


class MalformedWebhookError(ValueError):
    """The body is signed but is not a LINE webhook body (JSON object with an `events` list of objects)."""


@dataclass(frozen=True)
class EventRow:
    """What the webhook keeps of one event before anything is parsed."""

    webhook_event_id: str
    event_type: str
    source_type: str
    line_user_id: str
    mode: str
    is_redelivery: bool
    event_timestamp: int | None
    destination: str
    payload: dict[str, Any]


def _text(value: Any, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _event_key(event: dict[str, Any]) -> str:
    """Use LINE's id, or (for old-style events without one) a hash of the event, so a repeat still matches."""
    event_id = event.get("webhookEventId")
    if isinstance(event_id, str) and event_id:
        if len(event_id) <= 64:
            return event_id
        return "sha-" + hashlib.sha256(event_id.encode("utf-8")).hexdigest()[:60]
    # LINE marks a redelivery in `deliveryContext`; the rest of the event is sent again unchanged.
    content = {key: value for key, value in event.items() if key != "deliveryContext"}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha-" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:60]


MAX_TIMESTAMP = 2**63 - 1


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):  # 1e400 overflows to infinity, which no JSON column can store
        raise ValueError(f"the number {text[:40]} is too large")
    return number


def _parse(body: bytes) -> Any:
    """Parse strict JSON that every database can store: no NaN/Infinity, no lone surrogates, no deep nesting."""
    try:
        document = json.loads(body, parse_constant=_refuse_constant, parse_float=_finite_float)
        if _may_hold_a_lone_surrogate(body):  # it parses, but cannot be stored as UTF-8 text
            json.dumps(document, ensure_ascii=False).encode("utf-8")
    except (UnicodeError, ValueError, RecursionError) as error:
        raise MalformedWebhookError(f"not JSON: {error}") from error
    if b"\\u0000" in body:  # PostgreSQL's text and jsonb cannot hold NUL; the report must still be kept
        return _without_nul(document)
    return document


# A lone surrogate reaches the document only as an escape (\ud800 … \udfff) or, since `json.loads` decodes bytes
# with "surrogatepass", as its raw UTF-8 form (0xED 0xA0-0xBF); a body that is not plain UTF-8 JSON is checked in full.
_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]|\xed[\xa0-\xbf]")


def _may_hold_a_lone_surrogate(body: bytes) -> bool:
    return body.lstrip()[:1] != b"{" or _SURROGATE.search(body) is not None


def _without_nul(value: Any) -> Any:
    """Replace every NUL character in the document's strings (keys too) with U+FFFD."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    if isinstance(value, dict):
        return {_without_nul(key): _without_nul(item) for key, item in value.items()}
    return value


def rows_from_body(body: bytes) -> list[EventRow]:
    """Read the events out of a webhook body, checking only the shape the storage needs."""
    document = _parse(body)
    if not isinstance(document, dict) or not isinstance(document.get("events"), list):
        raise MalformedWebhookError("expected an object with an 'events' list")
    destination = _text(document.get("destination"), 64)
    rows: dict[str, EventRow] = {}
    for index, event in enumerate(document["events"]):
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            raise MalformedWebhookError(f"events[{index}] is not an event object with a 'type'")
        source = _object(event.get("source"))
        delivery = _object(event.get("deliveryContext"))
        timestamp = event.get("timestamp")
        key = _event_key(event)
        rows.setdefault(  # the same id twice in one body is one event
            key,
            EventRow(
                webhook_event_id=key,
                event_type=event["type"][:40],
                source_type=_text(source.get("type"), 20),
                line_user_id=_text(source.get("userId"), 64),
                mode=_text(event.get("mode"), 20),
                is_redelivery=delivery.get("isRedelivery") is True,
                event_timestamp=timestamp
                if isinstance(timestamp, int) and not isinstance(timestamp, bool) and 0 <= timestamp <= MAX_TIMESTAMP
                else None,
                destination=destination,
                payload=event,
            ),
        )
    return list(rows.values())


_COLUMNS = (
    "webhook_event_id",
    "event_type",
    "source_type",
    "line_user_id",
    "mode",
    "is_redelivery",
    "event_timestamp",
    "destination",
    "payload",
    "received_at",
    "status",
    "error",
)


def line_events_insert(rows: list[EventRow]) -> list[int]:
    """Insert the events that are not stored yet, in one statement; return the ids of the new rows only.

    `ON CONFLICT DO NOTHING RETURNING` (PostgreSQL, SQLite ≥ 3.35) makes a redelivery, or the same body
    posted by several workers at once, insert nothing the second time and report nothing new.
    """
    inserted: list[int] = []
    for start in range(0, len(rows), _BATCH_SIZE):
        inserted.extend(_insert_batch(rows[start : start + _BATCH_SIZE]))
    return inserted


_BATCH_SIZE = 500  # 12 parameters a row stays far below every database's limit


def _insert_batch(rows: list[EventRow]) -> list[int]:
    if not rows:
        return []
    if connection.vendor == "postgresql":
        sql, params = _insert_postgresql(rows)
    else:
        sql, params = _insert_values(rows)
    return _execute_returning_ids(sql, params)


_INSERT_TAIL = "ON CONFLICT (webhook_event_id) DO NOTHING RETURNING id"


def _insert_values(rows: list[EventRow]) -> tuple[str, list[Any]]:
    """One `VALUES` row per event: the portable form (SQLite)."""
    table = connection.ops.quote_name(LineEvent._meta.db_table)
    now = LineEvent._meta.get_field("received_at").get_db_prep_value(timezone.now(), connection)
    payload_field = LineEvent._meta.get_field("payload")
    placeholders = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    params: list[Any] = []
    for row in rows:
        params.extend(
            [
                *_row_values(row),
                payload_field.get_db_prep_value(row.payload, connection),
                now,
                LineEvent.Status.RECEIVED,
                "",
            ]
        )
    sql = f"INSERT INTO {table} ({', '.join(_COLUMNS)}) VALUES {', '.join([placeholders] * len(rows))} {_INSERT_TAIL}"  # noqa: S608
    return sql, params


# One JSON document for the whole body: the statement's text is the same whatever the number of events, so
# psycopg parses it once and caches it. A `VALUES` list of ten events has 120 parameters, past psycopg's cache,
# and parsing it took a quarter of a ten-event request's time; arrays a column cost more still (psycopg escapes
# each element in Python).
_RECORD_TYPES = (
    ("webhook_event_id", "varchar"),
    ("event_type", "varchar"),
    ("source_type", "varchar"),
    ("line_user_id", "varchar"),
    ("mode", "varchar"),
    ("is_redelivery", "boolean"),
    ("event_timestamp", "bigint"),
    ("destination", "varchar"),
    ("payload", "jsonb"),
)


def _insert_postgresql(rows: list[EventRow]) -> tuple[str, list[Any]]:
    """The events as one JSON array of records, read back by `jsonb_to_recordset`."""
    table = connection.ops.quote_name(LineEvent._meta.db_table)
    names = [name for name, _kind in _RECORD_TYPES]
    record = ", ".join(f"{name} {kind}" for name, kind in _RECORD_TYPES)
    sql = (
        f"INSERT INTO {table} ({', '.join(_COLUMNS)}) "  # noqa: S608 - names from the model, values as parameters
        f"SELECT {', '.join('e.' + name for name in names)}, %s, %s, '' "
        f"FROM jsonb_to_recordset(%s::jsonb) AS e({record}) {_INSERT_TAIL}"
    )
    records = [dict(zip(names, (*_row_values(row), row.payload), strict=True)) for row in rows]
    try:
        document = orjson.dumps(records).decode("utf-8")
    except TypeError:  # an integer beyond 64 bits, which orjson does not write
        document = json.dumps(records, ensure_ascii=False, separators=(",", ":"))
    return sql, [timezone.now(), LineEvent.Status.RECEIVED, document]


def _row_values(row: EventRow) -> tuple[Any, ...]:
    return (
        row.webhook_event_id,
        row.event_type,
        row.source_type,
        row.line_user_id,
        row.mode,
        row.is_redelivery,
        row.event_timestamp,
        row.destination,
    )


def _execute_returning_ids(sql: str, params: list[Any]) -> list[int]:
    """Run the insert; outside a transaction, skip Django's per-request `SELECT 1` and reconnect once instead.

    The health check costs a round trip per acknowledgement (15 % of the webhook's time on PostgreSQL). The
    insert is idempotent (`ON CONFLICT DO NOTHING`), so when a kept connection turns out to be dead, running it
    again on a new connection is as safe as checking first.
    """
    if connection.in_atomic_block:
        return _run(sql, params)
    connection.health_check_done = True  # type: ignore[attr-defined]  # Django sets it; django-stubs omit it
    try:
        return _run(sql, params)
    except (InterfaceError, OperationalError) as error:
        logger.warning("LINE webhook: the database connection failed (%s); reconnecting once", error)
        connection.close()
        return _run(sql, params)


def _run(sql: str, params: list[Any]) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row_id for (row_id,) in cursor.fetchall()]
