from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "pocketbook.geo"
    label = "geo"
    verbose_name = _("Geography")

    def ready(self) -> None:
        from pocketbook.core.menu import MenuItem, menu_register

        menu_register(MenuItem("geo:village_list", _("Villages"), "geo.view_village", "⌘", order=20))
