"""Pages of the cases app: my tasks, my cases, the case page and its actions (referrals in referral_views.py,
the agency directory and funds in directory_views.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pocketbook.accounts.http import AnyUser, AuthenticatedHttpRequest
from pocketbook.cases.view_helpers import PAGE_SIZE, case_redirect, int_or_none, post_action
from pocketbook.core.paging import CappedPaginator
from pocketbook.core.search import search_params, search_text
from pocketbook.geo.selectors import VILLAGE_TEXT_MAX_LENGTH
from pocketbook.households.models import Household
from pocketbook.incidents.models import Incident

from . import selectors, services
from .choices import CaseStage, CaseStatus
from .forms import (
    AssistanceForm,
    CaseCloseForm,
    CaseOpenForm,
    FollowUpForm,
    NeedAddForm,
    PlanItemForm,
    apply_service_error,
)


def incident_open_case_url(viewer: AnyUser, incident: Incident) -> str | None:
    """The "Open a case" button of an incident page: offered when the incident names a household and the viewer may."""
    if incident.household_id is None or not viewer.has_perm("cases.add_case"):
        return None
    return reverse("cases:case_open", args=[incident.household_id]) + f"?incident={incident.pk}"


# --- lists ------------------------------------------------------------------------------------


@login_required
@permission_required("cases.view_case", raise_exception=True)
def my_tasks(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The social worker's start page: what is due or overdue, overdue first."""
    tasks = selectors.my_tasks(viewer=request.user)
    return render(request, "cases/my_tasks.html", {"tasks": tasks, "today": tasks.today})


@login_required
@permission_required("cases.view_case", raise_exception=True)
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My cases: filter by status, stage, village and worker; cases needing attention first.

    The summary search may hold a person's name: the form posts it and links carry it encrypted (core.search),
    so it never reaches an address, a log or the browser's history.
    """
    data = request.POST if request.method == "POST" else request.GET
    filters = selectors.CaseFilters(
        status=data.get("status", "open" if "status" not in data else ""),
        stage=data.get("stage", ""),
        area_code=data.get("area", "").strip()[:8],
        worker=data.get("worker", "me" if "worker" not in data else ""),
        text=search_text(request),
        village=" ".join(data.get("village", "").split())[:VILLAGE_TEXT_MAX_LENGTH],
    )
    link = urlencode(
        {
            "status": filters.status,
            "stage": filters.stage,
            "worker": filters.worker,
            **({"area": filters.area_code} if filters.area_code else {}),
            "village": filters.village,
            **search_params(filters.text),
        }
    )
    is_htmx = bool(request.headers.get("HX-Request"))
    if request.method == "POST" and not is_htmx:
        return redirect(f"{reverse('cases:case_list')}?{link}")
    # Counting stops at 1,000 and pages stop there too: the page's cost does not grow with the table.
    page = CappedPaginator(selectors.case_list(viewer=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    villages = selectors.village_labels({case.household.area_code for case in page.object_list})
    for case in page.object_list:
        case.village_label = villages.get(case.household.area_code, case.household.area_code)
    context = {
        "page": page,
        "filters": filters,
        "link": link,
        "statuses": CaseStatus.choices,
        "stages": CaseStage.choices,
        "today": selectors.timezone.localdate(),
    }
    if not is_htmx:
        return render(request, "cases/case_list.html", context)
    response = render(request, "cases/_case_rows.html", context)
    response["HX-Push-Url"] = f"{reverse('cases:case_list')}?{link}"  # the address to come back to: no summary text
    return response


# --- the case page ----------------------------------------------------------------------------


@login_required
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Everything about a case, with every action the viewer may take."""
    case = selectors.case_get(viewer=request.user, pk=pk)
    detail = selectors.case_detail(viewer=request.user, case=case)
    user = request.user
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "detail": detail,
            "today": selectors.timezone.localdate(),
            "may_change": user.has_perm("cases.change_case") and case.is_open,
            "may_reopen": user.has_perm("cases.change_case") and not case.is_open,
            "may_refer": user.has_perm("cases.add_referral") and case.is_open,
            "may_assist": user.has_perm("cases.add_assistance") and case.is_open,
            "may_follow_up": user.has_perm("cases.add_followup") and case.is_open,
            "may_see_amounts": user.has_perm("cases.view_assistance_amount"),
            # several small forms on one page: each its own id prefix
            "close_form": CaseCloseForm(auto_id="close_%s"),
            "plan_form": PlanItemForm(case=case, auto_id="plan_%s"),
            "need_form": NeedAddForm(auto_id="need_%s"),
            "follow_up_form": FollowUpForm(auto_id="visit_%s"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_open(request: AuthenticatedHttpRequest, household_id: int) -> HttpResponse:
    """Open a case for a household, from its suggested needs (or from an emergency report)."""
    if not request.user.has_perm("cases.add_case"):
        raise PermissionDenied
    household = get_object_or_404(Household.objects.for_user(request.user, "view"), pk=household_id)
    incident = None
    incident_id = int_or_none(request.GET.get("incident") or request.POST.get("incident"))
    if incident_id is not None:
        incident = get_object_or_404(Incident.objects.for_user(request.user, "view"), pk=incident_id)
    needs = selectors.household_needs(viewer=request.user, household=household)
    free_needs = [need for need in needs if need.case_id is None]
    initial: dict[str, Any] = {"needs": [need.pk for need in free_needs]}
    if incident is not None:
        initial["title"] = _("Emergency report %(number)s") % {"number": incident.number}
    form = CaseOpenForm(request.POST or None, needs=free_needs, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(
                household=household,
                title=form.cleaned_data["title"],
                needs=form.cleaned_data["needs"],
                incident=incident,
                actor=request.user,
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Case opened."))
            return case_redirect(case)
    return render(request, "cases/case_open.html", {"household": household, "form": form, "incident": incident})


@login_required
@require_POST
def case_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(viewer=request.user, pk=pk, action="change")
    form = CaseCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how the case ends."))
        return case_redirect(case, "close")
    data = form.cleaned_data
    return post_action(
        request,
        case,
        lambda: services.case_close(
            case=case, status=data["status"], outcome=data["outcome"], note=data["note"], actor=request.user
        ),
        _("Case closed."),
    )


@login_required
@require_POST
def case_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(viewer=request.user, pk=pk, action="change")
    reason = request.POST.get("reason", "")
    return post_action(
        request, case, lambda: services.case_reopen(case=case, reason=reason, actor=request.user), _("Case re-opened.")
    )


@login_required
@require_POST
def case_take(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Assign the case to me (the signed-in social worker), keeping its volunteer."""
    case = selectors.case_get(viewer=request.user, pk=pk, action="change")
    return post_action(
        request,
        case,
        lambda: services.case_assign(case=case, worker=request.user, volunteer=case.volunteer, actor=request.user),
        _("The case is now yours."),
    )


@login_required
@require_POST
def need_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(viewer=request.user, pk=pk, action="change")
    form = NeedAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Describe the need."))
        return case_redirect(case, "needs")
    return post_action(
        request,
        case,
        lambda: services.need_add(
            household=case.household,
            case=case,
            description=form.cleaned_data["description"],
            dimension=form.cleaned_data["dimension"],
            actor=request.user,
        ),
        _("Need added."),
        "needs",
    )


@login_required
@require_POST
def need_dismiss(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    need = selectors.need_get(viewer=request.user, pk=pk, action="change")
    try:
        services.need_dismiss(need=need, reason=request.POST.get("reason", ""), actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Need dismissed."))
    return redirect(
        (
            request.POST.get("next_case")
            and reverse("cases:case_detail", args=[int_or_none(request.POST.get("next_case")) or 0])
        )
        or reverse("households:household_detail", args=[need.household_id])
    )


@login_required
@require_POST
def plan_item_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(viewer=request.user, pk=pk, action="change")
    form = PlanItemForm(request.POST, case=case)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            text = " ".join(str(error) for error in errors)
            messages.error(request, f"{label}: {text}" if label else text)
        return case_redirect(case, "plan")
    data = form.cleaned_data
    return post_action(
        request,
        case,
        lambda: services.plan_item_add(
            case=case,
            action=data["action"],
            need=data["need"],
            agency=data["agency"],
            due_on=data["due_on"],
            responsible_user=request.user,
            actor=request.user,
        ),
        _("Plan item added."),
        "plan",
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_item_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Change a plan item; a save over someone else's newer change is refused with both versions shown."""
    item = selectors.plan_item_get(viewer=request.user, pk=pk, action="change")
    case = item.case
    initial = {
        "action": item.action,
        "need": item.need_id,
        "agency": item.agency_id,
        "due_on": item.due_on,
        "status": item.status,
        "version": item.version,
    }
    form = PlanItemForm(request.POST or None, case=case, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_item_update(
                item=item,
                version=data["version"] if data["version"] is not None else -1,
                actor=request.user,
                action=data["action"],
                agency=data["agency"],
                due_on=data["due_on"],
                status=data["status"] or item.status,
            )
        except services.PlanItemConflict as error:
            conflict = error.current
            form = PlanItemForm(request.POST, case=case, initial=initial)
            form.is_valid()
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Plan item saved."))
            return case_redirect(case, "plan")
    if conflict is not None:
        data = request.POST.copy()
        data["version"] = str(conflict.version)
        form.data = data
    return render(
        request, "cases/plan_item_form.html", {"item": item, "case": case, "form": form, "conflict": conflict}
    )


@login_required
@require_http_methods(["GET", "POST"])
def assistance_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(viewer=request.user, pk=pk, action="change")
    if not request.user.has_perm("cases.add_assistance"):
        raise PermissionDenied
    form = AssistanceForm(request.POST or None, funds=selectors.funds_for(viewer=request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assistance_record(
                household=case.household,
                case=case,
                kind=data["kind"],
                amount=data["amount"],
                fund=data["fund"],
                given_on=data["given_on"],
                description=data["description"],
                actor=request.user,
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Assistance recorded."))
            return case_redirect(case, "assistance")
    return render(request, "cases/assistance_form.html", {"case": case, "form": form})


@login_required
@require_POST
def assistance_reverse(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = selectors.assistance_get(viewer=request.user, pk=pk, action="change")
    reason = request.POST.get("reason", "")
    target = entry.case
    try:
        services.assistance_reverse(assistance=entry, reason=reason, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Assistance reversed."))
    if target is None:
        return redirect("households:household_detail", pk=entry.household_id)
    return case_redirect(target, "assistance")


@login_required
@require_POST
def followup_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(viewer=request.user, pk=pk)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(str(error) for error in errors)}")
        return case_redirect(case, "follow-ups")
    data = form.cleaned_data
    return post_action(
        request,
        case,
        lambda: services.followup_record(
            case=case,
            visited_on=data["visited_on"],
            note=data["note"],
            next_visit_on=data["next_visit_on"],
            actor=request.user,
        ),
        _("Follow-up recorded."),
        "follow-ups",
    )
