"""The queue's rows and their leases: which events wait, the queue's settings, and claiming a batch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from pocketbook.incidents.models import LineEvent

Status = LineEvent.Status
WAITING = (Status.RECEIVED, Status.ANSWERING)


@dataclass(frozen=True)
class QueueSettings:
    lease_seconds: float
    batch: int
    max_failures: int
    max_claims: int
    backoff_seconds: float

    @classmethod
    def current(cls) -> QueueSettings:
        return cls(
            lease_seconds=float(settings.LINE_EVENT_LEASE_SECONDS),
            batch=int(settings.LINE_EVENT_BATCH),
            max_failures=int(settings.LINE_EVENT_MAX_FAILURES),
            max_claims=int(settings.LINE_EVENT_MAX_CLAIMS),
            backoff_seconds=float(settings.LINE_EVENT_BACKOFF_SECONDS),
        )


_WAITING_HEAD = """
    e.status IN ('received', 'answering')
    AND (e.lease_until IS NULL OR e.lease_until < %s)
    AND (e.not_before IS NULL OR e.not_before <= %s)
    AND (e.line_user_id = '' OR NOT EXISTS (
        SELECT 1 FROM {table} p
        WHERE p.line_user_id = e.line_user_id AND p.status IN ('received', 'answering')
          AND (COALESCE(p.event_timestamp, 0) < COALESCE(e.event_timestamp, 0)
               OR (COALESCE(p.event_timestamp, 0) = COALESCE(e.event_timestamp, 0) AND p.id < e.id))))
"""


def db_time(value: datetime) -> Any:
    return LineEvent._meta.get_field("lease_until").get_db_prep_value(value, connection)


def events_claim(*, worker: str, limit: int, lease_seconds: float) -> list[int]:
    """Lease up to `limit` events, the earliest waiting one of each user; return their ids in claim order."""
    table = connection.ops.quote_name(LineEvent._meta.db_table)
    now = timezone.now()
    lease_until = now + timedelta(seconds=lease_seconds)
    head = _WAITING_HEAD.format(table=table)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH picked AS (SELECT e.id FROM {table} e WHERE {head} "  # noqa: S608
                "ORDER BY e.id LIMIT %s FOR UPDATE OF e SKIP LOCKED) "
                f"UPDATE {table} SET lease_until = %s, leased_by = %s, attempts = attempts + 1 "
                "WHERE id IN (SELECT id FROM picked) RETURNING id",
                [now, now, limit, lease_until, worker],
            )
        else:
            cursor.execute(
                f"UPDATE {table} SET lease_until = %s, leased_by = %s, attempts = attempts + 1 "  # noqa: S608
                f"WHERE id IN (SELECT e.id FROM {table} e WHERE {head} ORDER BY e.id LIMIT %s) RETURNING id",
                [db_time(lease_until), worker, db_time(now), db_time(now), limit],
            )
        return sorted(row_id for (row_id,) in cursor.fetchall())


def leased_to(event_id: int, worker: str) -> Q:
    """The event's row while it waits and `worker` holds its lease."""
    return Q(pk=event_id, leased_by=worker, status__in=WAITING)
