"""The registries cases owns: who wants to hear when a case, a referral or assistance changes (reports).

Listeners run inside the service's transaction: keep them small (an exception undoes the change).
`before` is the audit snapshot of the record before the change (`audit.services.snapshot`: attribute
name -> value), None when the record was just created, so a listener can undo what it counted for the
old state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pocketbook.core.registry import Listeners

from .models import Assistance, Case, Referral

Before = Mapping[str, Any] | None

_case_changed: Listeners[Callable[[Case], None]] = Listeners("case changed")
_case_transitions: Listeners[Callable[[Case, Before], None]] = Listeners("case transition")
_referral_changed: Listeners[Callable[[Referral, Before], None]] = Listeners("referral changed")
_assistance_recorded: Listeners[Callable[[Assistance], None]] = Listeners("assistance recorded")


def case_changed_register(listener: Callable[[Case], None]) -> None:
    """Call `listener(case)` inside the transaction whenever a case is opened, closed, re-opened or assigned."""
    _case_changed.register(listener)


def case_transition_register(listener: Callable[[Case, Before], None]) -> None:
    """Call `listener(case, before)` when a case is opened (before None), closed, re-opened or assigned."""
    _case_transitions.register(listener)


def case_transition_unregister(listener: Callable[[Case, Before], None]) -> None:
    """Remove a case listener (for tests that register their own)."""
    _case_transitions.unregister(listener)


def case_changed(case: Case, *, before: Before = None) -> None:
    """Tell every listener that `case` changed."""
    for listener in _case_changed:
        listener(case)
    for transition_listener in _case_transitions:
        transition_listener(case, before)


def referral_changed_register(listener: Callable[[Referral, Before], None]) -> None:
    """Call `listener(referral, before)` when a referral is sent (before None), answered or revoked."""
    _referral_changed.register(listener)


def referral_changed_unregister(listener: Callable[[Referral, Before], None]) -> None:
    """Remove a referral listener (for tests that register their own)."""
    _referral_changed.unregister(listener)


def referral_changed(referral: Referral, *, before: Before = None) -> None:
    """Tell every listener that `referral` was sent or changed state."""
    for listener in _referral_changed:
        listener(referral, before)


def assistance_recorded_register(listener: Callable[[Assistance], None]) -> None:
    """Call `listener(assistance)` for each assistance entry recorded (a reversal: a negative amount)."""
    _assistance_recorded.register(listener)


def assistance_recorded_unregister(listener: Callable[[Assistance], None]) -> None:
    """Remove an assistance listener (for tests that register their own)."""
    _assistance_recorded.unregister(listener)


def assistance_recorded(assistance: Assistance) -> None:
    """Tell every listener that an assistance entry (or its reversal) was recorded."""
    for listener in _assistance_recorded:
        listener(assistance)
