"""Base model and area-scoped querysets shared by every domain app. No tables of its own."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    # The signed-in user: django-stubs' mypy plugin reads this placeholder as the AUTH_USER_MODEL (accounts.User),
    # as it does for `request.user`. So core's registries take exactly the user the apps' callbacks take, and core
    # still imports nothing of accounts (which builds on core).
    from django.contrib.auth.models import _User as Viewer
else:
    from django.contrib.auth.base_user import AbstractBaseUser as Viewer

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to restrict itself to what a user may see (NetBox's `restrict`).

    The model names the field holding its DOPA area code in `area_field`. Area codes are
    hierarchical prefixes, so a user assigned to "92" sees every record whose code starts with "92".
    """

    def for_user(self, user: Viewer | AnonymousUser | None, action: str = VIEW) -> Self:
        """Return the rows `user` may `action` ("view", "add", "change", "delete"): none if not allowed."""
        opts = self.model._meta
        return self.for_permission(user, f"{opts.app_label}.{action}_{opts.model_name}")

    def for_permission(self, user: Viewer | AnonymousUser | None, *permissions: str) -> Self:
        """Return the rows inside `user`'s areas when the user holds one of `permissions`: none otherwise.

        For a read another permission governs than the model's own: the coverage page counts households for
        analysts, who may see counts but open no household.
        """
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if not any(user.has_perm(permission) for permission in permissions):
            return self.none()
        return self.filter(self.area_condition(user.area_codes()))

    def area_condition(self, area_codes: list[str]) -> Q:
        """The rows inside `area_codes`; a model scoped another way (a unit's many areas) overrides this."""
        area_field: str = getattr(self.model, "area_field", "area_code")
        return area_q(area_field, area_codes)


class ServingQuerySet(ScopedQuerySet):
    """Rows that serve an area: a user sees those inside their areas and those enclosing them (a province's fund
    or unit for a district's worker), but adds, changes or deletes only those inside their areas."""

    def for_user(self, user: Viewer | AnonymousUser | None, action: str = VIEW) -> Self:
        rows = super().for_user(user, action)
        if action == VIEW or user is None or not user.is_authenticated or user.is_superuser:
            return rows
        # Seeing an enclosing area's row is not managing it: the province's fund is the province's to change.
        return rows.filter(area_q(getattr(self.model, "area_field", "area_code"), user.area_codes()))

    def area_condition(self, area_codes: list[str]) -> Q:
        return serving_q(getattr(self.model, "area_field", "area_code"), area_codes)


def area_q(field: str, area_codes: list[str] | tuple[str, ...]) -> Q:
    """Build `field startswith any of area_codes`; no codes gives a condition that matches nothing."""
    if not area_codes:
        return Q(pk__in=[])
    condition = Q()
    for code in area_codes:
        condition |= Q(**{f"{field}__startswith": code})
    return condition


def serving_q(field: str, area_codes: list[str] | tuple[str, ...]) -> Q:
    """Build `field` inside any of area_codes, or exactly one of the areas enclosing them (province, district,
    subdistrict): what serves a user of those areas."""
    enclosing = sorted({code[:length] for code in area_codes for length in (2, 4, 6) if length < len(code)})
    return area_q(field, area_codes) | Q(**{f"{field}__in": enclosing})


_ScopedManagerBase = models.Manager.from_queryset(ScopedQuerySet)  # assigned first: django-stubs reads it so


class ScopedManager(_ScopedManagerBase):
    """Manager for area-scoped models: `Model.objects.for_user(user, "view")`."""


class TimeStampedModel(models.Model):
    """Creation and update times, for every domain table."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
