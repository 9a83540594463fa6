"""Who sees which cases: by the household's area, and a volunteer-only user only the households they look after."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models

from pocketbook.accounts.models import User
from pocketbook.accounts.roles import Role
from pocketbook.core.models import VIEW, ScopedQuerySet, ServingQuerySet, Viewer

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# Roles that see every case of their areas; a user holding none of them but the volunteer role sees only
# the cases of the households they look after.
CASE_WORK_ROLES = (Role.SOCIAL_WORKER, Role.MANAGER, Role.ADMINISTRATOR)


def is_volunteer_only(user: User) -> bool:
    """True for a volunteer who holds no office role: limited to the households they look after."""
    return not user.is_superuser and user.has_role(Role.VOLUNTEER) and not user.has_role(*CASE_WORK_ROLES)


class CaseScopedQuerySet(ScopedQuerySet):
    """Area scoping, plus: a volunteer-only user sees the records of their own households only."""

    household_path = "household"

    def for_user(self, user: Viewer | AnonymousUser | None, action: str = VIEW) -> Self:
        rows = super().for_user(user, action)
        if user is not None and user.is_authenticated and is_volunteer_only(user):
            rows = rows.filter(**{f"{self.household_path}__volunteer": user})
        return rows


_CaseScopedManagerBase = models.Manager.from_queryset(CaseScopedQuerySet)


class CaseScopedManager(_CaseScopedManagerBase):
    """`Model.objects.for_user(user, action)` for the records of cases."""


class ViaCaseQuerySet(CaseScopedQuerySet):
    household_path = "case__household"


_ViaCaseManagerBase = models.Manager.from_queryset(ViaCaseQuerySet)


class ViaCaseManager(_ViaCaseManagerBase):
    """Scoping for records that hang off a case."""


class FundQuerySet(ServingQuerySet):
    """A fund serves an area: users inside that area (and above it) see it, so a subdistrict's worker sees the
    provincial fund."""


_FundManagerBase = models.Manager.from_queryset(FundQuerySet)


class FundManager(_FundManagerBase):
    """`Fund.objects.for_user(user, action)`: the funds serving the user's areas."""
