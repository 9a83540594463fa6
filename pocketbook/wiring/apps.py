from django.apps import AppConfig


class WiringConfig(AppConfig):
    """Above every domain app: joins apps of one layer through the listeners of each (docs/architecture.md)."""

    name = "pocketbook.wiring"
    label = "wiring"

    def ready(self) -> None:
        # The one place for imports inside a function: the registries of the lower apps are filled here.
        from pocketbook.cases.listeners import case_transition_register
        from pocketbook.volunteers.listeners import assignments_changed_register
        from pocketbook.wiring import visit_cadence

        case_transition_register(visit_cadence.case_opened_or_closed)
        assignments_changed_register(visit_cadence.households_assigned)
