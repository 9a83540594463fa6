"""Admin pages: the agency directory (with a CSV upload), funds and budgets; the case records read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from pocketbook.core.admin import ScopedAdmin
from pocketbook.core.models import area_q

from .agencies_csv import agencies_load
from .models import Agency, AgencyArea, AgencyContact, AgencyServiceOffered, Fund, FundBudget, ReferralLinkUse
from .services import agency_refresh_search


class AgencyServiceInline(admin.TabularInline):
    model = AgencyServiceOffered
    extra = 1


class AgencyAreaInline(admin.TabularInline):
    model = AgencyArea
    extra = 1


class AgencyContactInline(admin.TabularInline):
    model = AgencyContact
    extra = 1


class AgencyCsvForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "is_active", "key")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "name_en", "key")
    inlines = (AgencyServiceInline, AgencyAreaInline, AgencyContactInline)
    change_list_template = "admin/cases/agency/change_list.html"

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        agency_refresh_search(form.instance)

    def get_urls(self) -> list[Any]:
        return [
            path("load-csv/", self.admin_site.admin_view(self.load_csv), name="cases_agency_load_csv"),
            *super().get_urls(),
        ]

    def load_csv(self, request: HttpRequest) -> HttpResponse:
        """Upload a CSV of agencies (the columns of `pocketbook load_agencies`)."""
        if not request.user.has_perm("cases.add_agency"):
            return redirect("admin:cases_agency_changelist")
        form = AgencyCsvForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                text = form.cleaned_data["file"].read().decode("utf-8")
            except UnicodeDecodeError:
                form.add_error("file", _("The file is not UTF-8 text."))
            else:
                report = agencies_load(text=text, actor=request.user)
                for error in report.errors:
                    messages.error(request, error)
                messages.success(
                    request,
                    _("%(created)s agencies created, %(updated)s updated.")
                    % {"created": report.created, "updated": report.updated},
                )
                return redirect("admin:cases_agency_changelist")
        return render(
            request,
            "admin/cases/agency/load_csv.html",
            {**self.admin_site.each_context(request), "form": form, "title": _("Load agencies from CSV")},
        )


class FundBudgetInline(admin.TabularInline):
    model = FundBudget
    extra = 1


class AreaScopedAdmin(ScopedAdmin):
    """Rows limited to the administrator's areas, through the model's `area_field`."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        rows = super().get_queryset(request)
        user: Any = request.user
        return rows if user.is_superuser else rows.filter(area_q(self.model.area_field, user.area_codes()))


@admin.register(Fund)
class FundAdmin(AreaScopedAdmin):
    list_display = ("name", "owner", "area_code", "is_active")
    inlines = (FundBudgetInline,)


@admin.register(ReferralLinkUse)
class ReferralLinkUseAdmin(AreaScopedAdmin):
    list_display = ("time", "referral", "action", "detail", "ip_address")
    list_filter = ("action",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
