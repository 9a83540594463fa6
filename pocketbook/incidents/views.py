"""ESS pages: the operator board, the hotline-1300 form, the incident page and its actions, the responder's view."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pocketbook.accounts.http import AuthenticatedHttpRequest
from pocketbook.incidents import selectors, services
from pocketbook.incidents.choices import OPEN_STATUSES, Channel, DispatchStatus, Status
from pocketbook.incidents.display import area_labels, timeline_entries
from pocketbook.incidents.extensions import incident_actions_for
from pocketbook.incidents.forms import (
    CompleteForm,
    DispatchForm,
    HotlineCallForm,
    HouseholdLinkForm,
    LocationForm,
    MergeForm,
    NoteForm,
    ReassignForm,
    StatusForm,
)
from pocketbook.incidents.models import Dispatch, Incident

logger = logging.getLogger(__name__)

BOARD_REFRESH_SECONDS = 4


def _map_context() -> dict[str, Any]:
    return {
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "refresh_seconds": BOARD_REFRESH_SECONDS,
    }


def _apply_errors(form: Form, error: ValidationError) -> None:
    """Put a service's ValidationError beside the form's fields (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _board_context(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    incidents = selectors.incident_board(viewer=request.user)
    labels = area_labels({incident.area_code for incident in incidents})
    now = timezone.now()
    for incident in incidents:
        incident.area_label = labels.get(incident.area_code, incident.area_code)  # type: ignore[attr-defined]
        minutes = max(int((now - incident.received_at).total_seconds() // 60), 0)
        incident.age_minutes, incident.age_hours = minutes, minutes // 60  # type: ignore[attr-defined]
    columns = [
        {"status": status, "label": status.label, "incidents": [i for i in incidents if i.status == status]}
        for status in OPEN_STATUSES
    ]
    return {
        "columns": columns,
        "incidents": incidents,
        "overdue_count": sum(1 for i in incidents if i.is_overdue),
        "now": now,
    }


@login_required
@permission_required("incidents.view_incident", raise_exception=True)
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open incidents of the operator's areas by status, overdue first, with a map; it refreshes itself."""
    context = _board_context(request)
    if request.headers.get("HX-Request") == "true":
        return render(request, "incidents/_board.html", context)
    return render(request, "incidents/board.html", context | _map_context())


@login_required
@permission_required("incidents.add_incident", raise_exception=True)
def hotline_call(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Log a hotline-1300 call while the caller is on the line."""
    form = HotlineCallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        code = data["area_code"]
        try:
            incident = services.incident_open(
                incident_type=data["incident_type"],
                channel=Channel.HOTLINE,
                description=data["description"],
                address_text=data["address_text"],
                area_code=code,
                priority=data["priority"] or None,
                reporter_phone=data["caller_phone"],
                reporter_name=data["caller_name"],
                is_anonymous=data["is_anonymous"],
                people_involved=data["people_involved"],
                actor=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Incident %(number)s opened and sent to %(unit)s.")
                % {"number": incident.number, "unit": incident.unit or _("no unit yet")},
            )
            if selectors.incident_queryset(viewer=request.user).filter(pk=incident.pk).exists():
                return redirect("incidents:incident_detail", pk=incident.pk)
            # Routed to a unit outside the operator's areas: it is theirs now, not a missing page.
            messages.info(request, _("The place is outside your areas, so the responsible unit follows it up."))
            return redirect("incidents:board")
    return render(request, "incidents/hotline_form.html", {"form": form})


def _incident_or_404(request: AuthenticatedHttpRequest, pk: int, action: str = "view") -> Incident:
    try:
        return selectors.incident_get(viewer=request.user, pk=pk, action=action)
    except Incident.DoesNotExist:
        raise Http404 from None


def _detail_context(request: AuthenticatedHttpRequest, incident: Incident, **forms: Form) -> dict[str, Any]:
    user = request.user
    can_change = user.has_perm("incidents.change_incident")
    context: dict[str, Any] = {
        "incident": incident,
        "area_label": area_labels({incident.area_code}).get(incident.area_code, incident.area_code),
        "timeline": timeline_entries(selectors.incident_timeline(viewer=user, incident=incident)),
        "dispatches": selectors.dispatches_for_incident(viewer=request.user, incident=incident),
        "attachments": incident.attachments.all(),
        "can_change": can_change and incident.is_open,
        "can_link_household": can_change and user.has_perm("households.view_household"),
        "duplicates": incident.duplicates.all(),
        "household_label": selectors.incident_household_label(viewer=user, incident=incident),
        "extension_actions": incident_actions_for(viewer=user, incident=incident),
    }
    if context["can_change"]:
        context.update(
            {
                "note_form": forms.get("note_form") or NoteForm(),
                "dispatch_form": forms.get("dispatch_form")
                or DispatchForm(responders=selectors.responders_for_incident(viewer=user, incident=incident)),
                "status_form": forms.get("status_form") or StatusForm(incident=incident),
                "merge_form": forms.get("merge_form") or MergeForm(),
                "reassign_form": forms.get("reassign_form")
                or ReassignForm(units=selectors.unit_list(viewer=user), initial={"unit": incident.unit_id}),
                "location_form": forms.get("location_form") or LocationForm(initial={"area_code": incident.area_code}),
                "household_form": forms.get("household_form") or HouseholdLinkForm(),
            }
        )
    return context | _map_context()


@login_required
@permission_required("incidents.view_incident", raise_exception=True)
def incident_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One incident: its facts, timeline, dispatches, and the operator's actions."""
    incident = _incident_or_404(request, pk)
    selectors.incident_reporter_read(incident=incident, viewer=request.user)
    return render(request, "incidents/incident_detail.html", _detail_context(request, incident))


def _incident_action(
    form_name: str,
    make_form: Callable[[AuthenticatedHttpRequest, Incident], Form],
    act: Callable[[AuthenticatedHttpRequest, Incident, dict[str, Any]], str],
) -> Callable[[AuthenticatedHttpRequest, int], HttpResponse]:
    """Build a POST-only view that validates one form and calls one service on an incident the user may change."""

    @login_required
    @permission_required("incidents.change_incident", raise_exception=True)
    @require_POST
    def view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        incident = _incident_or_404(request, pk, action="change")
        form = make_form(request, incident)
        if form.is_valid():
            try:
                message = act(request, incident, form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, message)
                return redirect("incidents:incident_detail", pk=incident.pk)
        incident.refresh_from_db()
        context = _detail_context(request, incident, **{form_name: form})
        context["open_action"] = form_name
        return render(request, "incidents/incident_detail.html", context, status=422)

    return view


@login_required
@permission_required("incidents.change_incident", raise_exception=True)
@require_POST
def incident_acknowledge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Acknowledge the incident (nothing changes if someone already did)."""
    incident = _incident_or_404(request, pk, action="change")
    services.incident_acknowledge(incident=incident, actor=request.user)
    messages.success(request, _("Incident %(number)s acknowledged.") % {"number": incident.number})
    return redirect("incidents:incident_detail", pk=incident.pk)


def _note(request: AuthenticatedHttpRequest, incident: Incident, data: dict[str, Any]) -> str:
    services.incident_note_add(incident=incident, text=data["text"], actor=request.user)
    return _("Note added.")


def _dispatch(request: AuthenticatedHttpRequest, incident: Incident, data: dict[str, Any]) -> str:
    created = services.incident_dispatch(
        incident=incident, responders=list(data["responders"]), actor=request.user, note=data["note"]
    )
    if not created:
        return _("Those responders are already on this incident.")
    return _("Sent: %(names)s.") % {"names": ", ".join(str(d.responder.user) for d in created)}


def _status(request: AuthenticatedHttpRequest, incident: Incident, data: dict[str, Any]) -> str:
    services.incident_status_change(
        incident=incident, status=data["status"], actor=request.user, note=data["note"], outcome=data["outcome"]
    )
    return _("Status changed to %(status)s.") % {"status": Status(data["status"]).label}


def _merge(request: AuthenticatedHttpRequest, incident: Incident, data: dict[str, Any]) -> str:
    try:
        into = selectors.incident_get_by_number(viewer=request.user, number=data["into"])
    except Incident.DoesNotExist:
        message = _("There is no incident %(number)s in your areas.") % {"number": data["into"]}
        raise ValidationError({"into": message}) from None
    services.incident_merge(incident=incident, into=into, actor=request.user)
    return _("Merged into %(number)s.") % {"number": into.number}


def _reassign(request: AuthenticatedHttpRequest, incident: Incident, data: dict[str, Any]) -> str:
    services.incident_reassign(incident=incident, unit=data["unit"], actor=request.user, reason=data["reason"])
    return _("Now with %(unit)s.") % {"unit": data["unit"]}


def _location(request: AuthenticatedHttpRequest, incident: Incident, data: dict[str, Any]) -> str:
    services.incident_location_set(incident=incident, area_code=data["area_code"], actor=request.user)
    return _("Location set.")


def _household(request: AuthenticatedHttpRequest, incident: Incident, data: dict[str, Any]) -> str:
    household = selectors.household_for_link(viewer=request.user, pk=data["household_id"])
    if household is None:
        raise ValidationError({"household_id": _("There is no such household in your areas.")})
    services.incident_household_link(incident=incident, household=household, actor=request.user)
    return _("Linked to household %(household)s.") % {"household": household}


incident_note = _incident_action("note_form", lambda r, i: NoteForm(r.POST), _note)
incident_dispatch = _incident_action(
    "dispatch_form",
    lambda r, i: DispatchForm(r.POST, responders=selectors.responders_for_incident(viewer=r.user, incident=i)),
    _dispatch,
)
incident_status = _incident_action("status_form", lambda r, i: StatusForm(r.POST, incident=i), _status)
incident_merge = _incident_action("merge_form", lambda r, i: MergeForm(r.POST), _merge)
incident_reassign = _incident_action(
    "reassign_form", lambda r, i: ReassignForm(r.POST, units=selectors.unit_list(viewer=r.user)), _reassign
)
incident_location = _incident_action("location_form", lambda r, i: LocationForm(r.POST), _location)
incident_household = _incident_action("household_form", lambda r, i: HouseholdLinkForm(r.POST), _household)


# The responder's side, on a phone.


@login_required
@permission_required("incidents.view_dispatch", raise_exception=True)
def assignment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My assignments and my unit's, active first."""
    dispatches = list(selectors.assignment_list(viewer=request.user))
    labels = area_labels({d.incident.area_code for d in dispatches})
    for dispatch in dispatches:
        dispatch.area_label = labels.get(dispatch.incident.area_code, dispatch.incident.area_code)  # type: ignore[attr-defined]
    return render(request, "incidents/assignment_list.html", {"dispatches": dispatches})


def _assignment_or_404(request: AuthenticatedHttpRequest, pk: int) -> Dispatch:
    try:
        return selectors.assignment_get(viewer=request.user, pk=pk)
    except Dispatch.DoesNotExist:
        raise Http404 from None


@login_required
@permission_required("incidents.view_dispatch", raise_exception=True)
def assignment_detail(
    request: AuthenticatedHttpRequest, pk: int, complete_form: CompleteForm | None = None
) -> HttpResponse:
    """One assignment: where to go, what happened, and the buttons for each step."""
    dispatch = _assignment_or_404(request, pk)
    incident = dispatch.incident
    context = {
        "dispatch": dispatch,
        "incident": incident,
        "area_label": area_labels({incident.area_code}).get(incident.area_code, incident.area_code),
        "is_mine": dispatch.responder.user_id == request.user.pk,
        "complete_form": complete_form or CompleteForm(),
        "statuses": DispatchStatus,
    }
    selectors.incident_reporter_read(incident=incident, viewer=request.user)
    status = 422 if complete_form is not None else 200
    return render(request, "incidents/assignment_detail.html", context, status=status)


@login_required
@permission_required("incidents.change_dispatch", raise_exception=True)
@require_POST
def assignment_step(request: AuthenticatedHttpRequest, pk: int, step: str) -> HttpResponse:
    """Accept, arrive, or finish one's own assignment."""
    dispatch = _assignment_or_404(request, pk)
    if dispatch.responder.user_id != request.user.pk:
        raise PermissionDenied
    try:
        if step == "accept":
            services.dispatch_accept(dispatch=dispatch, actor=request.user)
            messages.success(request, _("Accepted. Go safely."))
        elif step == "on_scene":
            services.dispatch_on_scene(dispatch=dispatch, actor=request.user)
            messages.success(request, _("Marked on scene."))
        elif step == "complete":
            form = CompleteForm(request.POST)
            if not form.is_valid():
                return assignment_detail(request, pk, complete_form=form)
            services.dispatch_complete(
                dispatch=dispatch,
                outcome=form.cleaned_data["outcome"],
                incident_status=form.cleaned_data["incident_status"],
                actor=request.user,
            )
            messages.success(request, _("Finished. Thank you."))
            return redirect("incidents:assignment_list")
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("incidents:assignment_detail", pk=dispatch.pk)
