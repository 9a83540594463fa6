"""Tell people what happens to an incident: the reporter on every status change (through their channel's
transport), and the unit's managers by e-mail when an incident is overdue.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from pocketbook.accounts.models import User
from pocketbook.incidents import events
from pocketbook.incidents.choices import EventKind, SlaStep
from pocketbook.incidents.messages import status_text
from pocketbook.incidents.models import Incident, IncidentEvent
from pocketbook.incidents.transports import ReporterMessage, reporter_address, reporter_notify

logger = logging.getLogger(__name__)

RETRY_KEY_NAMESPACE = uuid.UUID("6f1c2a4e-9b1d-4c55-a0d2-3e5b9c7f1a20")


def reporter_can_be_told(incident: Incident) -> bool:
    """A reporter hears about status changes unless they stay anonymous or their channel cannot reach them now
    (a LINE user who unfollowed the bot, a hotline caller: no transport)."""
    return reporter_address(incident) is not None


def reporter_status_changed(incident: Incident) -> None:
    """Queue a message to the reporter after the status change is committed."""
    if not reporter_can_be_told(incident):
        return
    incident_id = incident.pk
    transaction.on_commit(lambda: notify_reporter.enqueue(incident_id=incident_id))


@task()
def notify_reporter(incident_id: int) -> None:
    """Tell the incident's reporter its current status through their channel, once per status change."""
    incident = Incident.objects.select_related("merged_into").filter(pk=incident_id).first()
    address = reporter_address(incident) if incident is not None else None
    if incident is None or address is None:
        return
    change = (
        IncidentEvent.objects.filter(incident=incident, kind=EventKind.STATUS_CHANGED).order_by("-time", "-id").first()
    )
    change_id = change.pk if change else 0
    already = IncidentEvent.objects.filter(
        incident=incident, kind=EventKind.REPORTER_NOTIFIED, params__status_event_id=change_id
    ).exists()
    if already:
        return
    # The same status change always gives the same key, so the transport never delivers a retried message twice.
    retry_key = str(uuid.uuid5(RETRY_KEY_NAMESPACE, f"{incident.pk}:{change_id}"))
    reporter_notify(
        channel=incident.channel,
        reporter_address=address,
        message=ReporterMessage(text=status_text(incident)),
        idempotency_key=retry_key,
    )
    events.record(
        incident=incident, kind=EventKind.REPORTER_NOTIFIED, status=incident.status, status_event_id=change_id
    )


@task()
def notify_unit_managers(incident_id: int, user_ids: list[int], steps: list[str]) -> None:
    """E-mail the managers of an incident's unit that it is past its SLA target."""
    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is None:
        return
    recipients = list(
        User.objects.filter(pk__in=user_ids, is_active=True).exclude(email="").values_list("email", flat=True)
    )
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Overdue incident %(number)s") % {"number": incident.number}
        body = _("Incident %(number)s (%(type)s) has missed its target: %(steps)s.") % {
            "number": incident.number,
            "type": incident.get_incident_type_display(),
            "steps": ", ".join(str(SlaStep(step).label) for step in steps),
        }
    sent = send_mail(subject, body, None, recipients, fail_silently=True)
    if not sent:
        logger.warning("Could not e-mail the managers about overdue incident %s", incident.number)
