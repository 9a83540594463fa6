"""The menu: each entry names the permission that shows it, so the menu matches what the user may use.

Domain apps add their entries here when they land (keep the order: the volunteer's work first).
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    permission: str | None = None  # None: every signed-in user
    icon: str = "•"


NAV_ITEMS: list[NavItem] = [
    NavItem("core:home", _("Home"), None, "⌂"),
    NavItem("households:household_list", _("My households"), "households.view_household", "▤"),
    NavItem("geo:village_list", _("Villages"), "geo.view_village", "⌘"),
    NavItem("incidents:board", _("Operator board"), "incidents.view_incident", "⚑"),
    NavItem("incidents:hotline_call", _("Log a 1300 call"), "incidents.add_incident", "☎"),
    NavItem("incidents:assignment_list", _("My assignments"), "incidents.view_dispatch", "➜"),
    NavItem("admin:index", _("Administration"), "audit.view_objectchange", "⚙"),
]


def items_for(user) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    """The menu entries this user may use, resolved to URLs."""
    items = []
    for item in NAV_ITEMS:
        if item.permission is not None and not user.has_perm(item.permission):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": str(item.label), "icon": item.icon, "name": item.url_name})
    return items
