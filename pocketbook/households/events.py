"""The households app's own timeline entries: every one is written by one of these functions.

The kinds are registered in `HouseholdsConfig.ready()` (see `KINDS`); other apps register and write
theirs through `pocketbook.households.timeline`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from pocketbook.accounts.models import User
from pocketbook.households.choices import EventKind
from pocketbook.households.models import Household, HouseholdEvent, Member
from pocketbook.households.timeline import TimelineKind, timeline_record

KINDS = [
    TimelineKind(EventKind.CREATED, gettext_lazy("Household registered")),
    TimelineKind(EventKind.UPDATED, gettext_lazy("Household details changed")),
    TimelineKind(EventKind.IMPORTED, gettext_lazy("Imported from a file")),
    TimelineKind(EventKind.CONSENT_GIVEN, gettext_lazy("Consent given")),
    TimelineKind(EventKind.CONSENT_WITHDRAWN, gettext_lazy("Consent withdrawn: personal data removed")),
    TimelineKind(EventKind.MEMBER_ADDED, gettext_lazy("Member added")),
    TimelineKind(EventKind.MEMBER_UPDATED, gettext_lazy("Member details changed")),
    TimelineKind(EventKind.MEMBER_MOVED_IN, gettext_lazy("Member moved in from another household")),
    TimelineKind(EventKind.MEMBER_MOVED_OUT, gettext_lazy("Member moved to another household")),
    TimelineKind(EventKind.MEMBER_LEFT, gettext_lazy("Member left the area")),
    TimelineKind(EventKind.MEMBER_DIED, gettext_lazy("Member died")),
    TimelineKind(EventKind.PHOTO_ADDED, gettext_lazy("Photo of the home added")),
    TimelineKind(EventKind.PHOTO_REMOVED, gettext_lazy("Photo of the home removed")),
]


def household_created(*, household: Household, actor: User | None, source: str = "form") -> HouseholdEvent:
    return timeline_record(household=household, kind=EventKind.CREATED, params={"source": source}, actor=actor)


def household_updated(*, household: Household, actor: User | None, fields: list[str]) -> HouseholdEvent:
    return timeline_record(household=household, kind=EventKind.UPDATED, params={"fields": fields}, actor=actor)


def consent_given(*, household: Household, actor: User | None, consent_id: int, purposes: list[str]) -> HouseholdEvent:
    return timeline_record(
        household=household,
        kind=EventKind.CONSENT_GIVEN,
        params={"consent_id": consent_id, "purposes": purposes},
        actor=actor,
    )


def consent_withdrawn(*, household: Household, actor: User | None, consent_id: int | None) -> HouseholdEvent:
    return timeline_record(
        household=household, kind=EventKind.CONSENT_WITHDRAWN, params={"consent_id": consent_id}, actor=actor
    )


def member_added(*, member: Member, actor: User | None) -> HouseholdEvent:
    return timeline_record(
        household=member.household,
        kind=EventKind.MEMBER_ADDED,
        params={"member_id": member.pk, "relation": member.relation},
        actor=actor,
    )


def member_updated(*, member: Member, actor: User | None, fields: list[str]) -> HouseholdEvent:
    return timeline_record(
        household=member.household,
        kind=EventKind.MEMBER_UPDATED,
        params={"member_id": member.pk, "fields": fields},
        actor=actor,
    )


def member_moved(
    *, from_member: Member, to_member: Member, actor: User | None
) -> tuple[HouseholdEvent, HouseholdEvent]:
    out_event = timeline_record(
        household=from_member.household,
        kind=EventKind.MEMBER_MOVED_OUT,
        params={"member_id": from_member.pk, "to_household_id": to_member.household_id},
        actor=actor,
    )
    in_event = timeline_record(
        household=to_member.household,
        kind=EventKind.MEMBER_MOVED_IN,
        params={"member_id": to_member.pk, "from_household_id": from_member.household_id},
        actor=actor,
    )
    return out_event, in_event


def member_status_changed(*, member: Member, actor: User | None) -> HouseholdEvent:
    kind = EventKind.MEMBER_DIED if member.status == "died" else EventKind.MEMBER_LEFT
    return timeline_record(
        household=member.household,
        kind=kind,
        params={"member_id": member.pk, "on": member.status_date.isoformat() if member.status_date else None},
        actor=actor,
    )


def photo_added(*, household: Household, actor: User | None, photo_id: int) -> HouseholdEvent:
    return timeline_record(household=household, kind=EventKind.PHOTO_ADDED, params={"photo_id": photo_id}, actor=actor)


def photo_removed(*, household: Household, actor: User | None, photo_id: int) -> HouseholdEvent:
    return timeline_record(
        household=household, kind=EventKind.PHOTO_REMOVED, params={"photo_id": photo_id}, actor=actor
    )
