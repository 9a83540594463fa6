"""Background work of the LINE channel: process stored webhook events (after the webhook has answered)."""

from __future__ import annotations

from django_tasks import task

from pocketbook.incidents.channels.line.processing import line_event_process


@task()
def line_events_process(*, event_ids: list[int]) -> None:
    """Process stored LINE events in the order received; each event is claimed, so a repeat does nothing."""
    for event_id in sorted(event_ids):
        line_event_process(event_id=event_id)
