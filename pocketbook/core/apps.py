from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pocketbook.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from pocketbook.core.menu import MenuItem, account_menu_register, menu_register

        menu_register(MenuItem("core:home", _("Home"), None, "⌂", order=0))
        # The home page sends people to their start page; their roles, areas and every page stay one click away.
        account_menu_register(MenuItem("core:overview", _("My roles and areas"), order=5))
