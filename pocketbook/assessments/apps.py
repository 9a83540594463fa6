from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "pocketbook.assessments"
    label = "assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from pocketbook.accounts.roles import Role, grant
        from pocketbook.assessments import privacy
        from pocketbook.households.privacy_hooks import PrivacyHook, privacy_hook_register

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
