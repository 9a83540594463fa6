"""The writes of the phone's sync: devices seen and revoked, and the records a phone sends from its outbox.

`sync_record` stores one outbox record through the households and assessments services, once: the id made on
the phone is kept in SyncedRecord in the same transaction, so a retry after a lost answer finds it and stores
nothing twice. A refused record is not kept, so the volunteer can correct it and send it again with the same id.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, get_type_hints

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pocketbook.accounts.models import User
from pocketbook.assessments import services as assessment_services
from pocketbook.audit.models import Action
from pocketbook.audit.services import record_change, snapshot
from pocketbook.core.numbers import parse_decimal
from pocketbook.households import services as household_services
from pocketbook.households.models import MEMBER_INPUT_FIELDS, Household, Member
from pocketbook.offline import editable
from pocketbook.offline.models import OfflineDevice, SyncConflict, SyncedRecord
from pocketbook.offline.services import conflicts
from pocketbook.volunteers import services as volunteer_services

STORED, DUPLICATE, REFUSED, CONFLICT = "stored", "duplicate", "refused", "conflict"
HOUSEHOLD_UPDATE, MEMBER_UPDATE = "household_update", "member_update"


class DeviceRevoked(PermissionDenied):
    """The office has revoked this phone's offline access."""


@dataclass
class SyncOutcome:
    """The server's answer about one outbox record."""

    client_id: str
    status: str
    object_id: int | None = None
    message: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)
    server: dict[str, Any] | None = None
    conflict: conflicts.ConflictDraft | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.client_id,
            "status": self.status,
            "object_id": self.object_id,
            "message": self.message,
            "errors": self.errors,
            "server": self.server,
        }


# --- devices -----------------------------------------------------------------------------------


@transaction.atomic
def device_seen(*, device_id: uuid.UUID, user: User, user_agent: str = "") -> OfflineDevice:
    """Note that this phone fetched or sent with this user's session; refuse a revoked phone."""
    device = OfflineDevice.objects.select_for_update().filter(device_id=device_id).first()
    now = timezone.now()
    if device is None:
        device = OfflineDevice.objects.create(
            device_id=device_id, user=user, user_agent=user_agent[:300], last_seen_at=now
        )
        record_change(obj=device, action=Action.CREATE, actor=user)
        return device
    if device.is_revoked or device.user_id != user.pk:
        # A phone passed to another person starts again under a new id; the old one stays refused.
        raise DeviceRevoked
    device.last_seen_at = now
    device.save(update_fields=["last_seen_at"])
    return device


@transaction.atomic
def device_revoke(*, device: OfflineDevice, actor: User) -> OfflineDevice:
    """Revoke a phone's offline access: its next contact wipes what it holds, and it may sync no more.

    The office may revoke any phone; anyone may revoke their own (a lost phone).
    """
    if actor is None or not (actor.has_perm("offline.change_offlinedevice") or device.user_id == actor.pk):
        raise PermissionDenied
    if device.is_revoked:
        return device
    before = snapshot(device)
    device.revoked_at = timezone.now()
    device.revoked_by = actor
    device.save(update_fields=["revoked_at", "revoked_by"])
    record_change(obj=device, action=Action.UPDATE, actor=actor, before=before)
    return device


# --- sync --------------------------------------------------------------------------------------


def _date(value: Any, field_name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field_name: _("Enter a date.")}) from None


def _decimal(value: Any, field_name: str, *, max_digits: int = 12, decimal_places: int = 2) -> Decimal | None:
    """A number from the phone, read as the forms read it ("5,000", "๕๐๐๐"); empty is None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_decimal(value, max_digits=max_digits, decimal_places=decimal_places)
    except ValidationError as error:
        raise ValidationError({field_name: list(error.messages)}) from None


def _position(payload: dict[str, Any], field_name: str) -> Decimal | None:
    """A GPS coordinate, kept to six decimals (to the metre) however many the phone gave."""
    value = _decimal(payload.get(field_name), field_name, max_digits=24, decimal_places=20)
    return None if value is None else value.quantize(Decimal("0.000001"))


def _text(payload: dict[str, Any], key: str) -> str:
    value = payload.get(key)
    return value.strip() if isinstance(value, str) else ""


def _own_household(actor: User, household_id: Any, action: str = "view") -> Household:
    try:
        return Household.objects.for_user(actor, action).get(pk=int(household_id))
    except (TypeError, ValueError, Household.DoesNotExist):
        raise ValidationError({"household": _("This household is not in your areas, or no longer exists.")}) from None


def household_version(household: Household) -> str:
    """The version a phone keeps with a household, to notice when someone else changed it meanwhile."""
    return household.updated_at.isoformat()


def household_fields(household: Household) -> dict[str, Any]:
    """The household fields a volunteer may change offline."""
    return editable.household_values(household)


def _store_household_create(payload: dict[str, Any], actor: User) -> SyncOutcome:
    consent_payload = payload.get("consent")
    consent = None
    if isinstance(consent_payload, dict):
        purposes = consent_payload.get("purposes")
        consent = household_services.ConsentInput(
            given_by_name=_text(consent_payload, "given_by_name"),
            purposes=[str(p) for p in purposes] if isinstance(purposes, list) else [],
        )
    household = household_services.household_create(
        data=household_services.HouseholdInput(
            area_code=_text(payload, "area_code"),
            house_no=_text(payload, "house_no"),
            address=_text(payload, "address"),
            phone=_text(payload, "phone"),
            gps_lat=_position(payload, "gps_lat"),
            gps_lng=_position(payload, "gps_lng"),
        ),
        actor=actor,
        consent=consent,
        source="offline",
    )
    members = payload.get("members")
    for number, member in enumerate(members if isinstance(members, list) else [], 1):
        try:
            household_services.member_add(household=household, data=_member_input(member), actor=actor)
        except ValidationError as error:
            raise ValidationError(
                {
                    f"members.{number}.{key}": [
                        _("Member %(number)s: %(message)s") % {"number": number, "message": message}
                        for message in messages
                    ]
                    for key, messages in _error_dict(error).items()
                }
            ) from None
    return SyncOutcome("", STORED, object_id=household.pk)


def _member_input(member: object) -> household_services.MemberInput:
    """A new member from the phone: each of MemberInput's fields, read as its type says."""
    if not isinstance(member, dict):
        raise ValidationError({"member": _("Give the member's details.")})
    return household_services.MemberInput(**{name: read(member, name) for name, read in _MEMBER_READERS.items()})


def _flag(payload: dict[str, Any], key: str) -> bool:
    return payload.get(key) is True


_READERS_BY_TYPE: dict[object, Callable[[dict[str, Any], str], Any]] = {
    str: _text,
    bool: _flag,
    dt.date: lambda payload, key: _date(payload.get(key), key),
    Decimal | None: lambda payload, key: _decimal(payload.get(key), key),
}
# A field added to MemberInput with a type the phone's values have no reader for fails here, at start-up.
_MEMBER_READERS = {
    name: _READERS_BY_TYPE[kind] for name, kind in get_type_hints(household_services.MemberInput).items()
}


def _store_assessment(payload: dict[str, Any], actor: User) -> SyncOutcome:
    household = _own_household(actor, payload.get("household_id"))
    answers = payload.get("answers")
    assessment = assessment_services.assessment_submit(
        household=household,
        assessed_on=_date(payload.get("assessed_on"), "assessed_on"),
        answers=answers if isinstance(answers, dict) else {},
        actor=actor,
        gps_lat=_position(payload, "gps_lat"),
        gps_lng=_position(payload, "gps_lng"),
    )
    return SyncOutcome("", STORED, object_id=assessment.pk)


def _store_visit_note(payload: dict[str, Any], actor: User) -> SyncOutcome:
    """A visit noted on the phone becomes the volunteers app's visit, so the household's next visit moves on."""
    if not actor.has_perm("volunteers.add_visit"):
        raise PermissionDenied
    household = _own_household(actor, payload.get("household_id"))
    visit = volunteer_services.visit_record(
        household=household,
        note=_text(payload, "note"),
        visited_on=_date(payload.get("visited_on"), "visited_on"),
        actor=actor,
        gps_lat=_position(payload, "gps_lat"),
        gps_lng=_position(payload, "gps_lng"),
    )
    return SyncOutcome("", STORED, object_id=visit.pk)


def _changed(given: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """The fields the phone says the volunteer changed, among those it may change."""
    return {name: value for name, value in given.items() if name in names} if isinstance(given, dict) else {}


def _store_household_update(payload: dict[str, Any], actor: User) -> SyncOutcome:
    household = _own_household(actor, payload.get("household_id"), "change")
    household = Household.objects.select_for_update().get(pk=household.pk)
    changes = _changed(payload.get("fields"), editable.HOUSEHOLD_FIELDS)
    office = editable.household_values(household)
    phone = {name: str(value if value is not None else "").strip() for name, value in changes.items()}
    if payload.get("base_version") != household_version(household):
        if all(phone[name] == office[name] for name in phone):
            return SyncOutcome("", STORED, object_id=household.pk)  # both made the same change: nothing to choose
        rows = editable.conflict_rows(model=Household, phone=phone, office=office)
        return SyncOutcome(
            "",
            CONFLICT,
            object_id=household.pk,
            message=_(
                "Someone else changed this household after your phone took it. Compare both versions and choose."
            ),
            server={"version": household_version(household), "fields": office, "rows": [r.as_json() for r in rows]},
            conflict=conflicts.ConflictDraft(
                HOUSEHOLD_UPDATE, household, None, str(payload.get("base_version") or ""), phone
            ),
        )
    conflicts.household_write(household=household, values=phone, actor=actor)
    return SyncOutcome("", STORED, object_id=household.pk)


def member_version(member: Member) -> str:
    """The version a phone keeps with a member, to notice when someone else changed them meanwhile."""
    return member.updated_at.isoformat()


def member_fields(member: Member) -> dict[str, Any]:
    """The member fields a volunteer may change offline, as the member form holds them (the phone's initial values)."""
    return editable.member_form_values(editable.member_values(member))


_MEMBER_FORM_FIELDS = (*MEMBER_INPUT_FIELDS, "title_choice", "national_id")


def _store_member_update(payload: dict[str, Any], actor: User) -> SyncOutcome:
    household = _own_household(actor, payload.get("household_id"), "change")
    try:
        member = Member.objects.select_for_update().get(pk=int(payload["member_id"]), household=household)
    except (KeyError, TypeError, ValueError, Member.DoesNotExist):
        raise ValidationError({"member": _("This member is no longer in the household.")}) from None
    changes = _changed(payload.get("fields"), _MEMBER_FORM_FIELDS)
    data = conflicts.member_checked(member, changes)
    if payload.get("base_version") != member_version(member):
        wanted = editable.member_values(data)
        sent = {"title" if name == "title_choice" else name for name in changes} & set(MEMBER_INPUT_FIELDS)
        phone = {name: wanted[name] for name in MEMBER_INPUT_FIELDS if name in sent}
        office = editable.member_values(member)
        if not data.national_id and all(phone[name] == office[name] for name in phone):
            return SyncOutcome("", STORED, object_id=member.pk)  # both made the same change: nothing to choose
        rows = editable.conflict_rows(
            model=Member,
            phone=phone,
            office=office,
            phone_id_last_digit=data.national_id[-1:],
            office_id_last_digit=member.national_id_last_digit,
        )
        return SyncOutcome(
            "",
            CONFLICT,
            object_id=member.pk,
            message=_(
                "Someone else changed this member after your phone took them. Compare both versions and choose."
            ),
            server={
                "version": member_version(member),
                "fields": member_fields(member),
                "rows": [row.as_json() for row in rows],
            },
            conflict=conflicts.ConflictDraft(
                MEMBER_UPDATE, household, member, str(payload.get("base_version") or ""), phone, data.national_id
            ),
        )
    conflicts.member_write(member=member, data=data, actor=actor)
    return SyncOutcome("", STORED, object_id=member.pk)


def _store_conflict_dismiss(payload: dict[str, Any], actor: User) -> SyncOutcome:
    """The volunteer took the office's version of a conflicting edit on the phone: the office need not choose."""
    try:
        record_id = uuid.UUID(str(payload.get("record_id")))
    except ValueError:
        raise ValidationError({"record_id": _("The record has no valid id. Make it again.")}) from None
    conflict = SyncConflict.objects.select_for_update().filter(client_id=record_id, user=actor).first()
    if conflict is not None and conflict.is_open:
        conflicts.conflict_close(conflict=conflict, taken=set(), actor=actor)
    return SyncOutcome("", STORED, object_id=conflict.pk if conflict else None)


SYNC_KINDS: dict[str, Callable[[dict[str, Any], Any], SyncOutcome]] = {
    "household_create": _store_household_create,
    HOUSEHOLD_UPDATE: _store_household_update,
    MEMBER_UPDATE: _store_member_update,
    "assessment": _store_assessment,
    "visit_note": _store_visit_note,
    "conflict_dismiss": _store_conflict_dismiss,
}


def _error_dict(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {key: [str(message) for message in messages] for key, messages in error.message_dict.items()}
    return {"record": [str(message) for message in error.messages]}


def sync_record(*, record: dict[str, Any], actor: User, device: OfflineDevice | None) -> SyncOutcome:
    """Store one record from a phone's outbox once, or say why not (in the request's language)."""
    raw_id = record.get("id")
    try:
        client_id = uuid.UUID(str(raw_id))
    except ValueError:
        return SyncOutcome(str(raw_id), REFUSED, message=_("The record has no valid id. Make it again."))
    kind = record.get("kind")
    handler = SYNC_KINDS.get(kind) if isinstance(kind, str) else None
    payload = record.get("payload")
    if handler is None or not isinstance(payload, dict):
        return SyncOutcome(str(client_id), REFUSED, message=_("This kind of record cannot be sent from a phone."))
    earlier = SyncedRecord.objects.filter(client_id=client_id).first()
    if earlier is not None:
        return SyncOutcome(str(client_id), DUPLICATE, object_id=earlier.object_id)
    try:
        with transaction.atomic():
            outcome = handler(payload, actor)
            if outcome.status == STORED:
                SyncedRecord.objects.create(
                    client_id=client_id, kind=str(kind), user=actor, device=device, object_id=outcome.object_id
                )
                conflicts.conflict_settled_by_phone(client_id=client_id, actor=actor)
            elif outcome.conflict is not None:
                conflicts.conflict_keep(client_id=client_id, draft=outcome.conflict, actor=actor, device=device)
    except IntegrityError:
        # The same record arrived twice at once: the other request stored it.
        earlier = SyncedRecord.objects.filter(client_id=client_id).first()
        if earlier is None:
            raise
        return SyncOutcome(str(client_id), DUPLICATE, object_id=earlier.object_id)
    except (PermissionDenied, Household.DoesNotExist):
        return SyncOutcome(str(client_id), REFUSED, message=_("You may not do this for this household."), errors={})
    except ValidationError as error:
        errors = _error_dict(error)
        message = " ".join(message for messages in errors.values() for message in messages)
        return SyncOutcome(str(client_id), REFUSED, message=message, errors=errors)
    outcome.client_id = str(client_id)
    return outcome
