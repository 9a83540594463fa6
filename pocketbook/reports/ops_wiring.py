"""reports-ops' part of the reports app's wiring: the listeners that keep its topics current, and the topics."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pocketbook.cases.listeners import (
    assistance_recorded_register,
    case_transition_register,
    referral_changed_register,
)
from pocketbook.incidents.extensions import incident_transition_register
from pocketbook.reports import ess_counts, help_counts, places, volunteer_counts
from pocketbook.reports.topics import Topic, topic_register
from pocketbook.volunteers.listeners import (
    attendance_recorded_register,
    participant_added_register,
    visit_recorded_register,
)


def register() -> None:
    """Plug the ESS, help and volunteers counters into the apps that tell of changes (from `ready()`)."""
    incident_transition_register(ess_counts.incident_counted)
    topic_register(Topic(ess_counts.TOPIC, ess_counts.rebuild, _("Social emergencies")))
    case_transition_register(help_counts.case_counted)
    referral_changed_register(help_counts.referral_counted)
    assistance_recorded_register(help_counts.assistance_counted)
    topic_register(Topic(help_counts.TOPIC, help_counts.rebuild, _("Help for households")))
    visit_recorded_register(volunteer_counts.visit_counted)
    participant_added_register(volunteer_counts.participant_counted)
    attendance_recorded_register(volunteer_counts.attendance_counted)
    topic_register(Topic(volunteer_counts.TOPIC, volunteer_counts.rebuild, _("Volunteers")))
    topic_register(Topic(places.TOPIC, places.rebuild, _("Where the areas are (for the maps)")))
