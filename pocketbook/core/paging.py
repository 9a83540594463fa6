"""A paginator whose cost does not grow with the table: no COUNT(*) over every row, a capped count instead.

Django's `Paginator` counts every matching row on every page view (20,000 cases: a full count each time) and
lets `?page=800` read 20,000 rows to skip them. `CappedPaginator` reads one row more than a page to know whether
another follows, counts at most `cap + 1` rows (the list says "more than 1,000"), and offers pages only within
the cap: past it, the person narrows the filters. Every page view therefore reads at most `cap + 1` rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

CAP = 1000


@dataclass(frozen=True)
class CappedPage:
    """One page of rows, with a count that stops at the cap."""

    object_list: list[Any]
    number: int
    per_page: int
    count: int  # the number of rows, or cap + 1 when there are more than the cap
    cap: int

    @property
    def count_is_capped(self) -> bool:
        """True when there are more rows than the cap (the list says "more than <cap>")."""
        return self.count > self.cap

    @property
    def num_pages(self) -> int:
        """The pages offered: every page up to the cap."""
        return max(1, -(-min(self.count, self.cap) // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0


class CappedPaginator:
    """Pages of an ordered queryset, counting at most `cap + 1` rows."""

    def __init__(self, rows: QuerySet[Any], per_page: int, cap: int | None = None) -> None:
        self.rows = rows
        self.per_page = per_page
        self.cap = cap or CAP

    def get_page(self, number: object) -> CappedPage:
        """The page asked for; a page that is not a number is the first, one past the cap the last offered."""
        text = str(number or "")
        wanted = int(text[:7]) if text.isdigit() else 1  # a huge number: the last page offered
        last_offered = max(1, -(-self.cap // self.per_page))
        page_number = min(max(wanted, 1), last_offered)
        offset = (page_number - 1) * self.per_page
        rows = list(self.rows[offset : offset + self.per_page + 1])
        if page_number == 1 and len(rows) <= self.per_page:
            count = len(rows)  # everything fits on the first page: no count query
        else:
            count = self.rows.order_by()[: self.cap + 1].count()
        if not rows and page_number > 1:
            # fewer rows than the page asked for: the last page that has any
            return self.get_page(max(1, -(-min(count, self.cap) // self.per_page)))
        return CappedPage(rows[: self.per_page], page_number, self.per_page, count, self.cap)
