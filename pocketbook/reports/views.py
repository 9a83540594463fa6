"""The reports pages: each reads counters (tallies) for one area of the viewer's scope, never the raw rows."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pocketbook.accounts.http import AuthenticatedHttpRequest
from pocketbook.reports import charts, privacy, scope, selectors
from pocketbook.reports.household_counts import CUTOFFS
from pocketbook.reports.poverty import WEIGHTS, PovertyFigures
from pocketbook.reports.sections import sections_available


def report_context(request: AuthenticatedHttpRequest, section: str) -> dict[str, Any]:
    """What every reports page needs: the area (404 outside the scope), the tabs, whether to suppress small cells.

    Raises PermissionDenied for a viewer who may not see reports.
    """
    if not scope.can_view_reports(request.user):
        raise PermissionDenied
    area = scope.report_area(request.user, request.GET.get("area"))
    return {
        "area": area,
        "section": section,
        "sections": sections_available(),
        "suppress": not privacy.sees_people(request.user),
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The first section the viewer can open."""
    if not scope.can_view_reports(request.user):
        raise PermissionDenied
    available = sections_available()
    if not available:
        raise PermissionDenied
    return redirect(available[0][1])


@login_required
def households(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Households: registered, assessed, failing by dimension and indicator, by child area, trend by fiscal year."""
    context = report_context(request, "households")
    context |= selectors.households_dashboard(viewer=request.user, area=context["area"])
    return render(request, "reports/households.html", context)


def _choice(request: HttpRequest, name: str, allowed: tuple[str, ...], default: str) -> tuple[str, bool]:
    value = request.GET.get(name, default)
    return (value, True) if value in allowed else (default, False)


@login_required
def poverty(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Alkire–Foster poverty: H, A, M0 and each dimension's contribution, for a chosen k and weighting."""
    context = report_context(request, "poverty")
    k_text, k_ok = _choice(request, "k", tuple(str(k) for k in CUTOFFS), "1")
    weights, weights_ok = _choice(request, "weights", WEIGHTS, "dimensions")
    if not (k_ok and weights_ok):
        messages.warning(
            request,
            _("The cut-off k is 1 to 5 and the weights are by dimension or by indicator; shown with the defaults."),
        )
    figures, item_names, _seen = selectors.poverty_report(
        viewer=request.user, area=context["area"], k=int(k_text), weights=weights
    )
    suppress = context["suppress"]
    visible = selectors.poverty_visible(figures, suppress=suppress)
    children_names = scope.area_names([child.area for child in figures.children])
    contributions = figures.contributions()
    items = [
        {
            "key": j,
            "name": item_names.get(j, j),
            "censored": figures.censored_headcount(j),
            "contribution": contributions.get(j, 0.0),
            "percent": f"{100 * contributions.get(j, 0.0):.1f}",
        }
        for j in figures.censored
    ]
    # A child's poor count could be worked out from the area's own: suppress the column against that total.
    poor_cells = privacy.suppress_small([c.poor for c in figures.children], total=figures.poor, suppress=suppress)
    household_cells = privacy.suppress_small(
        [c.households for c in figures.children], total=figures.households, suppress=suppress
    )
    children = [
        {
            "code": child.area,
            "name": children_names.get(child.area, child.area),
            "figures": child,
            "households": households_cell,
            "visible": not (poor_cell.suppressed or households_cell.suppressed),
            "drill": len(child.area) < 8,
            "driver": _driver(child, item_names),
        }
        for child, poor_cell, households_cell in zip(figures.children, poor_cells, household_cells, strict=True)
    ]
    context |= {
        "k": int(k_text),
        "cutoffs": CUTOFFS,
        "weights": weights,
        "figures": figures,
        "visible": visible,
        "households_cell": privacy.suppress_one(figures.households, suppress=suppress),
        "poor_cell": privacy.suppress_one(figures.poor, suppress=suppress),
        "items": items,
        "children": children,
        "chart": charts.bar_chart(
            [charts.ChartRow(str(item["name"]), round(100 * float(str(item["contribution"])), 1)) for item in items],
            title=_("Contribution to M0 (%)"),
            unit="%",
            max_value=100,
        )
        if visible and figures.poor
        else None,
    }
    return render(request, "reports/poverty.html", context)


def _driver(figures: PovertyFigures, item_names: dict[str, str]) -> str:
    """The dimension or indicator that contributes most to the area's M0 ("" when nobody is poor)."""
    contributions = figures.contributions()
    if not figures.poor or not contributions:
        return ""
    top = max(contributions, key=lambda j: contributions[j])
    return item_names.get(top, top)
