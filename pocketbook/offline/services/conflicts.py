"""The writes about a phone's edit that met someone else's change: kept for a choice, then resolved.

A conflict keeps only the fields the volunteer changed (a new national ID encrypted beside them). The volunteer
resolves it from the phone (sending again on the new version, or taking the office's) or the office on the
conflicts page, field by field; the chosen values go through the households services with the online member
form's checks, and the phone's record then counts as stored, so the phone stops waiting.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pocketbook.accounts.models import User
from pocketbook.audit.models import Action
from pocketbook.audit.services import record_change, snapshot
from pocketbook.households import national_id
from pocketbook.households import services as household_services
from pocketbook.households.models import Household, Member
from pocketbook.offline import editable
from pocketbook.offline.models import OfflineDevice, SyncConflict, SyncedRecord


@dataclass
class ConflictDraft:
    """What a conflicting edit keeps for a choice: the phone's changed fields and the version it started from."""

    kind: str
    household: Household
    member: Member | None
    base_version: str
    phone_fields: dict[str, Any]
    national_id: str = ""  # a new ID typed on the phone, already checked; kept encrypted


def household_write(*, household: Household, values: dict[str, Any], actor: User) -> None:
    data = household_services.HouseholdInput.from_household(household)
    for name, value in values.items():
        setattr(data, name, value)
    household_services.household_update(household=household, data=data, actor=actor)


def member_checked(member: Member, changes: dict[str, Any]) -> household_services.MemberInput:
    """The member with the phone's changes, checked by the online member form; refused with its reasons."""
    form = editable.member_form(member=member, changes=changes)
    if not form.is_valid():
        raise ValidationError({name: list(messages) for name, messages in form.errors.items()})
    data = form.to_input()
    if data.national_id and national_id.lookup_hash(data.national_id) == member.national_id_hash:
        data.national_id = ""  # the ID typed is the one on record: no change
    return data


def member_write(*, member: Member, data: household_services.MemberInput, actor: User) -> None:
    change_id = bool(data.national_id)
    if not change_id and member.national_id_hash:
        data.no_id_reason = ""
    household_services.member_update(member=member, data=data, actor=actor, change_national_id=change_id)


# --- conflicts ---------------------------------------------------------------------------------


def conflict_keep(*, client_id: uuid.UUID, draft: ConflictDraft, actor: User, device: OfflineDevice | None) -> None:
    """Keep a conflicting edit for a choice (the same record sent again replaces what it kept)."""
    stored_id = national_id.protect(draft.national_id) if draft.national_id else None
    conflict, created = SyncConflict.objects.update_or_create(
        client_id=client_id,
        defaults={
            "kind": draft.kind,
            "household": draft.household,
            "member": draft.member,
            "user": actor,
            "device": device,
            "base_version": draft.base_version[:40],
            "phone_fields": draft.phone_fields,
            "phone_national_id_encrypted": stored_id.encrypted if stored_id else "",
            "phone_national_id_last_digit": stored_id.last_digit if stored_id else "",
            "status": SyncConflict.Status.OPEN,
        },
    )
    if created:
        record_change(obj=conflict, action=Action.CREATE, actor=actor)


def conflict_settled_by_phone(*, client_id: uuid.UUID, actor: User) -> None:
    """The volunteer kept their edit and it is now stored: the conflict waits for nobody."""
    conflict = SyncConflict.objects.select_for_update().filter(client_id=client_id, status="open").first()
    if conflict is not None:
        conflict_close(conflict=conflict, taken=set(conflict.phone_fields), actor=actor)


def conflict_close(*, conflict: SyncConflict, taken: set[str], actor: User) -> None:
    before = snapshot(conflict)
    offered = conflict_choices(conflict)
    if not taken:
        conflict.resolution = SyncConflict.Resolution.OFFICE
    elif taken == offered:
        conflict.resolution = SyncConflict.Resolution.PHONE
    else:
        conflict.resolution = SyncConflict.Resolution.MIXED
    conflict.status = SyncConflict.Status.RESOLVED
    conflict.taken_from_phone = sorted(taken)
    conflict.resolved_at = timezone.now()
    conflict.resolved_by = actor
    conflict.save(
        update_fields=["status", "resolution", "taken_from_phone", "resolved_at", "resolved_by", "updated_at"]
    )
    record_change(obj=conflict, action=Action.UPDATE, actor=actor, before=before)
    # A phone that sends the same record again is told it was dealt with, and drops it.
    SyncedRecord.objects.get_or_create(
        client_id=conflict.client_id,
        defaults={
            "kind": conflict.kind,
            "user": conflict.user,
            "device": conflict.device,
            "object_id": conflict.member_id or conflict.household_id,
        },
    )


def conflict_choices(conflict: SyncConflict) -> set[str]:
    """The fields the office may take from the phone: those the volunteer changed (and a new ID typed)."""
    names = set(conflict.phone_fields)
    if conflict.phone_national_id_encrypted:
        names.add("national_id")
    return names


@transaction.atomic
def conflict_resolve(*, conflict: SyncConflict, take_from_phone: set[str], actor: User) -> SyncConflict:
    """Resolve a conflicting edit from a phone: keep the office's values, or take the phone's field by field.

    The chosen values are written through the households services with the online form's checks (audited,
    on the household timeline); the conflict is then closed and the phone's record counts as stored, so the
    phone stops waiting. Nothing is written when a check refuses.
    """
    locked = SyncConflict.objects.for_user(actor, "change").select_for_update().filter(pk=conflict.pk).first()
    if locked is None:
        raise PermissionDenied
    if not locked.is_open:
        raise ValidationError({"conflict": _("Someone has already resolved this conflict.")})
    unknown = take_from_phone - conflict_choices(locked)
    if unknown:
        raise ValidationError({"conflict": _("Choose only among the fields the phone changed.")})
    if take_from_phone:
        if locked.member_id is not None:
            _take_member_fields(conflict=locked, member_id=locked.member_id, names=take_from_phone, actor=actor)
        else:
            _take_household_fields(conflict=locked, names=take_from_phone, actor=actor)
    conflict_close(conflict=locked, taken=take_from_phone, actor=actor)
    return locked


def _take_member_fields(*, conflict: SyncConflict, member_id: int, names: set[str], actor: User) -> None:
    member = Member.objects.for_user(actor, "change").select_for_update().filter(pk=member_id).first()
    if member is None:
        raise PermissionDenied
    values = editable.member_values(member)
    values.update({name: conflict.phone_fields[name] for name in names if name in conflict.phone_fields})
    changes = editable.member_form_values(values)
    if "national_id" in names:
        changes["national_id"] = national_id.reveal(conflict.phone_national_id_encrypted)
    member_write(member=member, data=member_checked(member, changes), actor=actor)


def _take_household_fields(*, conflict: SyncConflict, names: set[str], actor: User) -> None:
    household = (
        Household.objects.for_user(actor, "change").select_for_update().filter(pk=conflict.household_id).first()
    )
    if household is None:
        raise PermissionDenied
    household_write(household=household, values={name: conflict.phone_fields[name] for name in names}, actor=actor)


# --- PDPA ----------------------------------------------------------------------------------------


def member_conflicts_export(member: Member) -> list[dict[str, Any]]:
    """The edits from phones about one person that met another change, for the person's export."""
    return [
        {
            "arrived_at": conflict.created_at.isoformat(),
            "status": conflict.status,
            "phone_fields": conflict.phone_fields,
        }
        for conflict in SyncConflict.objects.filter(member=member).order_by("created_at")
    ]


def member_conflicts_erase(member_ids: Sequence[int]) -> None:
    """Take erased people's values out of the phones' conflicting edits; one still open is settled as the office's.

    The phone's record counts as stored, so sending it again cannot bring the values back.
    """
    conflicts = SyncConflict.objects.filter(member_id__in=member_ids)
    still_open = list(conflicts.filter(status=SyncConflict.Status.OPEN))
    SyncedRecord.objects.bulk_create(
        [
            SyncedRecord(client_id=c.client_id, kind=c.kind, user_id=c.user_id, device_id=c.device_id,
                         object_id=c.member_id)
            for c in still_open
        ],
        ignore_conflicts=True,
    )  # fmt: skip
    conflicts.filter(status=SyncConflict.Status.OPEN).update(
        status=SyncConflict.Status.RESOLVED, resolution=SyncConflict.Resolution.OFFICE, resolved_at=timezone.now()
    )
    conflicts.update(phone_fields={}, phone_national_id_encrypted="", phone_national_id_last_digit="")
