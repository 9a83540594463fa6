"""What other apps add to incidents: actions on the incident page and listeners told of changes.

Filled by higher apps in their `AppConfig.ready()`; incidents never names them:

    incident_action_register(IncidentAction("open_case", _("Open a case"), case_open_url, order=10))
    incident_changed_register(ess_aggregates_refresh)

`url(viewer, incident)` returns where the button leads, or None when this viewer is not offered it
(for example an incident without a household, or a viewer without the permission). Listeners are
called inside the service's transaction after an incident is opened or its status changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pocketbook.accounts.models import User
from pocketbook.core.actions import PageAction, actions_offered
from pocketbook.core.registry import Listeners, Registry
from pocketbook.incidents.models import Incident

IncidentChangedListener = Callable[[Incident], None]
# listener(incident, before): `before` is the audit snapshot of the incident's fields before the change
# (`audit.services.snapshot`: attribute name -> value), None when the incident was just opened.
IncidentTransitionListener = Callable[[Incident, Mapping[str, Any] | None], None]


# A button on the incident page leading to another app's page.
IncidentAction = PageAction


_actions: Registry[PageAction[Incident]] = Registry("incident action", key=lambda action: action.key)
_changed: Listeners[IncidentChangedListener] = Listeners("incident changed")
_transitions: Listeners[IncidentTransitionListener] = Listeners("incident transition")


def incident_action_register(action: PageAction[Incident]) -> None:
    """Add a button to the incident page; a key registered twice is a configuration error."""
    _actions.register(action)


def incident_action_unregister(key: str) -> None:
    """Remove an action (for tests that register their own)."""
    _actions.unregister(key)


def incident_actions_for(*, viewer: User, incident: Incident) -> list[dict[str, str]]:
    """The actions offered to this viewer on this incident, in order: [{"key", "label", "url"}]."""
    return actions_offered(_actions, viewer=viewer, subject=incident)


def incident_changed_register(listener: IncidentChangedListener) -> None:
    """Call `listener(incident)` after an incident is opened or its status changes (inside the transaction)."""
    _changed.register(listener)


def incident_changed_unregister(listener: IncidentChangedListener) -> None:
    """Remove a listener (for tests that register their own)."""
    _changed.unregister(listener)


def incident_transition_register(listener: IncidentTransitionListener) -> None:
    """Call `listener(incident, before)` when an incident opens (before None), changes status or becomes overdue.

    `before` lets a listener undo what it counted for the old state (reports' current-state counters).
    """
    _transitions.register(listener)


def incident_transition_unregister(listener: IncidentTransitionListener) -> None:
    """Remove a transition listener (for tests that register their own)."""
    _transitions.unregister(listener)


def incident_changed(incident: Incident, *, before: Mapping[str, Any] | None = None) -> None:
    """Tell every listener that this incident was opened or changed (called by the incident services).

    `before` is the snapshot taken before the change (None when the incident was just opened).
    """
    for listener in _changed:
        listener(incident)
    for transition_listener in _transitions:
        transition_listener(incident, before)
