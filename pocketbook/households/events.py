"""The household timeline: every entry is written by one of these functions.

Other apps add entries through `record(household=..., kind="assessment_submitted", params={...}, actor=...)`
and may register how their kind reads with `describe_kind("case_opened", gettext_lazy("..."))`.
Parameters hold ids and codes, never names, so withdrawing consent leaves nothing personal behind.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pocketbook.households.choices import EventKind
from pocketbook.households.models import Household, HouseholdEvent, Member

_DESCRIPTIONS: dict[str, str | Promise] = {
    EventKind.CREATED: gettext_lazy("Household registered"),
    EventKind.UPDATED: gettext_lazy("Household details changed"),
    EventKind.IMPORTED: gettext_lazy("Imported from a file"),
    EventKind.CONSENT_GIVEN: gettext_lazy("Consent given"),
    EventKind.CONSENT_WITHDRAWN: gettext_lazy("Consent withdrawn: personal data removed"),
    EventKind.MEMBER_ADDED: gettext_lazy("Member added"),
    EventKind.MEMBER_UPDATED: gettext_lazy("Member details changed"),
    EventKind.MEMBER_MOVED_IN: gettext_lazy("Member moved in from another household"),
    EventKind.MEMBER_MOVED_OUT: gettext_lazy("Member moved to another household"),
    EventKind.MEMBER_LEFT: gettext_lazy("Member left the area"),
    EventKind.MEMBER_DIED: gettext_lazy("Member died"),
    EventKind.ASSESSMENT_SUBMITTED: gettext_lazy("Assessment submitted"),
    EventKind.CASE_OPENED: gettext_lazy("Case opened"),
    EventKind.CASE_CLOSED: gettext_lazy("Case closed"),
    EventKind.INCIDENT_REPORTED: gettext_lazy("Emergency reported"),
    EventKind.PHOTO_ADDED: gettext_lazy("Photo of the home added"),
    EventKind.PHOTO_REMOVED: gettext_lazy("Photo of the home removed"),
}


def describe_kind(kind: str, text: str | Promise) -> None:
    """Say how entries of `kind` read on the timeline (for kinds other apps add)."""
    _DESCRIPTIONS[kind] = text


def describe(event: HouseholdEvent) -> str:
    """The entry in words, in the active language."""
    text = _DESCRIPTIONS.get(event.kind)
    return str(text) if text is not None else _("Timeline entry: %(kind)s") % {"kind": event.kind}


def record(
    *,
    household: Household,
    kind: str,
    params: dict[str, Any] | None = None,
    actor: Any = None,
    occurred_on: dt.date | None = None,
) -> HouseholdEvent:
    """Add an entry to the household's timeline (the public hook other apps call).

    `occurred_on` places an entry on the day something happened (a visit entered days later) rather than
    the moment it was typed in: the entry sorts on that day and the timeline shows the date alone.
    """
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    params = dict(params or {})
    time = timezone.now()
    if occurred_on is not None and occurred_on != timezone.localdate(time):
        params["occurred_on"] = occurred_on.isoformat()
        time = timezone.make_aware(dt.datetime.combine(occurred_on, dt.time(12, 0)))
    return HouseholdEvent.objects.create(household=household, kind=kind, params=params, actor=user, time=time)


def household_created(*, household: Household, actor: Any, source: str = "form") -> HouseholdEvent:
    return record(household=household, kind=EventKind.CREATED, params={"source": source}, actor=actor)


def household_updated(*, household: Household, actor: Any, fields: list[str]) -> HouseholdEvent:
    return record(household=household, kind=EventKind.UPDATED, params={"fields": fields}, actor=actor)


def consent_given(*, household: Household, actor: Any, consent_id: int, purposes: list[str]) -> HouseholdEvent:
    return record(
        household=household,
        kind=EventKind.CONSENT_GIVEN,
        params={"consent_id": consent_id, "purposes": purposes},
        actor=actor,
    )


def consent_withdrawn(*, household: Household, actor: Any, consent_id: int | None) -> HouseholdEvent:
    return record(
        household=household, kind=EventKind.CONSENT_WITHDRAWN, params={"consent_id": consent_id}, actor=actor
    )


def member_added(*, member: Member, actor: Any) -> HouseholdEvent:
    return record(
        household=member.household,
        kind=EventKind.MEMBER_ADDED,
        params={"member_id": member.pk, "relation": member.relation},
        actor=actor,
    )


def member_updated(*, member: Member, actor: Any, fields: list[str]) -> HouseholdEvent:
    return record(
        household=member.household,
        kind=EventKind.MEMBER_UPDATED,
        params={"member_id": member.pk, "fields": fields},
        actor=actor,
    )


def member_moved(*, from_member: Member, to_member: Member, actor: Any) -> tuple[HouseholdEvent, HouseholdEvent]:
    out_event = record(
        household=from_member.household,
        kind=EventKind.MEMBER_MOVED_OUT,
        params={"member_id": from_member.pk, "to_household_id": to_member.household_id},
        actor=actor,
    )
    in_event = record(
        household=to_member.household,
        kind=EventKind.MEMBER_MOVED_IN,
        params={"member_id": to_member.pk, "from_household_id": from_member.household_id},
        actor=actor,
    )
    return out_event, in_event


def member_status_changed(*, member: Member, actor: Any) -> HouseholdEvent:
    kind = EventKind.MEMBER_DIED if member.status == "died" else EventKind.MEMBER_LEFT
    return record(
        household=member.household,
        kind=kind,
        params={"member_id": member.pk, "on": member.status_date.isoformat() if member.status_date else None},
        actor=actor,
    )
