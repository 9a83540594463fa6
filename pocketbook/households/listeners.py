"""Who is told when a household is registered, moves to another area or changes status (reports keeps counts).

    household_changed_register(listener)   # listener(household, before_area_code, before_status)

`before_area_code` and `before_status` are None for a new household. Listeners run inside the caller's
transaction: keep them small.
"""

from __future__ import annotations

from collections.abc import Callable

from pocketbook.core.registry import Listeners
from pocketbook.households.models import Household

HouseholdChangedListener = Callable[[Household, str | None, str | None], None]

_changed: Listeners[HouseholdChangedListener] = Listeners("household changed")


def household_changed_register(listener: HouseholdChangedListener) -> None:
    """Call `listener(household, before_area_code, before_status)` on a new household or a change of area/status."""
    _changed.register(listener)


def household_changed_unregister(listener: HouseholdChangedListener) -> None:
    """Remove a listener (for tests that register their own)."""
    _changed.unregister(listener)


def household_changed_notify(household: Household, before_area_code: str | None, before_status: str | None) -> None:
    """Tell every listener (called by household_create and household_update)."""
    for listener in _changed:
        listener(household, before_area_code, before_status)
