"""The office's shared pages of the cases app: the agency directory and the funds with their budgets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pocketbook.accounts.http import AuthenticatedHttpRequest
from pocketbook.cases import selectors, services
from pocketbook.cases.choices import AgencyService
from pocketbook.cases.forms import (
    BudgetForm,
    apply_service_error,
)
from pocketbook.cases.view_helpers import PAGE_SIZE, int_or_none


@login_required
@permission_required("cases.view_agency", raise_exception=True)
def agency_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The agency directory, searchable in Thai (name, kind, address, services)."""
    text = request.GET.get("q", "").strip()[:100]
    service = request.GET.get("service", "")
    service = service if service in AgencyService.values else ""
    area = request.GET.get("area", "").strip()[:8]
    page = Paginator(selectors.agency_search(text=text, service=service, area_code=area), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "q": text,
        "service": service,
        "area": area,
        "services": AgencyService.choices,
        "case_id": int_or_none(request.GET.get("case")),
    }
    template = "cases/_agency_rows.html" if request.headers.get("HX-Request") else "cases/agency_list.html"
    return render(request, template, context)


@login_required
@permission_required("cases.view_fund", raise_exception=True)
@require_http_methods(["GET", "POST"])
def fund_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Funds with their budget, what was given and what remains, per fiscal year."""
    form = BudgetForm(request.POST or None)
    if request.method == "POST":
        fund = selectors.fund_get(viewer=request.user, pk=int_or_none(request.POST.get("fund")) or 0, action="change")
        if form.is_valid():
            try:
                services.fund_budget_set(
                    fund=fund,
                    fiscal_year=form.cleaned_data["fiscal_year"],
                    amount=form.cleaned_data["amount"],
                    actor=request.user,
                )
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("Budget saved."))
                return redirect("cases:fund_list")
    return render(
        request,
        "cases/fund_list.html",
        {
            "lines": selectors.fund_totals(viewer=request.user),
            "funds": selectors.funds_for(viewer=request.user),
            "form": form,
            "may_set_budget": request.user.has_perm("cases.change_fundbudget"),
        },
    )
