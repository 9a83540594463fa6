from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "pocketbook.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        from pocketbook.accounts.roles import HoldsRole, Role, grant
        from pocketbook.core.demo import DemoSeeder, demo_seeder_register
        from pocketbook.core.exports import export_register
        from pocketbook.core.health import health_check_register
        from pocketbook.core.menu import MenuItem, menu_register
        from pocketbook.core.start import StartPage, start_page_register
        from pocketbook.households.privacy_hooks import PrivacyHook, privacy_hook_register
        from pocketbook.households.timeline import TimelineKind, timeline_kind_register
        from pocketbook.incidents import demo, events, exports, privacy
        from pocketbook.incidents.channels.line.queue.worker import events_waiting_too_long
        from pocketbook.incidents.channels.line.transport import LineReporterTransport
        from pocketbook.incidents.transports import transport_register

        health_check_register("line_events", events_waiting_too_long)
        transport_register(LineReporterTransport())

        # ESS operators and managers work incidents in their areas; responders see their units' dispatches.
        # Volunteers, social workers and analysts get nothing here.
        desk = (
            "incidents.view_incident",
            "incidents.add_incident",
            "incidents.change_incident",
            "incidents.view_unit",
            "incidents.view_responder",
            "incidents.add_dispatch",
            "incidents.view_slatarget",
        )
        grant(Role.ESS_OPERATOR, *desk)
        grant(Role.MANAGER, *desk)
        grant(Role.RESPONDER, "incidents.view_dispatch", "incidents.change_dispatch")
        grant(
            Role.ADMINISTRATOR,
            "incidents.view_unit",
            "incidents.add_unit",
            "incidents.change_unit",
            # The areas a unit covers, only inside the administrator's own (the admin refuses others).
            "incidents.view_unitarea",
            "incidents.add_unitarea",
            "incidents.change_unitarea",
            "incidents.delete_unitarea",
            "incidents.view_responder",
            "incidents.add_responder",
            "incidents.change_responder",
            "incidents.view_slatarget",
            "incidents.change_slatarget",
            "incidents.view_subdistrictcentroid",
        )
        menu_register(MenuItem("incidents:board", _("Operator board"), "incidents.view_incident", "⚑", order=30))
        menu_register(
            MenuItem("incidents:hotline_call", _("Log a 1300 call"), "incidents.add_incident", "☎", order=31)
        )
        menu_register(
            MenuItem("incidents:assignment_list", _("My assignments"), "incidents.view_dispatch", "➜", order=32)
        )
        # An ESS operator starts on the board of open incidents; a responder on the dispatches to their unit.
        start_page_register(StartPage("incidents_board", "incidents:board", HoldsRole((Role.ESS_OPERATOR,)), order=20))
        start_page_register(
            StartPage("incidents_assignments", "incidents:assignment_list", HoldsRole((Role.RESPONDER,)), order=30)
        )
        timeline_kind_register(
            TimelineKind(
                events.HOUSEHOLD_INCIDENT_REPORTED, _("Emergency reported"), permission="incidents.view_incident"
            )
        )
        demo_seeder_register(DemoSeeder("incidents", demo.seed, after=("households",)))
        export_register(exports.INCIDENTS)
        # Operators may name a household's people in an incident's text: erased with them.
        privacy_hook_register(
            PrivacyHook("incidents", privacy.member_incidents_export, privacy.member_incidents_erase)
        )
