from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "pocketbook.households"
    label = "households"
    verbose_name = _("Households")

    def ready(self) -> None:
        # Who may do what with households is data in the roles table; this app adds its rows.
        from pocketbook.accounts.roles import Role, grant

        work = ("view", "add", "change")
        records = ("household", "member", "consent")
        field_work = {f"households.{action}_{model}" for action in work for model in records}
        field_work.add("households.view_householdevent")
        unmask = "households.unmask_national_id"
        grant(Role.VOLUNTEER, *field_work)
        grant(Role.SOCIAL_WORKER, *field_work, unmask)
        grant(
            Role.MANAGER,
            *{f"households.{action}_{model}" for action in ("view", "change") for model in records},
            "households.view_householdevent",
            unmask,
        )
        grant(
            Role.ADMINISTRATOR,
            *field_work,
            *{f"households.delete_{model}" for model in records},
            unmask,
        )
