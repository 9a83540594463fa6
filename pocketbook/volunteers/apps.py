from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "pocketbook.volunteers"
    label = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self) -> None:
        from pocketbook.accounts.roles import Role, grant

        registry = ("volunteer", "volunteerarea", "householdassignment", "assignmentbatch")
        training = ("trainingproject", "trainingsession", "participant", "attendance", "certificate")
        office_work = {
            f"volunteers.{action}_{model}" for action in ("view", "add", "change") for model in registry + training
        }
        visits = {"volunteers.view_visit", "volunteers.add_visit", "volunteers.view_visitschedule"}
        grant(Role.VOLUNTEER, *visits)
        grant(Role.SOCIAL_WORKER, *office_work, *visits, "volunteers.view_coverage")
        grant(Role.MANAGER, *office_work, *visits, "volunteers.view_coverage")
        # Analysts see coverage figures only (counts, no person).
        grant(Role.ANALYST, "volunteers.view_coverage")
        grant(
            Role.ADMINISTRATOR,
            *office_work,
            *visits,
            "volunteers.view_coverage",
            *{f"volunteers.delete_{model}" for model in registry + training},
            "volunteers.view_visitcadence",
            "volunteers.change_visitcadence",
        )
