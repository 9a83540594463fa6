"""What the volunteers app writes on the household timeline; parameters are ids, never names."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pocketbook.accounts.models import User
from pocketbook.households.models import Household, HouseholdEvent
from pocketbook.households.timeline import timeline_kind_get, timeline_record
from pocketbook.volunteers.idsets import id_rows_sql, json_param_sql

VOLUNTEER_ASSIGNED = "volunteer_assigned"
VOLUNTEER_RELEASED = "volunteer_released"
VISIT_RECORDED = "visit_recorded"

KINDS = {
    VOLUNTEER_ASSIGNED: _("Volunteer in charge changed"),
    VOLUNTEER_RELEASED: _("No volunteer in charge any more"),
    VISIT_RECORDED: _("Visit recorded"),
}


def assignment_changed(
    *, household_ids: Sequence[int], volunteer_id: int | None, batch_id: int, actor: User | None
) -> None:
    """One timeline entry per household of an assignment action, in one INSERT ... SELECT (bulk actions too)."""
    if not household_ids:
        return
    kind = VOLUNTEER_ASSIGNED if volunteer_id is not None else VOLUNTEER_RELEASED
    if timeline_kind_get(kind) is None:
        raise ImproperlyConfigured(f"household timeline kind {kind!r} is not registered")
    if len(household_ids) == 1:
        timeline_record(
            household=Household.objects.get(pk=household_ids[0]),
            kind=kind,
            params={"volunteer_id": volunteer_id, "batch_id": batch_id},
            actor=actor,
        )
        return
    # The timeline registry writes one entry at a time; a hand-over of thousands writes them in one statement.
    user_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    params = json.dumps({"volunteer_id": volunteer_id, "batch_id": batch_id})
    ids_sql, ids_params = id_rows_sql(household_ids)
    table = connection.ops.quote_name(HouseholdEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (household_id, kind, params, actor_id, time) "  # noqa: S608 - names, not input
            f"SELECT ids.value, %s, {json_param_sql()}, %s, %s FROM ({ids_sql}) AS ids",
            [kind, params, user_id, timezone.now(), *ids_params],
        )


def visit_recorded(*, household: Household, visit_id: int, visited_on: dt.date, actor: User) -> None:
    """A visit on the household's timeline."""
    timeline_record(
        household=household,
        kind=VISIT_RECORDED,
        params={"visit_id": visit_id, "visited_on": visited_on.isoformat()},
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        occurred_on=visited_on,  # on the day of the visit, not the day it was entered
    )
