"""User administration in the Django admin, limited to the administrator's own areas.

Superusers manage everyone. An administrator of an area manages only the users whose every area
lies inside their own, may give only non-administrator roles and areas inside their own, and may
not change their own roles, areas or superuser status (no one can raise their own rights).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from pocketbook.accounts.http import signed_in_user
from pocketbook.accounts.models import ApiToken, AreaAssignment, User
from pocketbook.accounts.roles import Role
from pocketbook.accounts.services import two_factor_enrolment_issue
from pocketbook.core.admin import ScopedAdmin, ScopedInline, wholly_inside_q

PRIVILEGED_FIELDS = ("is_superuser", "is_staff", "user_permissions")


class AreaAssignmentInline(ScopedInline):
    model = AreaAssignment
    area_field = "area_code"
    extra = 0

    def _may_edit(self, request: HttpRequest, obj: Any) -> bool:
        return request.user.is_superuser or obj is None or obj.pk != request.user.pk

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj) and super().has_delete_permission(request, obj)


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    inlines = [AreaAssignmentInline]
    list_display = ["username", "first_name", "last_name", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "is_superuser"]
    actions = ["issue_enrolment_code"]
    fieldsets = (*(DjangoUserAdmin.fieldsets or ()), ("Pocketbook", {"fields": ("phone",)}))

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        users = super().get_queryset(request)
        editor = signed_in_user(request)
        if editor.is_superuser:
            return users
        inside = wholly_inside_q(AreaAssignment.objects.all(), "user", "area_code", editor.area_codes())
        # Users wholly inside the editor's areas, and the editor (read-mostly); never a superuser.
        return users.filter(is_superuser=False).filter(inside | Q(pk=editor.pk))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly.extend(PRIVILEGED_FIELDS)
            if obj is not None and obj.pk == request.user.pk:
                readonly.append("groups")
        return readonly

    @admin.action(description=_("Issue a two-factor enrolment code"), permissions=["change"])
    def issue_enrolment_code(self, request: HttpRequest, queryset: QuerySet[User]) -> HttpResponse:
        """Give each chosen person a one-time code to enrol an authenticator (also after a lost phone).

        The codes are shown on this one answer only (never in a message cookie or the session).
        """
        actor = signed_in_user(request)
        codes = [(user, two_factor_enrolment_issue(user=user, actor=actor)) for user in queryset.exclude(pk=actor.pk)]
        context = {**self.admin_site.each_context(request), "codes": codes, "title": _("Enrolment codes")}
        response = TemplateResponse(request, "admin/accounts/enrolment_codes.html", context)
        response["Cache-Control"] = "no-store"
        return response

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=Role.values).exclude(name=Role.ADMINISTRATOR)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin):
    list_display = ["name", "user", "key_prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_prefix", "key_hash", "created_at", "last_used_at"]
    list_filter = ["revoked_at"]

    # Tokens are personal: people manage their own on the API tokens page; only superusers see them all.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser
