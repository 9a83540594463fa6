from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Every seeder whose data the reports count; a seeder of an app that is not installed is skipped.
DEMO_AFTER = ("households", "assessments", "cases", "incidents", "volunteers")


class ReportsConfig(AppConfig):
    name = "pocketbook.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from pocketbook.accounts.roles import Role, grant
        from pocketbook.core.demo import DemoSeeder, demo_seeder_register
        from pocketbook.core.menu import MenuItem, menu_register
        from pocketbook.reports import demo, ops_wiring

        # Managers see the dashboards of their areas (with the people's counts unsuppressed, as they see people).
        grant(Role.MANAGER, "reports.view_aggregates")
        menu_register(MenuItem("reports:index", _("Reports"), "reports.view_aggregates", "▤", order=80))
        demo_seeder_register(DemoSeeder("reports", demo.seed, after=DEMO_AFTER))
        ops_wiring.register()
