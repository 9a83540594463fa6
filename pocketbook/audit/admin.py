"""Read-only admin lists of the audit trail, filterable by user, object type and date."""

from django.contrib import admin
from django.http import HttpRequest

from pocketbook.audit.models import AccessLog, ObjectChange
from pocketbook.core.admin import ScopedAdmin


class ReadOnlyAdmin(ScopedAdmin):
    """Nobody adds, changes or deletes audit rows, not even a superuser.

    An administrator of an area sees the rows of records in that area; rows of records without an
    area (users, tokens) are for superusers only.
    """

    date_hierarchy = "time"
    list_select_related = ["content_type"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ObjectChange)
class ObjectChangeAdmin(ReadOnlyAdmin):
    list_display = ["time", "user_name", "action", "content_type", "object_repr", "area_code", "request_id"]
    list_filter = ["action", "content_type", "time", ("user", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user_name", "object_repr", "object_id", "request_id"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["time", "user_name", "content_type", "object_repr", "area_code", "purpose", "request_id"]
    list_filter = ["content_type", "time", ("user", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user_name", "object_repr", "object_id", "request_id"]
