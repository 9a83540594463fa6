"""The registry cases owns: who wants to hear when a case is opened, changes status or closes (reports)."""

from __future__ import annotations

from collections.abc import Callable

from .models import Case

_case_changed: list[Callable[[Case], None]] = []


def case_changed_register(listener: Callable[[Case], None]) -> None:
    """Call `listener(case)` inside the transaction whenever a case is opened, closed, re-opened or assigned."""
    _case_changed.append(listener)


def case_changed(case: Case) -> None:
    """Tell every listener that `case` changed."""
    for listener in _case_changed:
        listener(case)
