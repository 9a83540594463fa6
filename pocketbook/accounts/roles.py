"""Roles are groups; what each role may do is data, kept here in one table.

Each domain app adds its models' permissions to the roles that need them. `roles_sync()` makes
the groups match this table; it runs after every migration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # accounts.models imports the roles
    from pocketbook.accounts.http import AnyUser


class Role(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer (อพม.)")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    ESS_OPERATOR = "ess_operator", _("ESS operator")
    RESPONDER = "responder", _("Responder")
    MANAGER = "manager", _("Manager")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles that must use two-factor login in production (volunteers may opt in).
STAFF_ROLES = frozenset(
    {Role.SOCIAL_WORKER, Role.ESS_OPERATOR, Role.RESPONDER, Role.MANAGER, Role.ANALYST, Role.ADMINISTRATOR}
)

# Analysts see aggregates only: they get no permission on any personal record (the reports app grants them
# its aggregates' permission).
ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.VOLUNTEER: {"geo.view_village"},
    Role.SOCIAL_WORKER: {"geo.view_village"},
    Role.ESS_OPERATOR: {"geo.view_village"},
    Role.RESPONDER: {"geo.view_village"},
    Role.MANAGER: {"geo.view_village", "accounts.view_user"},
    Role.ANALYST: set(),
    Role.ADMINISTRATOR: {
        # The places of their areas, read-only: the subdistrict a new village lies in is picked among them.
        "geo.view_province",
        "geo.view_district",
        "geo.view_subdistrict",
        "geo.view_village",
        "geo.add_village",
        "geo.change_village",
        "geo.delete_village",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_areaassignment",
        "accounts.add_areaassignment",
        "accounts.change_areaassignment",
        "accounts.delete_areaassignment",
        "audit.view_objectchange",
        "audit.view_accesslog",
    },
}


def grant(role: Role, *permissions: str) -> None:
    """Give a role more permissions; domain apps call this from their AppConfig.ready()."""
    ROLE_PERMISSIONS.setdefault(role, set()).update(permissions)


@dataclass(frozen=True)
class HoldsRole:
    """A test "does the user hold one of these roles", for registries (start pages): equal when its roles are.

    Unlike `User.has_role`, a superuser holds only the roles given to them, so an administrator with every
    permission is not taken for a social worker.
    """

    roles: tuple[str, ...]

    def __call__(self, user: AnyUser) -> bool:
        return user.is_authenticated and any(role in user.roles for role in self.roles)
