from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "pocketbook.assessments"
    label = "assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from pocketbook.accounts.roles import Role, grant

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
