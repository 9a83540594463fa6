"""The two shapes of extension point: a registry of named things, and a list of listeners.

A lower app owns one and a higher app fills it in `AppConfig.ready()`. Two different items under one
name are a configuration error, so two apps cannot silently replace each other's entry; the very same
item or listener registered again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

Item = TypeVar("Item")
Listener = TypeVar("Listener", bound=Callable[..., Any])


class Registry(Generic[Item]):
    """Named items, kept in registration order; `what` names them in error messages."""

    def __init__(self, what: str, key: Callable[[Item], str]) -> None:
        self.what = what
        self.key = key
        self._items: dict[str, Item] = {}

    def register(self, item: Item) -> None:
        """Add an item; another item under a name already registered raises ImproperlyConfigured.

        The very same item again is accepted, so running `ready()` twice (as Django does when a test
        changes INSTALLED_APPS) does no harm.
        """
        name = self.key(item)
        existing = self._items.get(name)
        if existing is not None and existing != item:
            raise ImproperlyConfigured(f"{self.what} {name!r} registered twice")
        self._items[name] = item

    def unregister(self, name: str) -> None:
        """Remove an item (for tests that register their own)."""
        self._items.pop(name, None)

    @contextmanager
    def set_aside(self) -> Iterator[None]:
        """Empty the registry for the block, then put every item back (for tests of the registry alone)."""
        kept = self._items
        self._items = {}
        try:
            yield
        finally:
            self._items = kept

    def get(self, name: str) -> Item | None:
        """The item of that name, or None."""
        return self._items.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def items(self) -> list[Item]:
        """Every item, in registration order."""
        return list(self._items.values())

    def ordered(self, order: Callable[[Item], Any]) -> list[Item]:
        """Every item, sorted by `order` (then by name, so the order is stable)."""
        return sorted(self._items.values(), key=lambda item: (order(item), self.key(item)))


class Listeners(Generic[Listener]):
    """Callables told of something, in registration order; `what` names them in error messages."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._listeners: list[Listener] = []

    def register(self, listener: Listener) -> None:
        """Add a listener; the same one again is kept once (so running `ready()` twice does no harm)."""
        if listener not in self._listeners:
            self._listeners.append(listener)

    def unregister(self, listener: Listener) -> None:
        """Remove a listener (for tests that register their own)."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def __iter__(self) -> Iterator[Listener]:
        return iter(list(self._listeners))

    def __bool__(self) -> bool:
        return bool(self._listeners)
