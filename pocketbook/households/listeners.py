"""Who is told when a household is registered, moves to another area or changes status (reports keeps counts).

    household_changed_register(listener)   # listener(household, before_area_code, before_status)
    households_imported_register(listener) # listener(run), once an import run has finished

`before_area_code` and `before_status` are None for a new household. An import writes households in bulk,
without a `household_changed` call per row, so it tells its listeners once, at its end. Listeners run inside
the caller's transaction: keep them small (defer heavy work to `transaction.on_commit` or a task).
"""

from __future__ import annotations

from collections.abc import Callable

from pocketbook.core.registry import Listeners
from pocketbook.households.models import Household, ImportRun

HouseholdChangedListener = Callable[[Household, str | None, str | None], None]

HouseholdsImportedListener = Callable[[ImportRun], None]

_changed: Listeners[HouseholdChangedListener] = Listeners("household changed")
_imported: Listeners[HouseholdsImportedListener] = Listeners("households imported")


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


def households_imported_register(listener: HouseholdsImportedListener) -> None:
    """Call `listener(run)` when an import run has finished (also one stopped by an unreadable row)."""
    _imported.register(listener)


def households_imported_unregister(listener: HouseholdsImportedListener) -> None:
    """Remove a listener (for tests that register their own)."""
    _imported.unregister(listener)


def households_imported_notify(run: ImportRun) -> None:
    """Tell every listener (called by import_run_finish)."""
    for listener in _imported:
        listener(run)
