"""The incident report as printed: the incident, its type and place, the timeline, the dispatches, the minutes to
acknowledge, dispatch and reach the scene against the SLA targets, and the outcome.

Read through the incidents app's selectors, given the viewer: outside the viewer's areas the incident is missing.
The reporter is shown as the incident page shows them to that viewer, and the read is logged as the page logs it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise

from pocketbook.accounts.http import AnyUser
from pocketbook.accounts.models import User
from pocketbook.incidents import selectors as incidents
from pocketbook.incidents.display import area_label, timeline_entries
from pocketbook.incidents.models import Incident
from pocketbook.reports.ess_counts import STEPS, sla_targets
from pocketbook.reports.ops_figures import STEP_LABELS

VIEW_PERMISSION = "incidents.view_incident"


@dataclass(frozen=True)
class StepTime:
    """One SLA step of the incident: when it was done, the minutes from receipt, the target, whether it was met."""

    label: str | Promise
    done_at: dt.datetime | None
    minutes: int | None
    target: int | None

    @property
    def met(self) -> bool | None:
        if self.target is None or self.minutes is None:
            return None
        return self.minutes <= self.target


def printout_url(viewer: User, incident: Incident) -> str | None:
    """Where "Print report" leads from the incident page (registered as an incident action)."""
    if not viewer.has_perm(VIEW_PERMISSION):
        return None
    return reverse("reports:incident_printout", args=[incident.pk])


def step_times(incident: Incident) -> list[StepTime]:
    """Acknowledge, dispatch, on scene: minutes from receipt (whole minutes, rounded down) against the targets."""
    targets = sla_targets().get(incident.priority, {})
    steps = []
    for step, field, _histogram in STEPS:
        done_at = getattr(incident, field)
        minutes = int((done_at - incident.received_at).total_seconds() // 60) if done_at is not None else None
        steps.append(StepTime(STEP_LABELS[step], done_at, minutes, targets.get(step)))
    return steps


def incident_printout(*, viewer: AnyUser, pk: int) -> dict[str, Any]:
    """The report's context; raise Incident.DoesNotExist when missing or outside the viewer's areas."""
    incident = incidents.incident_get(viewer=viewer, pk=pk)
    incidents.incident_reporter_read(incident=incident, viewer=viewer)
    return {
        "incident": incident,
        "area_label": area_label(incident.area_code),
        "household_label": incidents.incident_household_label(viewer=viewer, incident=incident),
        "timeline": timeline_entries(incidents.incident_timeline(viewer=viewer, incident=incident)),
        "dispatches": list(incidents.dispatches_for_incident(viewer=viewer, incident=incident)),
        "steps": step_times(incident),
    }
