"""Administration of ESS set-up data: units and their areas, responders, SLA targets, centroids.

Incidents and LINE events are shown read-only: they change only through the services.
"""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pocketbook.accounts.http import signed_in_user
from pocketbook.core.admin import ScopedAdmin, ScopedInline, wholly_inside_q
from pocketbook.incidents.channels.line.queue.failures import event_retry
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


def units_wholly_inside(request: HttpRequest, units: QuerySet[Unit]) -> QuerySet[Unit]:
    """Of `units`, those an administrator of an area manages: every area the unit covers lies inside theirs.

    `for_user` lets a user see the units serving their areas, a unit of two provinces among them; managing one
    needs all of it.
    """
    user = signed_in_user(request)
    if user.is_superuser:
        return units
    return units.filter(wholly_inside_q(UnitArea.objects.all(), "unit", "area_code", user.area_codes()))


class UnitAreaInline(ScopedInline):
    model = UnitArea
    area_field = "area_code"
    extra = 1
    min_num = 1  # a unit covers somewhere; without an area it would be nobody's to manage


class ResponderInline(ScopedInline):
    model = Responder
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    """Units, limited to those wholly inside an area administrator's areas (a superuser manages all)."""

    list_display = ["name", "kind", "is_province_default", "is_active"]
    list_filter = ["kind", "is_province_default", "is_active"]
    search_fields = ["name", "areas__area_code"]
    filter_horizontal = ["managers"]
    inlines = [UnitAreaInline, ResponderInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Unit]:
        units = units_wholly_inside(request, super().get_queryset(request))
        return units.order_by(*self.get_ordering(request) or ["name"])


@admin.register(Responder)
class ResponderAdmin(ScopedAdmin):
    list_display = ["user", "unit", "is_active"]
    list_filter = ["is_active", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    autocomplete_fields = ["user"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Responder]:
        return super().get_queryset(request).filter(unit__in=units_wholly_inside(request, Unit.objects.all()))


@admin.register(SlaTarget)
class SlaTargetAdmin(ScopedAdmin):
    """The SLA targets hold for every province: only a superuser changes them."""

    list_display = ["priority", "acknowledge_minutes", "dispatch_minutes", "on_scene_minutes"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_superuser


@admin.register(SubdistrictCentroid)
class SubdistrictCentroidAdmin(ScopedAdmin):
    list_display = ["subdistrict_code", "latitude", "longitude", "source"]
    search_fields = ["subdistrict_code"]


class ReadOnlyAdmin(ScopedAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ["number", "incident_type", "priority", "status", "area_code", "unit", "is_overdue", "received_at"]
    list_filter = ["status", "priority", "channel", "is_overdue"]
    search_fields = ["number"]
    exclude = ["reporter_line_user_id", "reporter_phone", "reporter_name"]


class SuperuserOnlyReadOnlyAdmin(ReadOnlyAdmin):
    """LINE's raw events and conversations carry no area: only a superuser reads them."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_superuser


@admin.register(LineEvent)
class LineEventAdmin(SuperuserOnlyReadOnlyAdmin):
    list_display = ["webhook_event_id", "event_type", "status", "failures", "error", "received_at", "answered_via"]
    list_filter = ["event_type", "status"]
    search_fields = ["webhook_event_id"]
    actions = ["retry"]

    def has_retry_permission(self, request) -> bool:
        return bool(request.user.is_superuser)

    @admin.action(description=_("Retry the selected failed events"), permissions=["retry"])
    def retry(self, request, queryset) -> None:
        count = event_retry(event_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, gettext("%(count)d failed event(s) put back in the queue.") % {"count": count})


@admin.register(LineConversation)
class LineConversationAdmin(SuperuserOnlyReadOnlyAdmin):
    list_display = ["line_user_id", "state", "is_following", "updated_at"]
    search_fields = ["line_user_id"]
