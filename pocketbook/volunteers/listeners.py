"""Listeners higher apps register to hear about the volunteers app (reports keeps its aggregates current)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

_assignments_changed: list[Callable[[Sequence[int]], None]] = []


def assignments_changed_register(listener: Callable[[Sequence[int]], None]) -> None:
    """Call `listener` with the ids of the households whose volunteer changed, inside the assigning transaction."""
    if listener not in _assignments_changed:
        _assignments_changed.append(listener)


def assignments_changed(household_ids: Sequence[int]) -> None:
    """Tell every registered listener (called once per assignment action, with all its households)."""
    for listener in list(_assignments_changed):
        listener(household_ids)
