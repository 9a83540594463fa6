from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "pocketbook.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Groups must match the role table after every migration, as Django does for permissions.
        from pocketbook.accounts.services import roles_sync_after_migrate
        from pocketbook.core.menu import MenuItem, account_menu_register, menu_register

        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="pocketbook_roles_sync")
        # Django's admin site: for administrators (who alone may read the change log).
        menu_register(MenuItem("admin:index", _("Administration"), "audit.view_objectchange", "⚙", order=900))
        account_menu_register(MenuItem("accounts:password_change", _("Change password"), order=10))
        account_menu_register(MenuItem("accounts:two_factor_setup", _("Two-factor sign-in"), order=20))
        account_menu_register(MenuItem("accounts:api_tokens", _("API tokens"), order=30))
        account_menu_register(MenuItem("accounts:logout", _("Sign out"), order=90, method="post"))
