"""The household timeline: a registry of entry kinds and the one service every app writes entries with.

Each app registers the kinds it writes in its `AppConfig.ready()`, with how they read and who sees them:

    timeline_kind_register(TimelineKind("case_opened", gettext_lazy("Case opened"), permission="cases.view_case"))

and writes them with `timeline_record(household=..., kind="case_opened", params={"case_id": 7}, actor=...)`.
Parameters hold ids and codes, never names, so withdrawing consent leaves nothing personal behind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from pocketbook.accounts.http import AnyUser
from pocketbook.accounts.models import User
from pocketbook.core.registry import Registry
from pocketbook.households.models import Household, HouseholdEvent


@dataclass(frozen=True)
class TimelineKind:
    """A kind of timeline entry: how it reads, and who sees it (permission None: whoever sees the household)."""

    kind: str
    label: str | Promise
    permission: str | None = None


_kinds: Registry[TimelineKind] = Registry("household timeline kind", key=lambda kind: kind.kind)


def timeline_kind_register(kind: TimelineKind) -> None:
    """Declare a kind of household timeline entry; a kind registered twice is a configuration error."""
    _kinds.register(kind)


def timeline_kind_unregister(kind: str) -> None:
    """Remove a kind (for tests that register their own)."""
    _kinds.unregister(kind)


def timeline_kind_get(kind: str) -> TimelineKind | None:
    """The registered kind, or None."""
    return _kinds.get(kind)


def timeline_record(
    *,
    household: Household,
    kind: str,
    params: dict[str, Any] | None = None,
    actor: User | None = None,
    occurred_at: dt.datetime | None = None,
    occurred_on: dt.date | None = None,
) -> HouseholdEvent:
    """Add an entry of a registered kind to the household's timeline (the one way any app writes one).

    `occurred_on` places an entry on the day something happened (a visit entered days later) rather than
    the moment it was typed in: the entry sorts on that day and the timeline shows the date alone.
    """
    if kind not in _kinds:
        raise ImproperlyConfigured(f"household timeline kind {kind!r} is not registered")
    user = actor if actor is not None and actor.is_authenticated else None
    params = dict(params or {})
    time = occurred_at or timezone.now()
    if occurred_on is not None and occurred_on != timezone.localdate(time):
        params["occurred_on"] = occurred_on.isoformat()
        time = timezone.make_aware(dt.datetime.combine(occurred_on, dt.time(12, 0)))
    return HouseholdEvent.objects.create(household=household, kind=kind, params=params, actor=user, time=time)


def kinds_hidden_from(viewer: AnyUser) -> list[str]:
    """The registered kinds whose entries this viewer may not see."""
    return sorted(
        kind.kind for kind in _kinds.items() if kind.permission is not None and not viewer.has_perm(kind.permission)
    )


def describe(event: HouseholdEvent) -> str:
    """The entry in words, in the active language."""
    kind = _kinds.get(event.kind)
    return str(kind.label) if kind is not None else _("Timeline entry: %(kind)s") % {"kind": event.kind}
