"""The printouts' part of the reports app's wiring (called from `ReportsConfig.ready()`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pocketbook.accounts.roles import HoldsRole, Role
from pocketbook.core.start import StartPage, start_page_register
from pocketbook.households.sections import HouseholdAction, household_action_register
from pocketbook.incidents.extensions import IncidentAction, incident_action_register
from pocketbook.reports.printouts import household, incident


def register() -> None:
    """The print buttons on the household and incident pages, and the reports as managers' and analysts' start."""
    household_action_register(HouseholdAction("print_pocketbook", _("Print pocketbook"), household.printout_url))
    incident_action_register(IncidentAction("print_report", _("Print report"), incident.printout_url, order=90))
    # Managers and analysts start their day on the dashboard; after the field roles' pages, so a manager who is
    # also a social worker still starts on My tasks.
    start_page_register(
        StartPage("reports_dashboard", "reports:index", HoldsRole((Role.MANAGER, Role.ANALYST)), order=50)
    )
