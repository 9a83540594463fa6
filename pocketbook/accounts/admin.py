from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from pocketbook.accounts.models import ApiToken, AreaAssignment, User


class AreaAssignmentInline(admin.TabularInline):
    model = AreaAssignment
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [AreaAssignmentInline]
    list_display = ["username", "first_name", "last_name", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "is_superuser"]
    fieldsets = (*(DjangoUserAdmin.fieldsets or ()), ("Pocketbook", {"fields": ("phone",)}))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "key_prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_prefix", "key_hash", "created_at", "last_used_at"]
    list_filter = ["revoked_at"]
