"""Every write of the incidents app. Import from here: `from pocketbook.incidents import services`."""

from pocketbook.incidents.services.conversations import line_conversation_save, line_conversations_lock
from pocketbook.incidents.services.directory import centroids_load, responder_add, unit_create
from pocketbook.incidents.services.incidents import (
    dispatch_accept,
    dispatch_complete,
    dispatch_on_scene,
    incident_acknowledge,
    incident_attachment_add,
    incident_dispatch,
    incident_household_link,
    incident_location_set,
    incident_merge,
    incident_note_add,
    incident_number_next,
    incident_open,
    incident_reassign,
    incident_status_change,
)
from pocketbook.incidents.services.sla import incidents_escalate_overdue

__all__ = [
    "centroids_load",
    "dispatch_accept",
    "dispatch_complete",
    "dispatch_on_scene",
    "incident_acknowledge",
    "incident_attachment_add",
    "incident_dispatch",
    "incident_household_link",
    "incident_location_set",
    "incident_merge",
    "incident_note_add",
    "incident_number_next",
    "incident_open",
    "incident_reassign",
    "incident_status_change",
    "incidents_escalate_overdue",
    "line_conversation_save",
    "line_conversations_lock",
    "responder_add",
    "unit_create",
]
