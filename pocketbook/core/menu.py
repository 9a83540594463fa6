"""The menu: a registry each app fills in its `AppConfig.ready()`; core names no domain app.

Each entry names the permission that shows it, so the menu matches what the user may use:

    menu_register(MenuItem("cases:case_list", gettext_lazy("Cases"), "cases.view_case", "☰", order=40))

Entries are shown by `order` (then by URL name); the label lives in the registering app's catalogue.
The account menu (under the user's name: password, sign out, ...) is a second registry of the same
entries, filled by accounts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from pocketbook.core.models import Viewer
from pocketbook.core.registry import Registry


@dataclass(frozen=True)
class MenuItem:
    """One menu entry: where it leads, what it says, who sees it.

    `count` (optional) is given the signed-in user and returns a small number shown beside the entry
    (e.g. overdue tasks), or None for nothing; it runs on every page, so keep it to one indexed query.
    """

    url_name: str
    label: str | Promise
    permission: str | None = None  # None: every signed-in user
    icon: str = "•"
    order: int = 100
    count: Callable[[Viewer], int | None] | None = None
    method: str = "get"  # "post": drawn as a button in a form (for example "Sign out")


_items: Registry[MenuItem] = Registry("menu entry", key=lambda item: item.url_name)
_account_items: Registry[MenuItem] = Registry("account menu entry", key=lambda item: item.url_name)


def menu_register(item: MenuItem) -> None:
    """Add an entry to the menu; a URL name registered twice is a configuration error."""
    _items.register(item)


def menu_unregister(url_name: str) -> None:
    """Remove an entry (for tests that register their own)."""
    _items.unregister(url_name)


def menu_items() -> list[MenuItem]:
    """Every registered entry, in menu order."""
    return _items.ordered(lambda item: item.order)


def menu_for(user: Viewer) -> list[dict[str, Any]]:
    """The menu entries this user may use, resolved to URLs, each with its count (None: no number)."""
    return _entries(menu_items(), user)


def account_menu_register(item: MenuItem) -> None:
    """Add an entry to the account menu; a URL name registered twice is a configuration error."""
    _account_items.register(item)


def account_menu_unregister(url_name: str) -> None:
    """Remove an account menu entry (for tests that register their own)."""
    _account_items.unregister(url_name)


def account_menu_for(user: Viewer) -> list[dict[str, Any]]:
    """The account menu entries this user may use, resolved to URLs."""
    return _entries(_account_items.ordered(lambda item: item.order), user)


def _entries(items: list[MenuItem], user: Viewer) -> list[dict[str, Any]]:
    entries = []
    for item in items:
        if item.permission is not None and not user.has_perm(item.permission):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        count = item.count(user) if item.count is not None else None
        entries.append(
            {
                "url": url,
                "label": str(item.label),
                "icon": item.icon,
                "name": item.url_name,
                "count": count,
                "method": item.method,
                "slug": item.url_name.rpartition(":")[2],
            }
        )
    return entries
