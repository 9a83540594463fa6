"""Listeners higher apps register to hear about the volunteers app (reports keeps its aggregates current)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from pocketbook.core.registry import Listeners

from .models import Visit
from .training_models import Attendance, Participant

_assignments_changed: list[Callable[[Sequence[int]], None]] = []


def assignments_changed_register(listener: Callable[[Sequence[int]], None]) -> None:
    """Call `listener` with the ids of the households whose volunteer changed, inside the assigning transaction."""
    if listener not in _assignments_changed:
        _assignments_changed.append(listener)


def assignments_changed(household_ids: Sequence[int]) -> None:
    """Tell every registered listener (called once per assignment action, with all its households)."""
    for listener in list(_assignments_changed):
        listener(household_ids)


# Visits, participants and check-ins: reports counts them per area and period. Listeners run inside the
# recording transaction; keep them small (an exception undoes the recording).
_visit_recorded: Listeners[Callable[[Visit, dt.date | None, dt.date | None], None]] = Listeners("visit recorded")
_participant_added: Listeners[Callable[[Participant], None]] = Listeners("participant added")
_attendance_recorded: Listeners[Callable[[Attendance], None]] = Listeners("attendance recorded")


def visit_recorded_register(listener: Callable[[Visit, dt.date | None, dt.date | None], None]) -> None:
    """Call `listener(visit, due_before, due_after)` for each visit recorded (a note or an assessment).

    `due_before` and `due_after` are the household's next visit date before and after this visit (None when the
    household has no visit schedule, or the visit did not move it).
    """
    _visit_recorded.register(listener)


def visit_recorded_unregister(listener: Callable[[Visit, dt.date | None, dt.date | None], None]) -> None:
    """Remove a visit listener (for tests that register their own)."""
    _visit_recorded.unregister(listener)


def visit_recorded(visit: Visit, *, due_before: dt.date | None, due_after: dt.date | None) -> None:
    """Tell every listener that a visit was recorded."""
    for listener in _visit_recorded:
        listener(visit, due_before, due_after)


def participant_added_register(listener: Callable[[Participant], None]) -> None:
    """Call `listener(participant)` for each person registered for a training project."""
    _participant_added.register(listener)


def participant_added(participant: Participant) -> None:
    """Tell every listener that a participant was registered."""
    for listener in _participant_added:
        listener(participant)


def attendance_recorded_register(listener: Callable[[Attendance], None]) -> None:
    """Call `listener(attendance)` for each check-in to a training session."""
    _attendance_recorded.register(listener)


def attendance_recorded(attendance: Attendance) -> None:
    """Tell every listener that a participant checked in to a session."""
    for listener in _attendance_recorded:
        listener(attendance)
