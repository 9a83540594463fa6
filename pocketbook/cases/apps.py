from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "pocketbook.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # The one place for imports inside a function: the registries of the lower apps are filled here.
        from pocketbook.accounts.roles import HoldsRole, Role, grant
        from pocketbook.assessments.listeners import assessment_submitted_register, assessments_rescored_register
        from pocketbook.cases import demo, events, exports, funding, privacy, selectors, services, views
        from pocketbook.core.demo import DemoSeeder, demo_seeder_register
        from pocketbook.core.exports import export_register
        from pocketbook.core.funding import funding_provider_register
        from pocketbook.core.menu import MenuItem, menu_register
        from pocketbook.core.start import StartPage, start_page_register
        from pocketbook.households.privacy_hooks import PrivacyHook, privacy_hook_register
        from pocketbook.households.sections import HouseholdSection, section_register
        from pocketbook.households.timeline import TimelineKind, timeline_kind_register
        from pocketbook.incidents.extensions import IncidentAction, incident_action_register

        work = ("view", "add", "change")
        case_records = ("case", "need", "planitem", "referral", "followup", "caseevent")
        office = {f"cases.{action}_{model}" for action in work for model in (*case_records, "assistance")}
        office |= {"cases.view_agency", "cases.view_fund", "cases.view_fundbudget", "cases.view_assistance_amount"}
        grant(
            Role.VOLUNTEER,
            *(f"cases.view_{model}" for model in case_records),
            "cases.add_followup",
            "cases.view_agency",
        )
        grant(Role.SOCIAL_WORKER, *office)
        directory = {f"cases.{action}_{model}" for action in work for model in ("agency", "fund", "fundbudget")}
        grant(Role.MANAGER, *office, *directory)
        grant(Role.ADMINISTRATOR, *office, *directory, "cases.view_referrallinkuse")

        for kind, label in events.HOUSEHOLD_KINDS.items():
            timeline_kind_register(TimelineKind(kind, label, "cases.view_case"))
        section_register(
            HouseholdSection(
                "cases", _("Help and cases"), "cases/_household_section.html", selectors.household_section, order=30
            )
        )
        menu_register(MenuItem("cases:my_tasks", _("My tasks"), "cases.change_case", "✓", 5, selectors.my_tasks_count))
        # A social worker starts the day on My tasks (managers will start on the reports dashboard).
        start_page_register(StartPage("cases_my_tasks", "cases:my_tasks", HoldsRole((Role.SOCIAL_WORKER,)), order=10))
        menu_register(MenuItem("cases:case_list", _("My cases"), "cases.view_case", "▣", 12))
        menu_register(MenuItem("cases:agency_list", _("Agencies"), "cases.view_agency", "☏", 60))
        menu_register(MenuItem("cases:fund_list", _("Funds"), "cases.view_fund", "฿", 61))
        incident_action_register(
            IncidentAction("cases_open", _("Open a case"), views.incident_open_case_url, order=30)
        )
        assessment_submitted_register(services.needs_suggest_for_assessment)
        assessments_rescored_register(services.needs_suggest_for_rescored)
        funding_provider_register(funding.PROVIDER)  # training projects of volunteers paid by a fund
        demo_seeder_register(DemoSeeder("cases", demo.seed, after=("households", "assessments", "incidents")))
        # Workers may name a household's people in the cases' free text: exported and erased with them.
        privacy_hook_register(PrivacyHook("cases", privacy.member_cases_export, privacy.member_cases_erase))
        for export in (exports.CASES, exports.REFERRALS, exports.ASSISTANCE):
            export_register(export)
