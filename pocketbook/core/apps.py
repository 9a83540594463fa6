from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pocketbook.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from pocketbook.core.menu import MenuItem, menu_register

        menu_register(MenuItem("core:home", _("Home"), None, "⌂", order=0))
