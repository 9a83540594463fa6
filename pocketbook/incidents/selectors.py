"""Every read of incidents, units, responders and dispatches; always given the viewer."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from pocketbook.accounts.http import AnyUser
from pocketbook.audit.services import record_access
from pocketbook.core.models import VIEW
from pocketbook.households.models import Household
from pocketbook.households.selectors import household_get
from pocketbook.incidents.choices import ACTIVE_DISPATCH_STATUSES, OPEN_STATUSES, Priority
from pocketbook.incidents.models import Dispatch, Incident, IncidentEvent, Responder, Unit

BOARD_LIMIT = 300

_PRIORITY_RANK = Case(
    When(priority=Priority.HIGH, then=Value(0)),
    When(priority=Priority.MEDIUM, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def incident_queryset(*, viewer: AnyUser, action: str = VIEW) -> QuerySet[Incident]:
    """Incidents the viewer may see (or change), with what lists need."""
    return Incident.objects.for_user(viewer, action).select_related("unit", "merged_into")


def incident_list(
    *,
    viewer: AnyUser,
    statuses: list[str] | tuple[str, ...] | None = None,
    area_code: str = "",
    search: str = "",
    overdue_only: bool = False,
) -> QuerySet[Incident]:
    """Incidents in the viewer's areas, overdue first, then by priority and age."""
    incidents = incident_queryset(viewer=viewer)
    if statuses:
        incidents = incidents.filter(status__in=statuses)
    if area_code:
        incidents = incidents.filter(area_code__startswith=area_code)
    if overdue_only:
        incidents = incidents.filter(is_overdue=True)
    if search:
        incidents = incidents.filter(Q(number__icontains=search) | Q(description__icontains=search))
    return incidents.annotate(priority_rank=_PRIORITY_RANK).order_by("-is_overdue", "priority_rank", "received_at")


def incident_board(*, viewer: AnyUser) -> list[Incident]:
    """The open incidents of the operator board (at most BOARD_LIMIT), overdue first."""
    return list(incident_list(viewer=viewer, statuses=OPEN_STATUSES)[:BOARD_LIMIT])


def incident_get(*, viewer: AnyUser, pk: int, action: str = VIEW) -> Incident:
    """One incident the viewer may see; raise Incident.DoesNotExist when it is missing or out of scope."""
    return incident_queryset(viewer=viewer, action=action).get(pk=pk)


def incident_get_by_number(*, viewer: AnyUser, number: str) -> Incident:
    """One incident by its readable number; missing and out of scope look the same."""
    return incident_queryset(viewer=viewer).get(number=number.strip().upper())


def incident_timeline(*, viewer: AnyUser, incident: Incident) -> QuerySet[IncidentEvent]:
    """The incident's timeline, oldest first (nothing when the incident is out of the viewer's scope)."""
    visible = incident_queryset(viewer=viewer).filter(pk=incident.pk).values("pk")
    return IncidentEvent.objects.filter(incident_id__in=visible).select_related("actor").order_by("time", "id")


def incident_list_for_line_user(line_user_id: str) -> list[Incident]:
    """The open incidents a LINE user reported, newest first (for the reporter's own "สถานะ")."""
    if not line_user_id:
        return []
    return list(
        Incident.objects.filter(reporter_line_user_id=line_user_id, status__in=OPEN_STATUSES).order_by(
            "-received_at", "-id"
        )[:10]
    )


def unit_list(*, viewer: AnyUser) -> QuerySet[Unit]:
    """Active units covering any place inside the viewer's areas, or above them (a province unit for a district)."""
    return Unit.objects.for_user(viewer).filter(is_active=True).order_by("name")


def responders_for_incident(*, viewer: AnyUser, incident: Incident) -> QuerySet[Responder]:
    """Active responders the viewer may send: the incident's routed unit first, free before busy.

    Each carries `routed_unit` (0 for the incident's unit) and `on_job` (an assigned, accepted or on-scene
    dispatch now), so the operator sees who is free without opening another page.
    """
    active_dispatches = Dispatch.objects.filter(responder=OuterRef("pk"), status__in=ACTIVE_DISPATCH_STATUSES)
    return (
        Responder.objects.for_user(viewer)
        .filter(is_active=True, user__is_active=True, unit__is_active=True)
        .select_related("user", "unit")
        .annotate(
            routed_unit=Case(
                When(unit_id=incident.unit_id, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
            on_job=Exists(active_dispatches),
        )
        .order_by("routed_unit", "on_job", "unit__name", "user__first_name", "user__username")
    )


def dispatches_for_incident(*, viewer: AnyUser, incident: Incident) -> QuerySet[Dispatch]:
    """The dispatches of an incident the viewer may see (its page's list): none for someone who may not see it."""
    dispatches = Dispatch.objects.filter(incident__in=incident_queryset(viewer=viewer).filter(pk=incident.pk))
    return dispatches.select_related("responder__user", "responder__unit").order_by("created_at", "id")


def _responder_units(viewer: AnyUser) -> list[int]:
    if viewer is None or not viewer.is_authenticated:
        return []
    return list(Responder.objects.filter(user=viewer, is_active=True).values_list("unit_id", flat=True))


def assignment_list(*, viewer: AnyUser, active_only: bool = True) -> QuerySet[Dispatch]:
    """Dispatches the viewer may see, of the units they answer for: their own first, active before ended ones."""
    dispatches = Dispatch.objects.for_user(viewer).filter(responder__unit_id__in=_responder_units(viewer))
    if active_only:
        dispatches = dispatches.filter(status__in=ACTIVE_DISPATCH_STATUSES)
    return (
        dispatches.select_related("incident", "responder__user", "responder__unit")
        .annotate(
            mine=Case(When(responder__user=viewer, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("mine", "-created_at")
    )


def assignment_get(*, viewer: AnyUser, pk: int) -> Dispatch:
    """One dispatch of the viewer's units; raise Dispatch.DoesNotExist otherwise."""
    return assignment_list(viewer=viewer, active_only=False).get(pk=pk)


def incident_reporter_read(*, incident: Incident, viewer: AnyUser) -> None:
    """Log that the viewer opened a page showing who reported the incident (nothing to log for anonymous ones)."""
    if incident.is_anonymous:
        return
    if incident.reporter_name or incident.reporter_phone or incident.reporter_line_user_id:
        record_access(obj=incident, actor=viewer, purpose="incident reporter")


def incident_household_label(*, viewer: AnyUser, incident: Incident) -> str | None:
    """How the incident page names its household: the house for who may see it, its number for the others."""
    if incident.household_id is None:
        return None
    household = household_for_link(viewer=viewer, pk=incident.household_id)
    if household is None:
        return _("Household no. %(number)s") % {"number": incident.household_id}
    return str(household)


def household_for_link(*, viewer: AnyUser, pk: int) -> Any:
    """A household the viewer may see, to link an incident to; None when missing or out of scope."""
    try:
        return household_get(viewer=viewer, pk=pk)
    except Household.DoesNotExist:
        return None
