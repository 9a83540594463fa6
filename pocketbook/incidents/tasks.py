"""Background work of incidents that runs on a clock: escalate overdue incidents."""

from __future__ import annotations

from django_tasks import task

from pocketbook.incidents.services import incidents_escalate_overdue


@task()
def escalate_overdue() -> int:
    """Escalate every incident past its SLA targets (run it every minute)."""
    return incidents_escalate_overdue()
