"""Where a viewer may look: their areas, the drill-down path kept in the URL (?area=9201), the breadcrumb.

An area outside the viewer's areas answers exactly like one that does not exist: 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from pocketbook.accounts.http import AnyUser
from pocketbook.accounts.models import User
from pocketbook.geo.selectors import Area, areas_get
from pocketbook.reports.tallies import area_lineage

VIEW_PERMISSION = "reports.view_aggregates"
COUNTRY_NAME = _("Thailand")


@dataclass(frozen=True)
class Crumb:
    """One step of the breadcrumb: an area code and its name."""

    code: str
    name: str


@dataclass(frozen=True)
class ReportArea:
    """The area a report shows, the way down to it, and where the viewer may go from it."""

    code: str
    name: str
    level: str  # "country", "province", "district", "subdistrict" or "village"
    breadcrumb: list[Crumb] = field(default_factory=list)  # from the viewer's top area down to this one
    other_roots: list[Crumb] = field(default_factory=list)  # the viewer's other areas, to switch to

    @property
    def has_children(self) -> bool:
        return len(self.code) < 8


def can_view_reports(viewer: AnyUser) -> bool:
    """Whether the viewer may open the reports at all (analysts, managers, superusers)."""
    return bool(viewer.is_authenticated and viewer.is_active and viewer.has_perm(VIEW_PERMISSION))


def allowed_area_codes(viewer: AnyUser) -> list[str]:
    """The tops of the viewer's scope: "" (the country) for a superuser, else their assigned areas."""
    if not can_view_reports(viewer) or not isinstance(viewer, User):
        return []
    if viewer.is_superuser:
        return [""]
    return sorted(viewer.area_codes())


def area_names(codes: list[str] | set[str]) -> dict[str, str]:
    """Names of many areas (a few queries whatever their number); the country is "Thailand"."""
    names = {code: area.name for code, area in areas_get(set(codes)).items()}
    if "" in codes:
        names[""] = str(COUNTRY_NAME)
    return names


def _name(area: Area | None, code: str) -> str:
    if code == "":
        return str(COUNTRY_NAME)
    return area.name if area is not None else code


def report_area(viewer: AnyUser, code: str | None) -> ReportArea:
    """The area the viewer asked for (their first area when none): 404 when it is outside their scope or unknown."""
    tops = allowed_area_codes(viewer)
    if not tops:
        raise Http404
    code = (code or "").strip()
    if not code and "" not in tops:
        code = tops[0]
    if code and (not code.isdigit() or len(code) not in (2, 4, 6, 8)):
        raise Http404
    top = next((t for t in tops if code.startswith(t)), None)
    if top is None:
        raise Http404
    lineage = [c for c in reversed(area_lineage(code)) if c.startswith(top) and len(c) >= len(top)]
    found = areas_get([c for c in lineage if c])
    if code and code not in found:
        raise Http404
    crumbs = [Crumb(c, _name(found.get(c), c)) for c in lineage]
    others = [t for t in tops if t != top]
    other_found = areas_get([t for t in others if t])
    level = "country" if not code else (found[code].level)
    return ReportArea(
        code=code,
        name=crumbs[-1].name,
        level=level,
        breadcrumb=crumbs,
        other_roots=[Crumb(t, _name(other_found.get(t), t)) for t in others],
    )
