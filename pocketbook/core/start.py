"""Start pages: where the home page sends a signed-in user; core names no domain app.

Each app registers the page its people start their day on, in `AppConfig.ready()`:

    start_page_register(StartPage("cases_my_tasks", "cases:my_tasks", applies=is_social_worker, order=10))

The home page redirects to the first page (by `order`, then key) whose `applies(user)` is true and whose
URL resolves; a user no page applies to sees the home page itself (who they are, their areas, the tiles).
`applies` runs on every visit to the home page: keep it to what the user object already knows (roles).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import NoReverseMatch, reverse

from pocketbook.core.registry import Registry

if TYPE_CHECKING:  # the logging settings import this module (by core.views) before the models can load
    from pocketbook.core.models import Viewer


@dataclass(frozen=True)
class StartPage:
    """One start page: its key, the URL name it leads to, and who starts there."""

    key: str
    url_name: str
    applies: Callable[[Viewer], bool]
    order: int = 100


_pages: Registry[StartPage] = Registry("start page", key=lambda page: page.key)


def start_page_register(page: StartPage) -> None:
    """Add a start page; another page under a registered key raises ImproperlyConfigured."""
    _pages.register(page)


def start_page_unregister(key: str) -> None:
    """Remove a start page (for tests that register their own)."""
    _pages.unregister(key)


def start_pages() -> list[StartPage]:
    """Every registered start page, in order."""
    return _pages.ordered(lambda page: page.order)


def start_url_for(user: Viewer) -> str | None:
    """The URL of the first start page that applies to this user, or None (the home page itself)."""
    for page in start_pages():
        if not page.applies(user):
            continue
        try:
            return reverse(page.url_name)
        except NoReverseMatch:
            continue
    return None
