"""Escalate incidents past their SLA targets."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from pocketbook.audit.models import Action
from pocketbook.audit.services import record_change, snapshot
from pocketbook.incidents import events, routing
from pocketbook.incidents.choices import (
    OPEN_STATUSES,
    SlaStep,
)
from pocketbook.incidents.extensions import incident_changed
from pocketbook.incidents.models import (
    Incident,
    SlaTarget,
)
from pocketbook.incidents.notifications import notify_unit_managers
from pocketbook.incidents.services.incidents import STEP_DONE_FIELD

logger = logging.getLogger(__name__)


def _due_steps(incident: Incident, targets: dict[str, SlaTarget], now: datetime) -> list[tuple[str, int]]:
    target = targets.get(incident.priority)
    if target is None:
        return []
    due = []
    for step in SlaStep:
        if step.value in incident.escalated_steps or getattr(incident, STEP_DONE_FIELD[step]) is not None:
            continue
        minutes = target.minutes_for(step)
        if incident.received_at + timedelta(minutes=minutes) <= now:
            due.append((step.value, minutes))
    return due


def _managers_to_tell(incident: Incident) -> list[Any]:
    managers = list(incident.unit.managers.filter(is_active=True)) if incident.unit else []
    if not managers:
        default = routing.province_default_unit(incident.area_code[:2])
        if default is not None:
            managers = list(default.managers.filter(is_active=True))
    return managers


def incidents_escalate_overdue(*, now: datetime | None = None) -> int:
    """Escalate every open incident past an SLA target: mark it overdue, note it, tell the unit's managers.

    Each step (acknowledge, dispatch, on scene) of an incident is escalated once, so running this again
    changes nothing. Returns how many escalations were made.
    """
    now = now or timezone.now()
    targets = {target.priority: target for target in SlaTarget.objects.all()}
    if not targets:
        return 0
    earliest = now - timedelta(minutes=min(target.acknowledge_minutes for target in targets.values()))
    candidates = Incident.objects.filter(status__in=OPEN_STATUSES, received_at__lte=earliest).values_list(
        "pk", flat=True
    )
    escalations = 0
    for pk in list(candidates.iterator()):
        with transaction.atomic():
            incident = Incident.objects.select_for_update(of=("self",)).select_related("unit").get(pk=pk)
            due = _due_steps(incident, targets, now)
            if not due:
                continue
            before = snapshot(incident)
            managers = _managers_to_tell(incident)
            incident.escalated_steps = [*incident.escalated_steps, *(step for step, _minutes in due)]
            incident.is_overdue = True
            incident.save(update_fields=["escalated_steps", "is_overdue", "updated_at"])
            for step, minutes in due:
                events.escalated(
                    incident=incident, step=step, minutes=minutes, notified=[str(user) for user in managers]
                )
                escalations += 1
            record_change(obj=incident, action=Action.UPDATE, actor=None, before=before)
            incident_changed(incident, before=before)
            user_ids = [user.pk for user in managers]
            steps = [step for step, _minutes in due]
            if user_ids:
                transaction.on_commit(
                    partial(notify_unit_managers.enqueue, incident_id=pk, user_ids=user_ids, steps=steps)
                )
            logger.warning("Incident %s overdue: %s", incident.number, ", ".join(steps))
    return escalations
