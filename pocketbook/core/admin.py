"""What every admin page of Pocketbook shares: one access gate for its rows, choices and filters.

The admin reads area-scoped data through the same gate as the pages and the API: the model's
`objects.for_user(user, action)` (`ScopedAdmin.get_queryset`), so no admin module filters areas by hand.
An administrator of an area must not see another area's units or user names in a drop-down, a
many-to-many picker or a list filter, nor pick them by typing an id. Each foreign-key and
many-to-many choice therefore comes from the related model's own admin list (`get_queryset`, scoped by
the same gate), or, for a related model without an admin list, from its scoped manager's `for_user`;
any other related model offers nothing to anyone but a superuser.

Every change an administrator saves or deletes through `ScopedAdmin` (its form, its inlines, the delete
action) is told to the admin change listeners, with the row as it was before: audit fills that list in
its `ready()` and records an ObjectChange, as a service would. Core cannot name audit, which builds on it.
No tables, no registrations here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from pocketbook.core import crypto
from pocketbook.core.models import CHANGE, VIEW, ScopedQuerySet, Viewer, area_q
from pocketbook.core.registry import Listeners

# Where a list's search travels in links, encrypted (as on the households pages): never a name or ID in clear.
SEALED_SEARCH_VAR = "s"


def is_area_scoped(rows: QuerySet[Any]) -> bool:
    """True when `rows` come from an area-scoped manager (they know `for_user`)."""
    return isinstance(rows, ScopedQuerySet)


def scoped_rows(rows: QuerySet[Any], user: Viewer | AnonymousUser, action: str) -> QuerySet[Any]:
    """`rows` that `user` may `action`, through the model's own `for_user`; rows of a model without areas unchanged."""
    return rows.for_user(user, action) if isinstance(rows, ScopedQuerySet) else rows


# What an admin change listener is told the administrator did.
ADMIN_CREATED, ADMIN_UPDATED, ADMIN_DELETED = "create", "update", "delete"


class AdminChangeListener(Protocol):
    """Told of each row an administrator created, updated or deleted, inside the admin's transaction.

    `before` is the row as stored before the change (None when created); for a deletion `obj` is that row.
    """

    def __call__(self, *, obj: Model, action: str, before: Model | None, actor: Viewer | AnonymousUser) -> None: ...


_admin_change_listeners: Listeners[AdminChangeListener] = Listeners("admin change listener")


def admin_change_register(listener: AdminChangeListener) -> None:
    """Be told of every change saved through a `ScopedAdmin` (audit records them)."""
    _admin_change_listeners.register(listener)


def admin_change_unregister(listener: AdminChangeListener) -> None:
    """Stop telling `listener` (for tests)."""
    _admin_change_listeners.unregister(listener)


def _admin_changed(obj: Model, action: str, before: Model | None, request: HttpRequest) -> None:
    for listener in _admin_change_listeners:
        listener(obj=obj, action=action, before=before, actor=request.user)


def _stored_rows(model: type[Model], pks: Iterable[Any]) -> dict[Any, Model]:
    """The rows as the database holds them now, by primary key (before the admin writes over them)."""
    wanted = [pk for pk in pks if pk is not None]
    return model._default_manager.in_bulk(wanted) if wanted else {}


if TYPE_CHECKING:  # the mixins below sit on a ModelAdmin or an inline: type them as its base
    _AdminBase = admin.options.BaseModelAdmin[Any]
else:
    _AdminBase = object


class ScopedChoicesMixin(_AdminBase):
    """Foreign-key and many-to-many choices limited to what this user sees of the related model.

    The related admin list when there is one (scoped by `ScopedAdmin.get_queryset`), else the related
    model's scoped manager (`for_user(user, "view")`), else nothing but for a superuser.
    """

    admin_site: admin.AdminSite

    def get_field_queryset(self, db: str | None, db_field: Any, request: HttpRequest) -> QuerySet[Any] | None:
        queryset = super().get_field_queryset(db, db_field, request)
        if request.user.is_superuser:
            return queryset
        related_model = db_field.remote_field.model
        related_admin = self.admin_site._registry.get(related_model)
        if related_admin is not None:
            return related_admin.get_queryset(request).using(db)
        related = related_model._default_manager.using(db).all()
        return scoped_rows(related, request.user, VIEW) if is_area_scoped(related) else related.none()


class ScopedRowsMixin(_AdminBase):
    """Rows through the model's `for_user`: those the user may change when they may change, else those they may view.

    Django's admin lets whoever may change a model see it too; the rows follow the same rule, so an
    administrator lists and opens exactly the rows the pages would let them change.
    """

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        rows = super().get_queryset(request)
        return scoped_rows(rows, request.user, self.scope_action(request))

    def scope_action(self, request: HttpRequest) -> str:
        return CHANGE if self.has_change_permission(request) else VIEW


def _seal_search(params: QueryDict) -> QueryDict:
    """Replace a clear search in `params` by its encrypted form."""
    sealed = params.copy()
    text = sealed.pop(SEARCH_VAR, [""])[-1]
    sealed.pop(SEALED_SEARCH_VAR, None)
    if text:
        sealed[SEALED_SEARCH_VAR] = crypto.encrypt(text)
    return sealed


def _unseal_search(params: QueryDict) -> QueryDict:
    """The list's parameters with the encrypted search opened; a clear search in the URL is ignored."""
    opened = params.copy()
    opened.pop(SEARCH_VAR, None)
    token = opened.pop(SEALED_SEARCH_VAR, [""])[-1]
    if token:
        with contextlib.suppress(ValueError):
            opened[SEARCH_VAR] = crypto.decrypt(token)[:100]
    return opened


class SealedSearchChangeList(ChangeList):
    """Links of the list (pages, filters, sorting) carry the search encrypted."""

    def get_query_string(self, new_params: Any = None, remove: Any = None) -> str:
        query = super().get_query_string(new_params, remove)
        return "?" + _seal_search(QueryDict(query[1:])).urlencode()


class ScopedAdmin(ScopedRowsMixin, ScopedChoicesMixin, admin.ModelAdmin):
    """The one base of Pocketbook's model admins: rows through `for_user`, choices and list filters scoped alike.

    A subclass may narrow the rows further (a unit only when wholly inside the administrator's areas), never
    widen them.

    Its search box posts, and the list's links carry the search encrypted, so a name or national ID
    typed into it never reaches a URL (server logs, browser history, Referer headers).
    """

    change_list_template = "admin/sealed_search_change_list.html"

    # The admin's writes are told to the admin change listeners (audit). An admin whose saves go through a
    # service, which records its own audit entry, overrides save_model without calling this one.

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = _stored_rows(type(obj), [obj.pk]).get(obj.pk) if change else None
        super().save_model(request, obj, form, change)
        _admin_changed(obj, ADMIN_UPDATED if change else ADMIN_CREATED, before, request)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        _admin_changed(obj, ADMIN_DELETED, obj, request)  # before the delete, while the row still has its id
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic(using=queryset.db):
            for obj in queryset:
                _admin_changed(obj, ADMIN_DELETED, obj, request)
            super().delete_queryset(request, queryset)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Save an inline's rows, telling the listeners of each row added, changed or deleted."""
        model = formset.model
        befores = _stored_rows(model, (each.instance.pk for each in formset.initial_forms))
        for deleted in formset.deleted_forms:
            if deleted.instance.pk in befores:
                _admin_changed(befores[deleted.instance.pk], ADMIN_DELETED, befores[deleted.instance.pk], request)
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            _admin_changed(obj, ADMIN_CREATED, None, request)
        for obj, _fields in formset.changed_objects:
            _admin_changed(obj, ADMIN_UPDATED, befores.get(obj.pk), request)

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        is_action = "index" in request.POST or ACTION_CHECKBOX_NAME in request.POST
        if request.method == "POST" and SEARCH_VAR in request.POST and not is_action:
            params = request.GET.copy()
            params[SEARCH_VAR] = request.POST.get(SEARCH_VAR, "").strip()[:100]
            return HttpResponseRedirect(request.path + "?" + _seal_search(params).urlencode())
        request.GET = _unseal_search(request.GET)  # type: ignore[assignment]
        return super().changelist_view(request, extra_context)

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return SealedSearchChangeList

    def get_preserved_filters(self, request: HttpRequest) -> str:
        preserved = super().get_preserved_filters(request)
        if not preserved:
            return preserved
        inner = QueryDict(QueryDict(preserved).get("_changelist_filters", ""))
        return urlencode({"_changelist_filters": _seal_search(inner).urlencode()})

    def get_list_filter(self, request: HttpRequest) -> Any:
        filters = list(super().get_list_filter(request))
        if request.user.is_superuser:
            return filters
        return [_related_only(self.model, entry) for entry in filters]


class AreasInsideFormSet(forms.BaseInlineFormSet):
    """Refuse an area code outside the editing administrator's own areas (superusers may give any)."""

    request: HttpRequest
    area_field: str | None = None

    def clean(self) -> None:
        super().clean()
        editor = self.request.user
        if editor.is_superuser or self.area_field is None:
            return
        for form in self.forms:
            code = form.cleaned_data.get(self.area_field) if hasattr(form, "cleaned_data") else None
            if code and not (editor.is_authenticated and editor.covers(code)):
                form.add_error(self.area_field, _("This area is outside your areas."))


class ScopedInline(ScopedRowsMixin, ScopedChoicesMixin, admin.TabularInline):
    """An inline whose choices are scoped like the related admin lists; `area_field` codes stay in the editor's."""

    formset = AreasInsideFormSet
    area_field: str | None = None

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset: Any = super().get_formset(request, obj, **kwargs)
        formset.request = request
        formset.area_field = self.area_field
        return formset


def _related_only(model: type[Model], entry: Any) -> Any:
    """A plain related-field filter lists every related row in the table; keep only those in scope."""
    if isinstance(entry, str) and "__" not in entry:
        field = model._meta.get_field(entry)
        if field.is_relation:
            return (entry, admin.RelatedOnlyFieldListFilter)
    return entry


def wholly_inside_q(related: QuerySet[Any], owner_field: str, area_field: str, area_codes: list[str]) -> Q:
    """Rows with at least one related area and every related area inside `area_codes`.

    A unit covering Trang and Chiang Mai is not a Trang administrator's to rename, and a user with an
    area in another province is not theirs to edit.
    """
    inside = related.filter(area_q(area_field, area_codes), **{owner_field: OuterRef("pk")})
    outside = related.filter(**{owner_field: OuterRef("pk")}).exclude(area_q(area_field, area_codes))
    return Q(Exists(inside)) & ~Q(Exists(outside))
