from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "pocketbook.households"
    label = "households"
    verbose_name = _("Households")

    def ready(self) -> None:
        # Who may do what with households is data in the roles table; this app adds its rows.
        from pocketbook.accounts.roles import Role, grant
        from pocketbook.core.demo import DemoSeeder, demo_seeder_register
        from pocketbook.core.exports import export_register
        from pocketbook.core.menu import MenuItem, menu_register
        from pocketbook.households import demo, events, exports, privacy
        from pocketbook.households.privacy_hooks import PrivacyHook, privacy_hook_register
        from pocketbook.households.timeline import timeline_kind_register

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
        for kind in events.KINDS:
            timeline_kind_register(kind)
        menu_register(
            MenuItem("households:household_list", _("My households"), "households.view_household", "▤", order=10)
        )
        demo_seeder_register(DemoSeeder("households", demo.seed))
        export_register(exports.HOUSEHOLDS)
        export_register(exports.MEMBERS)
        # Photo captions and reasons typed may name the household's people: erased with them.
        privacy_hook_register(PrivacyHook("households", erase=privacy.member_free_texts_erase))
