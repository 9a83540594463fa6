"""Store webhook events exactly once (unique `webhookEventId`), in one statement that says which rows are new."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from pocketbook.incidents.models import LineEvent


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
        # A lone surrogate ("\ud800") parses but cannot be stored as UTF-8 text.
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except (UnicodeError, ValueError, RecursionError) as error:
        raise MalformedWebhookError(f"not JSON: {error}") from error
    return document


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
    table = connection.ops.quote_name(LineEvent._meta.db_table)
    now = timezone.now()
    placeholders = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    params: list[Any] = []
    payload_field = LineEvent._meta.get_field("payload")
    received_field = LineEvent._meta.get_field("received_at")
    for row in rows:
        params.extend(
            [
                row.webhook_event_id,
                row.event_type,
                row.source_type,
                row.line_user_id,
                row.mode,
                row.is_redelivery,
                row.event_timestamp,
                row.destination,
                payload_field.get_db_prep_value(row.payload, connection),
                received_field.get_db_prep_value(now, connection),
                LineEvent.Status.RECEIVED,
                "",
            ]
        )
    sql = (
        f"INSERT INTO {table} ({', '.join(_COLUMNS)}) VALUES {', '.join([placeholders] * len(rows))} "  # noqa: S608
        "ON CONFLICT (webhook_event_id) DO NOTHING RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row_id for (row_id,) in cursor.fetchall()]
