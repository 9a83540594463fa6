from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "pocketbook.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from pocketbook.reports import ops_wiring

        ops_wiring.register()
