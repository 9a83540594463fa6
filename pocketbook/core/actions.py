"""Buttons a higher app puts on a lower app's page (the household page, the incident page), and who is offered them.

The lower app keeps a `Registry[PageAction[...]]` and lets the higher apps fill it in `AppConfig.ready()`; its page
asks `actions_offered(registry, viewer=..., subject=...)` for the buttons to draw. `url(viewer, subject)` returns
where the button leads, or None when this viewer is not offered it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.utils.functional import Promise

from pocketbook.core.models import Viewer
from pocketbook.core.registry import Registry

Subject = TypeVar("Subject")


@dataclass(frozen=True)
class PageAction(Generic[Subject]):
    """A button on a page about one subject (a household, an incident), leading to another app's page."""

    key: str
    label: str | Promise
    url: Callable[[Viewer, Subject], str | None]  # None: not offered to this viewer
    order: int = 100


def actions_offered(
    registry: Registry[PageAction[Subject]], *, viewer: Viewer, subject: Subject
) -> list[dict[str, str]]:
    """The actions offered to this viewer on this subject's page, in order: [{"key", "label", "url"}]."""
    offered = []
    for action in registry.ordered(lambda action: action.order):
        url = action.url(viewer, subject)
        if url is not None:
            offered.append({"key": action.key, "label": str(action.label), "url": url})
    return offered
