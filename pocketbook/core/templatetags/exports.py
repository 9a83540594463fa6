"""`{% export_buttons "households" %}`: CSV and Excel buttons carrying the list page's filters."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from django.template.loader import get_template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from pocketbook.core.exports import FORMATS, export_frontend, exports_at
from pocketbook.core.search import search_params, search_text

register = template.Library()


@register.simple_tag(takes_context=True)
def export_buttons(context: Any, place: str, **extra: Any) -> SafeString:
    """The buttons of every export offered at this list page that the viewer may use (none without a writer).

    `extra` adds filters the page does not carry in its query string (e.g. `project=project.pk`).
    """
    request = context.get("request")
    frontend = export_frontend()
    if request is None or frontend is None:
        return mark_safe("")
    query = {**_page_query(request), **{name: str(value) for name, value in extra.items()}}
    buttons = get_template("core/_export_buttons.html")
    html = "".join(
        buttons.render(
            {
                "action": reverse(frontend.url_name),
                "list_key": export.key,
                "label": export.label,
                "filters": sorted(export.filters_from(query).items()),
                "formats": FORMATS,
                "csrf_token": context.get("csrf_token"),
            }
        )
        for export in exports_at(place)
        if export.allowed(request.user)
    )
    return mark_safe(html)  # noqa: S308 - our own template, autoescaped when rendered


def _page_query(request: HttpRequest) -> dict[str, str]:
    """The filters the page shows: its query string, or what a search form posted (the search kept encrypted).

    A list refreshed by htmx renders its buttons again with the rows, so they carry the filters just chosen.
    """
    query = {name: request.GET.get(name, "") for name in request.GET}
    if request.method == "POST":
        skipped = ("q", "csrfmiddlewaretoken")
        query.update({name: request.POST.get(name, "") for name in request.POST if name not in skipped})
        query.pop("s", None)
        query.update(search_params(search_text(request)))
    return query
