"""What the Help, ESS, Volunteers and Map pages share: the area and year asked for, and small-cell display.

The area comes from `?area=<code>` (the drill-down path kept in the URL); an area outside the viewer's areas
answers 404, as a record out of scope does. A count of 1–4 is shown as "< 5" to a viewer who may not see the
people behind it (an analyst).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest

from pocketbook.geo.selectors import area_ancestors, areas_get
from pocketbook.reports.periods import current_fiscal_year_be

SMALL = 5
SUPPRESSED_OTHER = "x"  # a cell hidden only so that a small one cannot be worked out from the total
AREA_LENGTHS = (2, 4, 6, 8)


@dataclass
class AreaChoice:
    """The area a report is about, with the path from the viewer's top area down to it."""

    code: str
    name: str
    breadcrumb: list[tuple[str, str]]  # (code, name) from the top down, the area itself last
    child_level: str  # what its children are: "district", "subdistrict", "village" or ""


def viewer_top_area(viewer: Any) -> str:
    """The widest area the viewer covers: their areas' common prefix (cut to a whole level), "" for a superuser."""
    if viewer.is_superuser:
        return ""
    codes = list(viewer.area_codes())
    if not codes:
        raise Http404
    prefix = codes[0]
    for code in codes[1:]:
        while not code.startswith(prefix):
            prefix = prefix[:-1]
    length = max((n for n in AREA_LENGTHS if n <= len(prefix)), default=0)
    # Areas in two provinces have no common area: start from the first (the others are reachable by code).
    return prefix[:length] if length else codes[0]


def may_see_area(viewer: Any, code: str) -> bool:
    """Whether the viewer covers the area (every record of it is theirs)."""
    return viewer.is_superuser or any(code.startswith(own) for own in viewer.area_codes())


def area_from_request(request: HttpRequest) -> AreaChoice:
    """The `?area=` of the request (the viewer's top area when absent); 404 outside the viewer's areas."""
    viewer: Any = request.user
    code = (request.GET.get("area") or "").strip() or viewer_top_area(viewer)
    if (code and (len(code) not in AREA_LENGTHS or not code.isdigit())) or not may_see_area(viewer, code):
        raise Http404
    top = viewer_top_area(viewer)
    path = [ancestor for ancestor in [*area_ancestors(code), code] if len(ancestor) >= len(top) and ancestor]
    path = list(dict.fromkeys(path))
    names = areas_get(path)
    breadcrumb = [(item, names[item].name if item in names else item) for item in path]
    child_level = {0: "province", 2: "district", 4: "subdistrict", 6: "village"}.get(len(code), "")
    return AreaChoice(
        code=code, name=breadcrumb[-1][1] if breadcrumb else "", breadcrumb=breadcrumb, child_level=child_level
    )


def year_from_request(request: HttpRequest) -> int:
    """The `?year=` fiscal year (BE), this fiscal year when absent or not a plausible year."""
    raw = (request.GET.get("year") or "").strip()
    if raw.isdigit() and 2500 <= int(raw) <= 2700:
        return int(raw)
    return current_fiscal_year_be()


def may_see_people(viewer: Any) -> bool:
    """Whether the viewer may see the households behind a count (else small counts are suppressed)."""
    return bool(viewer.has_perm("households.view_household"))


def shown(value: int | None, *, people: bool) -> str:
    """A count as shown: "< 5" for 1–4 to a viewer without access to people."""
    if value is None:
        return "–"
    if not people and 0 < value < SMALL:
        return "< 5"
    return f"{value:,}"


def shown_column(values: list[int], *, people: bool) -> list[str]:
    """A column of counts whose total is shown: small cells suppressed, and a second cell when only one is.

    With one cell hidden, the total minus the others would give it back, so the smallest other non-zero cell is
    hidden too ("secondary suppression").
    """
    texts = [shown(value, people=people) for value in values]
    if people:
        return texts
    hidden = [index for index, value in enumerate(values) if 0 < value < SMALL]
    if len(hidden) == 1:
        others = sorted((value, index) for index, value in enumerate(values) if value >= SMALL)
        if others:
            texts[others[0][1]] = SUPPRESSED_OTHER
    return texts
