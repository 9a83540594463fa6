from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "pocketbook.volunteers"
    label = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self) -> None:
        from pocketbook.accounts.roles import HoldsRole, Role, grant
        from pocketbook.assessments.listeners import assessment_submitted_register
        from pocketbook.core.demo import DemoSeeder, demo_seeder_register
        from pocketbook.core.exports import export_register
        from pocketbook.core.menu import MenuItem, menu_register
        from pocketbook.core.start import StartPage, start_page_register
        from pocketbook.households.privacy_hooks import PrivacyHook, privacy_hook_register
        from pocketbook.households.sections import HouseholdBadge, HouseholdSection, badge_register, section_register
        from pocketbook.households.timeline import TimelineKind, timeline_kind_register
        from pocketbook.volunteers import demo, events, exports, privacy, selectors, services

        registry = ("volunteer", "volunteerarea", "householdassignment", "assignmentbatch")
        training = ("trainingproject", "trainingsession", "participant", "attendance", "certificate")
        office_work = {
            f"volunteers.{action}_{model}" for action in ("view", "add", "change") for model in registry + training
        }
        visits = {"volunteers.view_visit", "volunteers.add_visit", "volunteers.view_visitschedule"}
        grant(Role.VOLUNTEER, *visits)
        grant(Role.SOCIAL_WORKER, *office_work, *visits, "volunteers.view_coverage")
        grant(Role.MANAGER, *office_work, *visits, "volunteers.view_coverage")
        # Analysts see the coverage figures (counts, no person) through their reports.view_aggregates.
        grant(
            Role.ADMINISTRATOR,
            *office_work,
            *visits,
            "volunteers.view_coverage",
            *{f"volunteers.delete_{model}" for model in registry + training},
            "volunteers.view_visitcadence",
            "volunteers.change_visitcadence",
        )

        menu_register(
            MenuItem(
                "volunteers:my_visits",
                _("My visits"),
                "volunteers.view_visitschedule",
                "✓",
                order=12,
                count=selectors.overdue_visits_count,
            )
        )
        # A volunteer (อพม.) starts on the visits due; office roles that also volunteer start on their own page.
        start_page_register(
            StartPage("volunteers_my_visits", "volunteers:my_visits", HoldsRole((Role.VOLUNTEER,)), order=40)
        )
        menu_register(
            MenuItem("volunteers:volunteer_list", _("Volunteers"), "volunteers.view_volunteer", "☺", order=50)
        )
        menu_register(MenuItem("volunteers:coverage", _("Coverage"), "volunteers.view_coverage", "◎", order=52))
        menu_register(
            MenuItem("volunteers:project_list", _("Training"), "volunteers.view_trainingproject", "✎", order=54)
        )
        section_register(
            HouseholdSection(
                "volunteers",
                _("Volunteer in charge"),
                "volunteers/_household_section.html",
                selectors.household_volunteer_section,
                order=40,
            )
        )
        badge_register(
            HouseholdBadge("volunteers", "volunteers/_household_badge.html", selectors.next_visits_for, order=40)
        )
        for kind, label in events.KINDS.items():
            timeline_kind_register(TimelineKind(kind, label, permission="volunteers.view_visitschedule"))
        assessment_submitted_register(services.on_assessment_submitted)
        demo_seeder_register(DemoSeeder("volunteers", demo.seed, after=("households", "assessments", "cases")))
        export_register(exports.VOLUNTEERS)
        export_register(exports.PARTICIPANTS)
        privacy_hook_register(
            PrivacyHook("volunteer_visits", privacy.member_visits_export, privacy.member_visits_erase)
        )
