"""Tell people what happens to an incident: the LINE reporter on every status change."""

from __future__ import annotations

from django.db import transaction

from pocketbook.incidents.models import Incident, LineConversation


def reporter_can_be_told(incident: Incident) -> bool:
    """A LINE reporter hears about status changes unless they stay anonymous or have unfollowed the bot."""
    if incident.is_anonymous or not incident.reporter_line_user_id:
        return False
    following = (
        LineConversation.objects.filter(line_user_id=incident.reporter_line_user_id)
        .values_list("is_following", flat=True)
        .first()
    )
    return following is not False


def reporter_status_changed(incident: Incident) -> None:
    """Queue a LINE message to the reporter after the status change is committed."""
    if not reporter_can_be_told(incident):
        return
    from pocketbook.incidents.tasks import notify_reporter

    incident_id = incident.pk
    transaction.on_commit(lambda: notify_reporter.enqueue(incident_id=incident_id))
