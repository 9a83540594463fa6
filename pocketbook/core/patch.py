"""PATCH semantics in one place: the fields a request sets replace the current ones; the rest stay."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Input = TypeVar("Input", bound="DataclassInstance")


def patch_merge(current: Input, changes: Mapping[str, Any], *, nullable: Collection[str] = ()) -> Input:
    """Return a copy of the dataclass `current` with the values `changes` sets.

    `changes` holds only the fields the request sent (for a Ninja schema: `payload.dict(exclude_unset=True)`).
    A null clears a field named in `nullable`; for any other field it means "leave as it is".
    """
    known = {field.name for field in dataclasses.fields(current)}
    updates = {
        name: value for name, value in changes.items() if name in known and (value is not None or name in nullable)
    }
    return dataclasses.replace(current, **updates)
