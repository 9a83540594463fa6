"""Template context shared by every page."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from pocketbook.core.menu import account_menu_for, menu_for
from pocketbook.core.models import Viewer


def navigation(request: HttpRequest) -> dict[str, object]:
    """The menu and account menu entries the signed-in user may use (none for visitors)."""
    user: Viewer | AnonymousUser | None = getattr(request, "user", None)  # none before the auth middleware ran
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "account_items": []}
    # Kept on the request: the menu counts are queries, and a page may build more than one template context.
    cached: dict[str, object] | None = getattr(request, "_pocketbook_navigation", None)
    if cached is None:
        cached = {"nav_items": menu_for(user), "account_items": account_menu_for(user)}
        request._pocketbook_navigation = cached  # type: ignore[attr-defined]
    return cached
