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


def line_events_insert(rows: list[EventRow]) -> list[int]:
    """Insert the events that are not stored yet, in one statement; return the ids of the new rows only.

    `ON CONFLICT DO NOTHING RETURNING` (PostgreSQL, SQLite ≥ 3.35) makes a redelivery, or the same body
    posted by several workers at once, insert nothing the second time and report nothing new.
    """
    if not rows:
        return []
    received_at = LineEvent._meta.get_field("received_at").get_db_prep_value(timezone.now(), connection)
    sql = _INSERT_POSTGRESQL if connection.vendor == "postgresql" else _INSERT_SQLITE
    return _execute_returning_ids(sql, [received_at, LineEvent.Status.RECEIVED, _records_document(rows)])


# The events travel as one JSON document, whatever their number: the statement's text never changes, so it is
# parsed once and cached. A `VALUES` list of ten events had 120 parameters, past psycopg's statement cache, and
# parsing it took a quarter of a ten-event request's time (arrays a column cost more still: psycopg escapes each
# element in Python).
_RECORD_NAMES = (
    "webhook_event_id",
    "event_type",
    "source_type",
    "line_user_id",
    "mode",
    "is_redelivery",
    "event_timestamp",
    "destination",
    "payload",
)
_INSERT_POSTGRESQL = """
INSERT INTO incidents_lineevent (webhook_event_id, event_type, source_type, line_user_id, mode, is_redelivery,
                                 event_timestamp, destination, payload, received_at, status, error)
SELECT e.webhook_event_id, e.event_type, e.source_type, e.line_user_id, e.mode, e.is_redelivery,
       e.event_timestamp, e.destination, e.payload, %s, %s, ''
FROM jsonb_to_recordset(%s::jsonb) AS e(webhook_event_id varchar, event_type varchar, source_type varchar,
                                        line_user_id varchar, mode varchar, is_redelivery boolean,
                                        event_timestamp bigint, destination varchar, payload jsonb)
ON CONFLICT (webhook_event_id) DO NOTHING RETURNING id
"""
# `WHERE true` tells SQLite's parser that ON CONFLICT belongs to the INSERT, not to a join.
_INSERT_SQLITE = """
INSERT INTO incidents_lineevent (webhook_event_id, event_type, source_type, line_user_id, mode, is_redelivery,
                                 event_timestamp, destination, payload, received_at, status, error)
SELECT json_extract(value, '$.webhook_event_id'), json_extract(value, '$.event_type'),
       json_extract(value, '$.source_type'), json_extract(value, '$.line_user_id'), json_extract(value, '$.mode'),
       json_extract(value, '$.is_redelivery'), json_extract(value, '$.event_timestamp'),
       json_extract(value, '$.destination'), json_extract(value, '$.payload'), %s, %s, ''
FROM json_each(%s) WHERE true
ON CONFLICT (webhook_event_id) DO NOTHING RETURNING id
"""


def _records_document(rows: list[EventRow]) -> str:
    records = [dict(zip(_RECORD_NAMES, (*_row_values(row), row.payload), strict=True)) for row in rows]
    try:
        return orjson.dumps(records).decode("utf-8")
    except TypeError:  # an integer beyond 64 bits, which orjson does not write
        return json.dumps(records, ensure_ascii=False, separators=(",", ":"))


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
