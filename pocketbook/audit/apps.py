from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "pocketbook.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from pocketbook.audit.services import admin_change_record
        from pocketbook.core.admin import admin_change_register

        # What administrators save in the admin goes into the trail like what the services save.
        admin_change_register(admin_change_record)
