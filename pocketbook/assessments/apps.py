from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "pocketbook.assessments"
    label = "assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from pocketbook.accounts.roles import Role, grant
        from pocketbook.assessments import demo, exports, privacy, selectors
        from pocketbook.assessments.services import ASSESSMENT_SUBMITTED
        from pocketbook.core.demo import DemoSeeder, demo_seeder_register
        from pocketbook.core.exports import export_register
        from pocketbook.households.privacy_hooks import PrivacyHook, privacy_hook_register
        from pocketbook.households.sections import HouseholdBadge, HouseholdSection, badge_register, section_register
        from pocketbook.households.timeline import TimelineKind, timeline_kind_register

        # A person's facts recorded with each visit: part of their export, and erased with them.
        privacy_hook_register(PrivacyHook("assessments", privacy.member_answers_export, privacy.member_answers_erase))

        field_work = ("assessments.view_assessment", "assessments.add_assessment", "assessments.view_indicatorset")
        grant(Role.VOLUNTEER, *field_work)
        grant(Role.SOCIAL_WORKER, *field_work)
        grant(Role.MANAGER, "assessments.view_assessment", "assessments.view_indicatorset")
        # analysts: indicator sets are reference data, not personal; no assessment of a household
        grant(Role.ANALYST, "assessments.view_indicatorset")
        grant(
            Role.ADMINISTRATOR,
            *field_work,
            "assessments.add_indicatorset",
            "assessments.change_indicatorset",
            "assessments.view_indicator",
            "assessments.change_indicator",
        )
        timeline_kind_register(
            TimelineKind(ASSESSMENT_SUBMITTED, _("Assessment submitted"), permission="assessments.view_assessment")
        )
        section_register(
            HouseholdSection(
                "assessments",
                _("Quality of life"),
                "assessments/_household_section.html",
                selectors.household_section,
                order=10,
            )
        )
        badge_register(
            HouseholdBadge(
                "assessments",
                "assessments/_household_badges.html",
                selectors.household_badges,
                order=10,
                render_missing=True,
            )
        )
        demo_seeder_register(DemoSeeder("assessments", demo.seed, after=("households",)))
        export_register(exports.ASSESSMENTS)
