"""A set of ids as one SQL parameter, so set-based statements over thousands of households stay one statement.

`pk__in=[...5,000 ids...]` makes Django prepare each value and SQLite caps a statement's parameters; one JSON
array (SQLite's json_each) or one bigint array (PostgreSQL's unnest) is a single parameter either way.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models.expressions import RawSQL


def id_rows_sql(ids: Sequence[int]) -> tuple[str, list[Any]]:
    """A subquery yielding the ids in one column named `value`, and its parameters."""
    if connection.vendor == "postgresql":
        return "SELECT unnest(%s::bigint[]) AS value", [list(ids)]
    return "SELECT value FROM json_each(%s)", [json.dumps(list(ids))]


def id_set(ids: Sequence[int]) -> RawSQL:
    """For `field__in=id_set(ids)`."""
    sql, params = id_rows_sql(ids)
    return RawSQL(sql, params)  # noqa: S611 - fixed SQL; the ids are one bound parameter


def json_param_sql() -> str:
    """The placeholder of a JSON value written by raw SQL (PostgreSQL's jsonb needs the cast)."""
    return "%s::jsonb" if connection.vendor == "postgresql" else "%s"
