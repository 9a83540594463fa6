"""The reports API: aggregate figures of an area in the caller's scope (never a person)."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Query, Router, Schema

from pocketbook.accounts.http import AuthenticatedHttpRequest
from pocketbook.core.api import require_permission
from pocketbook.reports import privacy, scope, selectors
from pocketbook.reports.poverty import PovertyFigures

router = Router(tags=["reports"])


class ContributionOut(Schema):
    censored_headcount: float | None = Field(description="h_j: share of households poor and deprived in j")
    contribution: float | None = Field(description="w_j × h_j / M0")


class PovertyChildOut(Schema):
    area: str
    households: int | str = Field(description='Households with a latest assessment ("< 5" or "*" when suppressed)')
    poor: int | str
    H: float | None
    A: float | None
    M0: float | None


class PovertyOut(Schema):
    area: str = Field(description='Area code ("" for the country)')
    households: int | str = Field(description="Households with a latest assessment in the area")
    poor: int | str = Field(description="Poor households at cut-off k")
    H: float | None = Field(description="Headcount ratio q/n (null when suppressed)")
    A: float | None = Field(description="Average intensity among the poor")
    M0: float | None = Field(description="Adjusted headcount ratio H × A")
    k: int
    weights: str
    contributions: dict[str, ContributionOut]
    children: list[PovertyChildOut]


def _shown(cell: privacy.Cell) -> int | str:
    return cell.value if cell.value is not None else cell.shown


def _measures(figures: PovertyFigures, visible: bool) -> dict[str, float | None]:
    if not visible:
        return {"H": None, "A": None, "M0": None}
    return {"H": figures.H, "A": figures.A, "M0": figures.M0}


@router.get("/reports/poverty", response=PovertyOut, summary="Alkire–Foster poverty of an area and its children")
def poverty(
    request: AuthenticatedHttpRequest,
    area: str = Query("", max_length=8, description="Area code; empty: your own area"),
    k: int = Query(1, ge=1, le=5, description="Poor when the deprivation score reaches k/5"),
    weights: Literal["dimensions", "indicators"] = Query("dimensions"),
):
    require_permission(request, scope.VIEW_PERMISSION)
    report_area = scope.report_area(request.user, area)
    figures, _names, seen = selectors.poverty_report(viewer=request.user, area=report_area, k=k, weights=weights)
    suppress = seen["suppress"]
    visible = selectors.poverty_visible(figures, suppress=suppress)
    contributions = figures.contributions()
    poor_cells = privacy.suppress_small([c.poor for c in figures.children], total=figures.poor, suppress=suppress)
    household_cells = privacy.suppress_small(
        [c.households for c in figures.children], total=figures.households, suppress=suppress
    )
    return {
        "area": report_area.code,
        "households": _shown(privacy.suppress_one(figures.households, suppress=suppress)),
        "poor": _shown(privacy.suppress_one(figures.poor, suppress=suppress)),
        **_measures(figures, visible),
        "k": k,
        "weights": weights,
        "contributions": {
            j: {
                "censored_headcount": figures.censored_headcount(j) if visible else None,
                "contribution": contributions.get(j, 0.0) if visible else None,
            }
            for j in figures.censored
        },
        "children": [
            {
                "area": child.area,
                "households": _shown(households_cell),
                "poor": _shown(poor_cell),
                **_measures(child, not (poor_cell.suppressed or households_cell.suppressed)),
            }
            for child, poor_cell, households_cell in zip(figures.children, poor_cells, household_cells, strict=True)
        ],
    }
