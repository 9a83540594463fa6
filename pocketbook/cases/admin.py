"""Admin pages: the agency directory (with a CSV upload), funds and budgets; the case records read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import construct_change_message
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from pocketbook.accounts.http import signed_in_user
from pocketbook.core.admin import ScopedAdmin, ScopedInline

from .agencies_csv import agencies_load
from .models import Agency, AgencyArea, AgencyContact, AgencyServiceOffered, Fund, FundBudget, ReferralLinkUse
from .services import AgencyInput, agency_save


def agency_input_from_admin(fields: dict[str, Any], formsets: Any, existing: Agency | None) -> AgencyInput:
    """The agency's form and its inlines (services, areas, contacts) as the service's input.

    A part whose inline was not on the page keeps what the agency has (never wiped by a save).
    """
    rows: dict[type, list[dict[str, Any]]] = {}
    for formset in formsets:
        rows[formset.model] = [
            form.cleaned_data
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
    return AgencyInput(
        name=fields["name"],
        kind=fields["kind"],
        name_en=fields.get("name_en", ""),
        address=fields.get("address", ""),
        note=fields.get("note", ""),
        key=fields.get("key", ""),
        is_active=fields.get("is_active", True),
        services=tuple(row["service"] for row in _rows_or_existing(rows, AgencyServiceOffered, existing)),
        area_codes=tuple(row["area_code"] for row in _rows_or_existing(rows, AgencyArea, existing)),
        contacts=tuple(
            (row["kind"], row["value"], row.get("person", ""))
            for row in _rows_or_existing(rows, AgencyContact, existing)
        ),
    )


def _rows_or_existing(
    rows: dict[type, list[dict[str, Any]]],
    model: type[AgencyArea | AgencyContact | AgencyServiceOffered],
    existing: Agency | None,
) -> list[Any]:
    if model in rows:
        return rows[model]
    if existing is None:
        return []
    return list(model._default_manager.filter(agency=existing).values())


class AgencyPartInline(admin.TabularInline):
    """A part of an agency (service, area, contact): whoever may change the agency may change its parts."""

    extra = 1

    def _may(self, request: HttpRequest, action: str) -> bool:
        return request.user.has_perm(f"cases.{action}_agency")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, "view")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, "change" if obj is not None else "add")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, "change")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, "change")


class AgencyServiceInline(AgencyPartInline):
    model = AgencyServiceOffered


class AgencyAreaInline(AgencyPartInline):
    model = AgencyArea


class AgencyContactInline(AgencyPartInline):
    model = AgencyContact


class AgencyCsvForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "is_active", "key")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "name_en", "key")
    inlines = (AgencyServiceInline, AgencyAreaInline, AgencyContactInline)
    change_list_template = "admin/cases/agency/change_list.html"

    # Every save goes through `agency_save`, the directory's one write path: it checks the permission,
    # rebuilds the search text and records an audited ObjectChange (Django's admin log alone is not our audit).

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Nothing yet: the agency is saved with its services, areas and contacts in `save_related`."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        existing = Agency.objects.get(pk=form.instance.pk) if change else None
        data = agency_input_from_admin(form.cleaned_data, formsets, existing)
        saved = agency_save(data=data, actor=signed_in_user(request), agency=existing)
        form.instance.pk = saved.pk  # the admin's message and redirect name the saved agency

    def construct_change_message(self, request: HttpRequest, form: Any, formsets: Any, add: bool = False) -> Any:
        # the inlines were not saved by their formsets (agency_save replaced them), so only the form's fields
        return construct_change_message(form, [], add)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # referrals keep their agency: an agency leaves the directory by being made inactive

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
                report = agencies_load(text=text, actor=signed_in_user(request))
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


class FundBudgetInline(ScopedInline):
    model = FundBudget
    extra = 1


@admin.register(Fund)
class FundAdmin(ScopedAdmin):
    list_display = ("name", "owner", "area_code", "is_active")
    inlines = (FundBudgetInline,)


@admin.register(ReferralLinkUse)
class ReferralLinkUseAdmin(ScopedAdmin):
    list_display = ("time", "referral", "action", "detail", "ip_address")
    list_filter = ("action",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
