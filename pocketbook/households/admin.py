"""Read-only admin of households, members, consent and the timeline, limited to the administrator's areas.

Every change goes through the services (audit, timeline, the one-active-membership rule), so the admin only
shows. National IDs appear masked; opening a household's or a member's page is written to the access log, like
the pocketbook pages. Searches use the same indexed look-ups as the pages (exact key or house number, name prefix,
national ID by its hash), since the admin's default `icontains` would read every row of a national table.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from pocketbook.audit.services import record_access
from pocketbook.core.admin import ScopedAdmin, ScopedInline
from pocketbook.households.models import Consent, Household, HouseholdEvent, ImportRun, Member
from pocketbook.households.selectors import member_search_q


class AreaScopedReadOnlyAdmin(ScopedAdmin):
    """Nobody adds, changes or deletes here; an administrator of an area sees that area's rows only."""

    show_full_result_count = False  # no COUNT(*) over the whole national table on every list page
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class PersonalRecordAdmin(AreaScopedReadOnlyAdmin):
    """A page that shows a person's record writes the read to the access log."""

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = self.get_object(request, object_id)
        if obj is not None and response.status_code == 200 and getattr(obj, "has_consent", True):
            record_access(obj=obj, actor=request.user, purpose="admin")
        return response


class MemberInline(ScopedInline):
    model = Member
    fields = ("title", "first_name", "last_name", "sex", "birth_date", "relation", "status", "masked_national_id")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description=_("national ID"))
    def masked_national_id(self, member: Member) -> str:
        return member.national_id_masked


@admin.register(Household)
class HouseholdAdmin(PersonalRecordAdmin):
    list_display = ["id", "household_key", "area_code", "house_no", "status", "has_consent", "volunteer", "created_at"]
    list_filter = ["status", "has_consent"]
    list_select_related = ["volunteer"]
    search_fields = ["household_key"]
    search_help_text = _("Exact household key or house number.")
    readonly_fields = ["created_at", "updated_at", "created_by"]
    inlines = [MemberInline]
    ordering = ["-id"]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Household], search_term: str
    ) -> tuple[QuerySet[Household], bool]:
        text = search_term.strip()
        if not text:
            return queryset, False
        return queryset.filter(household_key=text) | queryset.filter(house_no=text), False


@admin.register(Member)
class MemberAdmin(PersonalRecordAdmin):
    list_display = ["id", "full_name", "sex", "birth_date", "relation", "status", "household", "masked_national_id"]
    list_filter = ["status", "relation", "sex"]
    list_select_related = ["household"]
    search_fields = ["first_name"]
    search_help_text = _("The beginning of a first or last name, first and last name, or a 13-digit national ID.")
    exclude = ["national_id_encrypted", "national_id_hash", "national_id_last_digit"]
    readonly_fields = ["masked_national_id", "created_at", "updated_at"]
    ordering = ["-id"]

    @admin.display(description=_("national ID"))
    def masked_national_id(self, member: Member) -> str:
        return member.national_id_masked

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Member], search_term: str
    ) -> tuple[QuerySet[Member], bool]:
        condition = member_search_q(search_term)
        return (queryset if condition is None else queryset.filter(condition)), False


@admin.register(Consent)
class ConsentAdmin(AreaScopedReadOnlyAdmin):
    list_display = ["id", "household", "given_by_name", "given_at", "withdrawn_at"]
    list_select_related = ["household"]
    ordering = ["-given_at"]


@admin.register(HouseholdEvent)
class HouseholdEventAdmin(AreaScopedReadOnlyAdmin):
    list_display = ["time", "household", "kind", "actor"]
    list_filter = ["kind"]
    list_select_related = ["household", "actor"]
    ordering = ["-time"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """The import runs, read-only and for superusers: a run may span areas, so no area administrator sees it whole."""

    list_display = ["started_at", "file_name", "actor", "rows_read", "households_created", "rejected_rows"]
    list_select_related = ["actor"]
    ordering = ["-started_at"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(getattr(request.user, "is_superuser", False))

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return bool(getattr(request.user, "is_superuser", False))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
