"""Pieces a higher app adds to every page (the offline app's manifest link, outbox bar and script).

The base template renders them at named places with `{% page_parts "head" %}`, `"top"` and `"end"`; an app
registers its pieces in `AppConfig.ready()`. Core never names the app that fills a place.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from pocketbook.core.registry import Registry

PLACES = ("head", "top", "end")


@dataclass(frozen=True)
class PagePart:
    key: str
    place: str  # "head" (inside <head>), "top" (under the menu) or "end" (before </body>)
    template: str
    order: int = 100


_parts: Registry[PagePart] = Registry("page part", key=lambda part: part.key)


def page_part_register(part: PagePart) -> None:
    """Add a piece to every page; a key registered twice or an unknown place raises ImproperlyConfigured."""
    if part.place not in PLACES:
        raise ImproperlyConfigured(f"page part {part.key!r}: place must be one of {', '.join(PLACES)}")
    _parts.register(part)


def page_parts_at(place: str) -> list[PagePart]:
    """The pieces for one place, in order."""
    return [part for part in _parts.ordered(lambda part: part.order) if part.place == place]
