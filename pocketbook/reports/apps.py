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
        from pocketbook.assessments.listeners import assessment_submitted_register, assessments_rescored_register
        from pocketbook.core.demo import DemoSeeder, demo_seeder_register
        from pocketbook.core.exports import ExportFrontend, export_frontend_register, export_register
        from pocketbook.core.menu import MenuItem, menu_register
        from pocketbook.households.listeners import household_changed_register, households_imported_register
        from pocketbook.households.privacy_hooks import PrivacyHook, privacy_hook_register
        from pocketbook.reports import dashboard_exports, demo, export_files, household_counts, ops_wiring, tasks
        from pocketbook.reports.printouts import wiring as printout_wiring
        from pocketbook.reports.topics import Topic, topic_register

        # Analysts see the aggregates only; managers see the dashboards of their areas (with the people's counts
        # unsuppressed, as they see people).
        grant(Role.ANALYST, "reports.view_aggregates")
        grant(Role.MANAGER, "reports.view_aggregates")
        menu_register(MenuItem("reports:index", _("Reports"), "reports.view_aggregates", "▤", order=80))
        demo_seeder_register(DemoSeeder("reports", demo.seed, after=DEMO_AFTER))
        topic_register(Topic("households", household_counts.rebuild_households, _("Households"), order=10))
        topic_register(Topic("poverty", household_counts.rebuild_poverty, _("Poverty"), order=20))
        assessment_submitted_register(household_counts.on_assessment_submitted)
        assessments_rescored_register(household_counts.on_assessments_rescored)
        household_changed_register(household_counts.on_household_changed)
        households_imported_register(tasks.on_households_imported)
        ops_wiring.register()
        printout_wiring.register()
        export_frontend_register(ExportFrontend("reports", "reports:export_create"))
        privacy_hook_register(PrivacyHook("reports", erase=export_files.personal_exports_withdraw))
        export_register(dashboard_exports.HOUSEHOLDS_BY_AREA)
        for table in dashboard_exports.TABLES:
            export_register(table)
