"""Pages of the registry, caseloads, coverage and visits (training projects: training_views.py)."""

from __future__ import annotations

from typing import cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pocketbook.accounts.http import AuthenticatedHttpRequest
from pocketbook.core.forms import BoundedModelMultipleChoiceField
from pocketbook.core.search import search_params, search_text
from pocketbook.geo.selectors import area_get, areas_get
from pocketbook.households import selectors as household_selectors
from pocketbook.households.models import Household
from pocketbook.volunteers import importer, selectors, services
from pocketbook.volunteers.choices import VolunteerStatus
from pocketbook.volunteers.forms import ImportForm, VisitForm, VolunteerForm, VolunteerStatusForm
from pocketbook.volunteers.models import Volunteer

PAGE_SIZE = 30
MAX_PAGE = 100_000


def require(request: AuthenticatedHttpRequest, permission: str) -> None:
    """403 unless the user holds `permission` (scoping then answers 404 for records outside their areas)."""
    if not request.user.has_perm(permission):
        raise PermissionDenied


def errors_to_form(form: Form, error: ValidationError) -> None:
    """Put a service's ValidationError beside the fields it names (or on top of the form)."""
    if hasattr(error, "error_dict"):
        for field_name, texts in error.message_dict.items():
            form.add_error(field_name if field_name in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)


def _volunteer_or_404(request: AuthenticatedHttpRequest, pk: int, action: str = "view") -> Volunteer:
    try:
        return selectors.volunteer_get(viewer=request.user, pk=pk, action=action)
    except Volunteer.DoesNotExist:
        raise Http404 from None


def _page(request: AuthenticatedHttpRequest) -> int:
    try:
        return min(max(1, int(request.GET.get("page", "1"))), MAX_PAGE)
    except ValueError:
        return 1


# ---------------------------------------------------------------- registry


@login_required
def volunteer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The registry: searchable by name or phone, filtered by status."""
    require(request, "volunteers.view_volunteer")
    search = search_text(request)
    status = (request.POST if request.method == "POST" else request.GET).get("status", "")
    if status not in VolunteerStatus.values:
        status = ""
    link = {**search_params(search), **({"status": status} if status else {})}
    if request.method == "POST" and not request.htmx:
        return redirect(reverse("volunteers:volunteer_list") + ("?" + urlencode(link) if link else ""))
    page = _page(request)
    volunteers = selectors.volunteer_list(viewer=request.user, search=search, status=status)
    rows = list(volunteers[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    context = {
        "volunteers": rows[:PAGE_SIZE],
        "areas": areas_get({a.area_code for v in rows[:PAGE_SIZE] for a in v.areas.all()}),
        "has_next": len(rows) > PAGE_SIZE,
        "page": page,
        "search": search,
        "link": urlencode(link),
        "status": status,
        "statuses": VolunteerStatus.choices,
        "limit": services.caseload_limit(),
        "can_add": request.user.has_perm("volunteers.add_volunteer"),
    }
    template = "volunteers/_volunteer_rows.html" if request.htmx else "volunteers/volunteer_list.html"
    return render(request, template, context)


@login_required
def volunteer_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request, "volunteers.add_volunteer")
    form = VolunteerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = services.volunteer_create(data=form.to_input(), actor=request.user)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Volunteer registered."))
            return redirect("volunteers:volunteer_detail", pk=volunteer.pk)
    return render(request, "volunteers/volunteer_form.html", {"form": form, "creating": True})


@login_required
def volunteer_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require(request, "volunteers.change_volunteer")
    volunteer = _volunteer_or_404(request, pk, "change")
    initial = {
        "title": volunteer.title,
        "first_name": volunteer.first_name,
        "last_name": volunteer.last_name,
        "phone": volunteer.phone,
        "line_id": volunteer.line_id,
        "home_area_code": volunteer.home_area_code,
        "areas_served": ", ".join(a.area_code for a in volunteer.areas.all()),
        "started_on": volunteer.started_on,
        "term_ends_on": volunteer.term_ends_on,
        "skills": ", ".join(volunteer.skills),
    }
    form = VolunteerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteer_update(volunteer=volunteer, data=form.to_input(user=volunteer.user), actor=request.user)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("volunteers:volunteer_detail", pk=volunteer.pk)
    return render(request, "volunteers/volunteer_form.html", {"form": form, "volunteer": volunteer})


@login_required
def volunteer_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The profile: training history and certificates, households in charge, visits done and due."""
    require(request, "volunteers.view_volunteer")
    try:
        volunteer = selectors.volunteer_open(viewer=request.user, pk=pk)
    except Volunteer.DoesNotExist:
        raise Http404 from None
    profile = selectors.volunteer_profile(viewer=request.user, volunteer=volunteer)
    status_form = VolunteerStatusForm(initial={"status": volunteer.status})
    return render(
        request,
        "volunteers/volunteer_detail.html",
        {
            "volunteer": volunteer,
            "profile": profile,
            "home_area": area_get(volunteer.home_area_code),
            "limit": services.caseload_limit(),
            "today": timezone.localdate(),
            "status_form": status_form,
            "others": [v for v in selectors.volunteer_choices(viewer=request.user) if v.pk != volunteer.pk],
            "can_change": request.user.has_perm("volunteers.change_volunteer"),
        },
    )


@login_required
@require_POST
def volunteer_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Pause, resume or end a volunteer's service (a leaver's households handed over or freed)."""
    require(request, "volunteers.change_volunteer")
    volunteer = _volunteer_or_404(request, pk, "change")
    form = VolunteerStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("volunteers:volunteer_detail", pk=pk)
    hand_over = None
    if form.cleaned_data["hand_over_to"]:
        hand_over = _volunteer_or_404(request, form.cleaned_data["hand_over_to"], "change")
    try:
        services.volunteer_status_set(
            volunteer=volunteer,
            status=form.cleaned_data["status"],
            on=form.cleaned_data["on"],
            hand_over_to=hand_over,
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Status changed."))
    return redirect("volunteers:volunteer_detail", pk=pk)


@login_required
def volunteer_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload a CSV or XLSX file; the page shows what was imported and the rejected rows (downloadable)."""
    require(request, "volunteers.add_volunteer")
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = importer.volunteers_import(stream=upload.file, filename=upload.name, actor=request.user)
        except importer.FileProblem as problem:
            form.add_error("file", str(problem))
        else:
            if request.POST.get("download") and report.rejected:
                response = HttpResponse(report.csv_text(), content_type="text/csv; charset=utf-8")
                response["Content-Disposition"] = 'attachment; filename="rejected-volunteers.csv"'
                return response
    return render(request, "volunteers/volunteer_import.html", {"form": form, "report": report})


# ---------------------------------------------------------------- caseloads


class HouseholdChoiceForm(Form):
    households = BoundedModelMultipleChoiceField(queryset=Household.objects.none(), required=True)


@login_required
def assignment(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Assign households: choose a village, tick households on its list (or take all without a volunteer)."""
    require(request, "volunteers.add_householdassignment")
    area = selectors.assignment_area_get(
        viewer=request.user, area_code=request.POST.get("area") or request.GET.get("area", "")
    )
    if request.method == "POST" and area is not None:
        _assign_posted(request, area.code)
        return redirect(reverse("volunteers:assignment") + f"?area={area.code}")
    rows = selectors.household_assignment_rows(viewer=request.user, area_code=area.code) if area else []
    return render(
        request,
        "volunteers/assignment.html",
        {
            "area": area,
            "rows": rows,
            "row_areas": areas_get({row["area_code"] for row in rows}),
            "without": sum(1 for row in rows if not row["volunteer_id"]),
            "volunteers": selectors.volunteer_choices(viewer=request.user, area_code=area.code) if area else [],
            "areas": list(areas_get(request.user.area_codes()).values()),
            "batches": selectors.assignment_batches(viewer=request.user, limit=10),
            "limit": services.caseload_limit(),
        },
    )


def _assign_posted(request: AuthenticatedHttpRequest, area_code: str) -> None:
    try:
        volunteer = selectors.volunteer_get(viewer=request.user, pk=int(request.POST.get("volunteer", "0")))
    except (Volunteer.DoesNotExist, ValueError):
        messages.error(request, _("Choose the volunteer."))
        return
    try:
        if request.POST.get("whole_village"):
            batch = services.households_assign_village(area_code=area_code, volunteer=volunteer, actor=request.user)
        else:
            form = HouseholdChoiceForm(request.POST)
            households = cast(BoundedModelMultipleChoiceField, form.fields["households"])
            households.queryset = Household.objects.for_user(request.user, "change")
            if not form.is_valid():
                messages.error(request, _("Tick at least one household of the list."))
                return
            ids = [h.pk for h in form.cleaned_data["households"]]
            batch = services.households_assign(household_ids=ids, volunteer=volunteer, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return
    messages.success(
        request,
        _("%(count)s households are now in the care of %(name)s.")
        % {"count": batch.household_count, "name": volunteer.full_name},
    )


@login_required
def reassign(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Hand every household of one volunteer (for example one who leaves) to another, in one action."""
    require(request, "volunteers.change_householdassignment")
    volunteers = selectors.volunteer_choices(viewer=request.user)
    leaving = [v for v in selectors.volunteer_list(viewer=request.user).filter(caseload__gt=0)[:500]]
    if request.method == "POST":
        try:
            source = selectors.volunteer_get(
                viewer=request.user, pk=int(request.POST.get("from", "0")), action="change"
            )
            target = selectors.volunteer_get(viewer=request.user, pk=int(request.POST.get("to", "0")), action="change")
        except (Volunteer.DoesNotExist, ValueError):
            messages.error(request, _("Choose both volunteers."))
        else:
            try:
                batch = services.households_reassign(
                    from_volunteer=source,
                    to_volunteer=target,
                    actor=request.user,
                    reason=request.POST.get("reason", "")[:300],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("%(count)s households handed from %(source)s to %(target)s.")
                    % {"count": batch.household_count, "source": source.full_name, "target": target.full_name},
                )
                return redirect("volunteers:reassign")
    return render(
        request,
        "volunteers/reassign.html",
        {"volunteers": volunteers, "leaving": leaving, "limit": services.caseload_limit()},
    )


@login_required
def coverage(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Households with and without a volunteer per subdistrict (or per village of one subdistrict)."""
    if not selectors.may_see_coverage(request.user):
        raise PermissionDenied
    area_code = request.GET.get("area", "").strip()[:8]
    if area_code and not area_code.isdigit():
        area_code = ""
    rows, total = selectors.coverage(viewer=request.user, area_code=area_code)
    return render(
        request,
        "volunteers/coverage.html",
        {
            "rows": rows,
            "total": total,
            "area": area_get(area_code) if area_code else None,
            "limit": services.caseload_limit(),
            "drill": not area_code or len(area_code) < 6,
        },
    )


# ---------------------------------------------------------------- visits


@login_required
def my_visits(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The volunteer's phone list: overdue first, then this week, then later."""
    require(request, "volunteers.view_visitschedule")
    visits = selectors.my_visits(viewer=request.user)
    households = [s.household for s in visits.overdue + visits.this_week + visits.later]
    return render(
        request,
        "volunteers/my_visits.html",
        {
            "visits": visits,
            "areas": areas_get({h.area_code for h in households}),
            "today": timezone.localdate(),
        },
    )


@login_required
def visit_create(request: AuthenticatedHttpRequest, household_pk: int) -> HttpResponse:
    """Record a short visit note; the phone's position is added when it gives one."""
    require(request, "volunteers.add_visit")
    try:
        household = household_selectors.household_get(viewer=request.user, pk=household_pk)
    except Household.DoesNotExist:
        raise Http404 from None
    form = VisitForm(request.POST or None, initial={"visited_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_record(
                household=household,
                visited_on=data["visited_on"],
                note=data["note"],
                gps_lat=data["gps_lat"],
                gps_lng=data["gps_lng"],
                actor=request.user,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Visit recorded."))
            return redirect("volunteers:my_visits")
    return render(
        request,
        "volunteers/visit_form.html",
        {"form": form, "household": household, "area": area_get(household.area_code)},
    )
