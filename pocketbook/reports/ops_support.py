"""What the Help, ESS, Volunteers and Map pages share beyond reports.views.report_context: the fiscal year asked
for, and columns of counts as a viewer may see them (privacy.suppress_small)."""

from __future__ import annotations

from django.http import HttpRequest

from pocketbook.reports.periods import current_fiscal_year_be
from pocketbook.reports.privacy import suppress_one, suppress_small


def year_from_request(request: HttpRequest) -> int:
    """The `?year=` fiscal year (BE), this fiscal year when absent or not a plausible year."""
    raw = (request.GET.get("year") or "").strip()
    if raw.isdigit() and 2500 <= int(raw) <= 2700:
        return int(raw)
    return current_fiscal_year_be()


def shown(value: int | None, *, suppress: bool) -> str:
    """One count as shown: "< 5" for 1–4 when the viewer may not see people."""
    return "–" if value is None else suppress_one(value, suppress=suppress).shown


def shown_column(values: list[int], *, suppress: bool) -> list[str]:
    """A column of counts whose total is shown: small cells hidden, and others where needed (secondary)."""
    return [cell.shown for cell in suppress_small(values, total=sum(values), suppress=suppress)]
