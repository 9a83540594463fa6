"""Background work of the LINE channel: process stored webhook events (after the webhook has answered)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import override
from django_tasks import task

from pocketbook.incidents.channels.line import client, flow, texts
from pocketbook.incidents.channels.line.processing import line_event_process


@task()
def line_events_process(*, event_ids: list[int]) -> None:
    """Process stored LINE events in the order received; each event is claimed, so a repeat does nothing."""
    for event_id in sorted(event_ids):
        line_event_process(event_id=event_id)


@task()
def line_pending_report_open(*, line_user_id: str, token: str) -> None:
    """Open a report its reporter left at the details step, and push them its number."""
    with override(texts.BOT_LANGUAGE):
        with transaction.atomic():
            answer = flow.pending_report_open(line_user_id=line_user_id, token=token)
        if answer:
            client.push_messages(line_user_id, answer, client.retry_key_for(token, "pending-report"))
