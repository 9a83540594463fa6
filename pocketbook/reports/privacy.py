"""Small-cell suppression: counts of 1 to 4 households are shown as "< 5" to viewers without access to people.

A suppressed count must not be recoverable from a total shown beside it, so when cells add up to a shown
total, further cells are hidden ("secondary suppression") until at least two are hidden and the hidden
cells hold 5 or more together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pocketbook.accounts.http import AnyUser

SMALL = 5
PRIMARY = "< 5"
SECONDARY = "*"  # hidden only so that a "< 5" beside it cannot be worked out from the total
PEOPLE_PERMISSION = "households.view_household"


@dataclass(frozen=True)
class Cell:
    """A count as a viewer may see it: `shown` is the text; `value` is None when suppressed."""

    value: int | None
    shown: str

    @property
    def suppressed(self) -> bool:
        return self.value is None


def sees_people(viewer: AnyUser) -> bool:
    """Whether the viewer may see the people behind the figures (then nothing is suppressed)."""
    return bool(viewer.is_authenticated and (viewer.is_superuser or viewer.has_perm(PEOPLE_PERMISSION)))


def is_small(count: int) -> bool:
    """1 to 4: too few to show to someone without access to the people."""
    return 0 < count < SMALL


def _plain(value: int) -> Cell:
    return Cell(value, f"{value:,}")


def suppress_small(cells: Sequence[int], *, total: int | None = None, suppress: bool = True) -> list[Cell]:
    """Cells as shown: 1..4 → "< 5"; with `total` (the cells add up to a shown total) also secondary suppression.

    `suppress=False` (a viewer who sees people) shows every value.
    """
    if not suppress:
        return [_plain(value) for value in cells]
    hidden = {index for index, value in enumerate(cells) if is_small(value)}
    if total is not None and hidden and not is_small(total):
        candidates = sorted((value, index) for index, value in enumerate(cells) if index not in hidden and value > 0)
        while candidates and (len(hidden) < 2 or sum(cells[i] for i in hidden) < SMALL):
            hidden.add(candidates.pop(0)[1])
    return [
        Cell(None, PRIMARY if is_small(value) else SECONDARY) if index in hidden else _plain(value)
        for index, value in enumerate(cells)
    ]


def suppress_one(count: int, *, suppress: bool = True) -> Cell:
    """One count on its own (no total beside it)."""
    return suppress_small([count], suppress=suppress)[0]
