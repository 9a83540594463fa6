"""The household timeline: a registry of entry kinds and the one service every app writes entries with.

Each app registers the kinds it writes in its `AppConfig.ready()`, with how they read and who sees them:

    timeline_kind_register(TimelineKind("case_opened", gettext_lazy("Case opened"), permission="cases.view_case"))

and writes them with `timeline_record(household=..., kind="case_opened", params={"case_id": 7}, actor=...)`, or the
same entry on many households at once with `timeline_record_many(household_ids=[...], kind=..., params=...)`.
Parameters hold ids and codes, never names, so withdrawing consent leaves nothing personal behind.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from pocketbook.accounts.http import AnyUser
from pocketbook.accounts.models import User
from pocketbook.core.idsets import id_rows_sql, json_param_sql
from pocketbook.core.registry import Registry
from pocketbook.households.models import Household, HouseholdEvent


@dataclass(frozen=True)
class TimelineKind:
    """A kind of timeline entry: how it reads, and who sees it (permission None: whoever sees the household)."""

    kind: str
    label: str | Promise
    permission: str | None = None


_kinds: Registry[TimelineKind] = Registry("household timeline kind", key=lambda kind: kind.kind)


def timeline_kind_register(kind: TimelineKind) -> None:
    """Declare a kind of household timeline entry; a kind registered twice is a configuration error."""
    _kinds.register(kind)


def timeline_kind_unregister(kind: str) -> None:
    """Remove a kind (for tests that register their own)."""
    _kinds.unregister(kind)


def timeline_kind_get(kind: str) -> TimelineKind | None:
    """The registered kind, or None."""
    return _kinds.get(kind)


def timeline_record(
    *,
    household: Household,
    kind: str,
    params: dict[str, Any] | None = None,
    actor: User | None = None,
    occurred_at: dt.datetime | None = None,
    occurred_on: dt.date | None = None,
) -> HouseholdEvent:
    """Add an entry of a registered kind to the household's timeline (the one way any app writes one).

    `occurred_on` places an entry on the day something happened (a visit entered days later) rather than
    the moment it was typed in: the entry sorts on that day and the timeline shows the date alone.
    """
    _check_registered(kind)
    params = dict(params or {})
    time = occurred_at or timezone.now()
    if occurred_on is not None and occurred_on != timezone.localdate(time):
        params["occurred_on"] = occurred_on.isoformat()
        time = timezone.make_aware(dt.datetime.combine(occurred_on, dt.time(12, 0)))
    return HouseholdEvent.objects.create(
        household=household, kind=kind, params=params, actor=_signed_in(actor), time=time
    )


def timeline_record_many(
    *,
    household_ids: Sequence[int],
    kind: str,
    params: dict[str, Any] | None = None,
    actor: User | None = None,
    occurred_at: dt.datetime | None = None,
) -> int:
    """Add the same entry of a registered kind to many households' timelines in one statement; how many were added.

    A hand-over of thousands of households writes their entries with one INSERT ... SELECT over the ids, passed as
    one parameter, rather than a row (or a batch of parameters) per household.
    """
    _check_registered(kind)
    if not household_ids:
        return 0
    actor_id = user.pk if (user := _signed_in(actor)) is not None else None
    time = occurred_at or timezone.now()
    ids_sql, ids_params = id_rows_sql(household_ids)
    table = connection.ops.quote_name(HouseholdEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (household_id, kind, params, actor_id, time) "  # noqa: S608 - names, not input
            f"SELECT ids.value, %s, {json_param_sql()}, %s, %s FROM ({ids_sql}) AS ids",
            [kind, json.dumps(params or {}), actor_id, connection.ops.adapt_datetimefield_value(time), *ids_params],
        )
        return cursor.rowcount


def _check_registered(kind: str) -> None:
    if kind not in _kinds:
        raise ImproperlyConfigured(f"household timeline kind {kind!r} is not registered")


def _signed_in(actor: User | None) -> User | None:
    """The actor to name on an entry: None for a command, a task or an anonymous caller."""
    return actor if actor is not None and actor.is_authenticated else None


def kinds_hidden_from(viewer: AnyUser) -> list[str]:
    """The registered kinds whose entries this viewer may not see."""
    return sorted(
        kind.kind for kind in _kinds.items() if kind.permission is not None and not viewer.has_perm(kind.permission)
    )


def describe(event: HouseholdEvent) -> str:
    """The entry in words, in the active language."""
    kind = _kinds.get(event.kind)
    return str(kind.label) if kind is not None else _("Timeline entry: %(kind)s") % {"kind": event.kind}
