"""Exportable lists: each app registers what its list exports; a higher app writes the files.

An app that owns a list page (households, cases, incidents, volunteers, ...) registers a `ListExport` in its
`AppConfig.ready()`: the columns and a function that gives the rows a viewer may see under the page's filters,
scoped with `for_user`, as a `values_list` queryset (so the writer streams them with `.iterator()`, never
building model instances or the whole file in memory). The reports app registers the `ExportFrontend` (where
the buttons post) and writes the files; core knows neither the lists nor the writer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone, translation

from pocketbook.core.dates import to_buddhist_year
from pocketbook.core.models import Viewer
from pocketbook.core.registry import Registry

# A cell starting with one of these is a formula (or becomes one) in Excel and LibreOffice (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Column:
    """One column of an export: the header (translatable) and how a stored value shows."""

    label: Any
    display: Callable[[Any], Any] | None = None  # e.g. a choice's label, a masked ID


@dataclass(frozen=True)
class ListExport:
    """What one list exports.

    `rows(viewer, filters)` gives a `values_list` queryset of the rows the viewer may see under the filters,
    one value per column, in the list's order; `filters_from(query)` keeps the page's filters that the rows
    understand (plain strings, stored with the job and written to the audit trail: never a clear-text name
    or ID; a search travels encrypted as on the page).
    """

    key: str
    label: Any
    permission: str
    columns: tuple[Column, ...]
    rows: Callable[[Viewer, Mapping[str, str]], QuerySet[Any] | list[Sequence[Any]]]
    filters_from: Callable[[Mapping[str, str]], dict[str, str]] = field(default=lambda query: {})
    personal: bool = True  # holds people's data: every export is also written to the access log
    order: int = 100
    place: str = ""  # the list page whose buttons offer it (`{% export_buttons place %}`); "" = its key
    also_at: tuple[str, ...] = ()  # other pages that show the same list and offer it too
    # For a table whose columns depend on data (a dashboard's dimensions): the header, given the viewer and
    # filters; its rows are then a short list of values written as they are (no column displays).
    header: Callable[[Viewer, Mapping[str, str]], list[str]] | None = None

    def allowed(self, viewer: Viewer) -> bool:
        """Whether the viewer may export this list at all (the rows are scoped besides)."""
        return bool(viewer.is_authenticated and viewer.has_perm(self.permission))


@dataclass(frozen=True)
class ExportFrontend:
    """Where the export buttons post (`url_name`, given `list` and `format` and the page's filters)."""

    key: str
    url_name: str


_exports: Registry[ListExport] = Registry("list export", key=lambda export: export.key)
_frontends: Registry[ExportFrontend] = Registry("export frontend", key=lambda frontend: frontend.key)


def export_register(export: ListExport) -> None:
    """Make a list exportable; a key registered twice with another definition raises ImproperlyConfigured."""
    _exports.register(export)


def export_unregister(key: str) -> None:
    """Remove a list's export (for tests that register their own)."""
    _exports.unregister(key)


def export_get(key: str) -> ListExport | None:
    """The export of that list, or None."""
    return _exports.get(key)


def exports_all() -> list[ListExport]:
    """Every registered list export, in order."""
    return _exports.ordered(lambda export: export.order)


def exports_at(place: str) -> list[ListExport]:
    """The exports a list page offers, in order."""
    return [export for export in exports_all() if (export.place or export.key) == place or place in export.also_at]


def export_frontend_register(frontend: ExportFrontend) -> None:
    """Say where the export buttons post (the app that writes the files registers itself once)."""
    _frontends.register(frontend)


def export_frontend() -> ExportFrontend | None:
    """The registered frontend, or None (then the lists show no export buttons)."""
    items = _frontends.items()
    return items[0] if items else None


def neutralise(value: str) -> str:
    """Keep a text cell from being read as a formula: prefix a quote when it starts like one (OWASP)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def date_text(value: dt.date, *, buddhist_era: bool) -> str:
    """A date as an export writes it: DD/MM/BE-year in Thai exports, ISO 8601 otherwise."""
    if buddhist_era:
        return f"{value.day:02d}/{value.month:02d}/{to_buddhist_year(value.year)}"
    return value.isoformat()


def datetime_text(value: dt.datetime, *, buddhist_era: bool) -> str:
    """A moment in local time: the date as `date_text`, then HH:MM (ISO 8601 with offset otherwise)."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    if buddhist_era:
        return f"{date_text(local.date(), buddhist_era=True)} {local:%H:%M}"
    return local.replace(microsecond=0).isoformat()


def cell(value: Any, *, buddhist_era: bool) -> Any:
    """One value as written: numbers stay numbers, dates become text in the export's era, text is neutralised."""
    kind = type(value)
    if kind is str:
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if value is None:
        return ""
    if kind is bool:
        return 1 if value else 0
    if kind is int or kind is float or kind is Decimal:
        return value
    if isinstance(value, dt.datetime):
        return datetime_text(value, buddhist_era=buddhist_era)
    if isinstance(value, dt.date):
        return date_text(value, buddhist_era=buddhist_era)
    return neutralise(str(value))


def row_writer(export: ListExport, *, buddhist_era: bool) -> Callable[[Sequence[Any]], list[Any]]:
    """A function turning one row of stored values into the file's cells, each column's display applied first.

    Built once per file: a million rows pay for one loop over the columns each, nothing more.
    """
    if export.header is not None:
        return lambda row: [cell(value, buddhist_era=buddhist_era) for value in row]
    displays = [column.display for column in export.columns]

    def convert(row: Sequence[Any]) -> list[Any]:
        return [
            cell(value if display is None else display(value), buddhist_era=buddhist_era)
            for display, value in zip(displays, row, strict=True)
        ]

    return convert


def choice_label(choices: Any) -> Callable[[Any], Any]:
    """A `display` showing a TextChoices value by its label (in the export's language)."""
    labels = dict(choices.choices)
    translated: dict[str, dict[Any, str]] = {}  # per language: a million rows translate each label once

    def display(value: Any) -> Any:
        if value in (None, ""):
            return ""
        language = translation.get_language() or ""
        if language not in translated:
            translated[language] = {key: str(label) for key, label in labels.items()}
        return translated[language].get(value, value)

    return display


def yes_no(value: Any) -> Any:
    """A `display` for a boolean: 1 or 0 (a spreadsheet can sum it)."""
    return 1 if value else 0
