"""The printouts' pages: each answers a Thai A4 PDF (`core.pdf.render_pdf`), and the monthly summary has a form.

Access is the same as the screens they print: the household's pocketbook as the household page (missing and out of
reach are both 404, analysts included), the incident report as the incident page (403 without the ESS permission,
404 outside the areas), the monthly summary as the reports (403 without reports, 404 for an area outside them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from pocketbook.accounts.http import AuthenticatedHttpRequest
from pocketbook.core.dates import THAI_MONTHS, to_buddhist_year
from pocketbook.core.pdf import pdf_response, render_pdf
from pocketbook.geo.selectors import area_children
from pocketbook.households.models import Household
from pocketbook.incidents.models import Incident
from pocketbook.reports import scope
from pocketbook.reports.household_counts import CUTOFFS
from pocketbook.reports.printouts import household, incident, monthly
from pocketbook.reports.views import report_context


def _thai_pdf(template: str, gather: Callable[[], dict[str, Any]]) -> tuple[bytes, dict[str, Any]]:
    """Gather a printout's context and render it, both in Thai whatever the page's language, stamped with now."""
    with translation.override("th"):
        context = gather() | {"printed_at": timezone.now()}
        return render_pdf(template, context), context


@login_required
def household_printout(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The household's pocketbook as a PDF."""
    try:
        body, _context = _thai_pdf(
            "reports/printouts/household.html", lambda: household.household_printout(viewer=request.user, pk=pk)
        )
    except Household.DoesNotExist:
        raise Http404 from None
    return pdf_response(body, f"pocketbook-{pk}.pdf")


@login_required
@permission_required(incident.VIEW_PERMISSION, raise_exception=True)
def incident_printout(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The incident report as a PDF."""
    try:
        body, context = _thai_pdf(
            "reports/printouts/incident.html", lambda: incident.incident_printout(viewer=request.user, pk=pk)
        )
    except Incident.DoesNotExist:
        raise Http404 from None
    return pdf_response(body, f"incident-{context['incident'].number}.pdf")


def _k(request: AuthenticatedHttpRequest) -> int | None:
    text = request.GET.get("k", "1")
    return int(text) if text.isdigit() and int(text) in CUTOFFS else None


@login_required
def monthly_form(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The printouts tab of the reports: choose a month (BE) and an area of one's scope for the monthly summary."""
    context = report_context(request, "printouts")
    area = context["area"]
    today = timezone.localdate()
    children = [(child.code, child.name) for child in area_children(area.code)] if area.has_children else []
    return render(
        request,
        "reports/printouts/monthly_form.html",
        context
        | {
            "months": list(enumerate(THAI_MONTHS, start=1)),
            "this_month": today.month,
            "this_year_be": to_buddhist_year(today.year),
            "areas": [(area.code, area.name), *children],
            "cutoffs": CUTOFFS,
        },
    )


@login_required
def monthly_printout(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The monthly summary of an area as a PDF, with its charts."""
    if not scope.can_view_reports(request.user):
        raise PermissionDenied
    area = scope.report_area(request.user, request.GET.get("area"))  # 404 outside the viewer's areas
    month = monthly.month_from(request.GET.get("year"), request.GET.get("month"))
    k = _k(request)
    if month is None or k is None:
        messages.warning(request, _("Choose a month, a Buddhist Era year such as 2569, and a cut-off k of 1 to 5."))
        return redirect(reverse("reports:printouts") + "?" + urlencode({"area": area.code}))
    body, _context = _thai_pdf(
        "reports/printouts/monthly.html",
        lambda: monthly.monthly_summary(viewer=request.user, area=area, month=month, k=k),
    )
    return pdf_response(body, f"monthly-{area.code or 'th'}-{month.year_be}-{month.month:02d}.pdf")
