"""Administration of ESS set-up data: units and their areas, responders, SLA targets, centroids.

Incidents and LINE events are shown read-only: they change only through the services.
"""

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pocketbook.incidents.channels.line import queue
from pocketbook.incidents.models import (
    Incident,
    LineConversation,
    LineEvent,
    Responder,
    SlaTarget,
    SubdistrictCentroid,
    Unit,
    UnitArea,
)


class UnitAreaInline(admin.TabularInline):
    model = UnitArea
    extra = 1


class ResponderInline(admin.TabularInline):
    model = Responder
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_province_default", "is_active"]
    list_filter = ["kind", "is_province_default", "is_active"]
    search_fields = ["name", "areas__area_code"]
    filter_horizontal = ["managers"]
    inlines = [UnitAreaInline, ResponderInline]


@admin.register(Responder)
class ResponderAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "is_active"]
    list_filter = ["is_active", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    autocomplete_fields = ["user"]


@admin.register(SlaTarget)
class SlaTargetAdmin(admin.ModelAdmin):
    list_display = ["priority", "acknowledge_minutes", "dispatch_minutes", "on_scene_minutes"]


@admin.register(SubdistrictCentroid)
class SubdistrictCentroidAdmin(admin.ModelAdmin):
    list_display = ["subdistrict_code", "latitude", "longitude", "source"]
    search_fields = ["subdistrict_code"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ["number", "incident_type", "priority", "status", "area_code", "unit", "is_overdue", "received_at"]
    list_filter = ["status", "priority", "channel", "is_overdue"]
    search_fields = ["number"]
    exclude = ["reporter_line_user_id", "reporter_phone", "reporter_name"]


@admin.register(LineEvent)
class LineEventAdmin(ReadOnlyAdmin):
    list_display = ["webhook_event_id", "event_type", "status", "failures", "error", "received_at", "answered_via"]
    list_filter = ["event_type", "status"]
    search_fields = ["webhook_event_id"]
    actions = ["retry"]

    def has_retry_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return bool(request.user.is_superuser)

    @admin.action(description=_("Retry the selected failed events"), permissions=["retry"])
    def retry(self, request, queryset) -> None:  # type: ignore[no-untyped-def]
        count = queue.event_retry(event_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, gettext("%(count)d failed event(s) put back in the queue.") % {"count": count})


@admin.register(LineConversation)
class LineConversationAdmin(ReadOnlyAdmin):
    list_display = ["line_user_id", "state", "is_following", "updated_at"]
    search_fields = ["line_user_id"]
