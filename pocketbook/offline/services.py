"""Every write of the offline app: devices seen and revoked, visit notes, and the records a phone sends.

`sync_record` stores one outbox record through the households and assessments services, once: the id made on
the phone is kept in SyncedRecord in the same transaction, so a retry after a lost answer finds it and stores
nothing twice. A refused record is not kept, so the volunteer can correct it and send it again with the same id.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pocketbook.assessments import services as assessment_services
from pocketbook.audit.models import Action
from pocketbook.audit.services import record_change, snapshot
from pocketbook.core.numbers import parse_decimal
from pocketbook.households import national_id
from pocketbook.households import services as household_services
from pocketbook.households.models import MEMBER_INPUT_FIELDS, Household, Member
from pocketbook.offline import editable
from pocketbook.offline.models import OfflineDevice, SyncConflict, SyncedRecord
from pocketbook.volunteers import services as volunteer_services

STORED, DUPLICATE, REFUSED, CONFLICT = "stored", "duplicate", "refused", "conflict"
HOUSEHOLD_UPDATE, MEMBER_UPDATE = "household_update", "member_update"


class DeviceRevoked(PermissionDenied):
    """The office has revoked this phone's offline access."""


@dataclass
class ConflictDraft:
    """What a conflicting edit keeps for a choice: the phone's changed fields and the version it started from."""

    kind: str
    household: Household
    member: Member | None
    base_version: str
    phone_fields: dict[str, Any]
    national_id: str = ""  # a new ID typed on the phone, already checked; kept encrypted


@dataclass
class SyncOutcome:
    """The server's answer about one outbox record."""

    client_id: str
    status: str
    object_id: int | None = None
    message: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)
    server: dict[str, Any] | None = None
    conflict: ConflictDraft | None = None

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
def device_seen(*, device_id: uuid.UUID, user: Any, user_agent: str = "") -> OfflineDevice:
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
def device_revoke(*, device: OfflineDevice, actor: Any) -> OfflineDevice:
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


def _own_household(actor: Any, household_id: Any, action: str = "view") -> Household:
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


def _store_household_create(payload: dict[str, Any], actor: Any) -> SyncOutcome:
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


def _member_input(member: Any) -> household_services.MemberInput:
    if not isinstance(member, dict):
        raise ValidationError({"member": _("Give the member's details.")})
    return household_services.MemberInput(
        sex=_text(member, "sex"),
        birth_date=_date(member.get("birth_date"), "birth_date"),
        relation=_text(member, "relation"),
        title=_text(member, "title"),
        first_name=_text(member, "first_name"),
        last_name=_text(member, "last_name"),
        national_id=_text(member, "national_id"),
        no_id_reason=_text(member, "no_id_reason"),
        monthly_income=_decimal(member.get("monthly_income"), "monthly_income"),
    )


def _store_assessment(payload: dict[str, Any], actor: Any) -> SyncOutcome:
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


def _store_visit_note(payload: dict[str, Any], actor: Any) -> SyncOutcome:
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


def _store_household_update(payload: dict[str, Any], actor: Any) -> SyncOutcome:
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
            conflict=ConflictDraft(HOUSEHOLD_UPDATE, household, None, str(payload.get("base_version") or ""), phone),
        )
    _household_write(household=household, values=phone, actor=actor)
    return SyncOutcome("", STORED, object_id=household.pk)


def _household_write(*, household: Household, values: dict[str, Any], actor: Any) -> None:
    data = household_services.HouseholdInput.from_household(household)
    for name, value in values.items():
        setattr(data, name, value)
    household_services.household_update(household=household, data=data, actor=actor)


def member_version(member: Member) -> str:
    """The version a phone keeps with a member, to notice when someone else changed them meanwhile."""
    return member.updated_at.isoformat()


def member_fields(member: Member) -> dict[str, Any]:
    """The member fields a volunteer may change offline, as the member form holds them (the phone's initial values)."""
    return editable.member_form_values(editable.member_values(member))


_MEMBER_FORM_FIELDS = (*MEMBER_INPUT_FIELDS, "title_choice", "national_id")


def _checked_member(member: Member, changes: dict[str, Any]) -> household_services.MemberInput:
    """The member with the phone's changes, checked by the online member form; refused with its reasons."""
    form = editable.member_form(member=member, changes=changes)
    if not form.is_valid():
        raise ValidationError({name: list(messages) for name, messages in form.errors.items()})
    data = form.to_input()
    if data.national_id and national_id.lookup_hash(data.national_id) == member.national_id_hash:
        data.national_id = ""  # the ID typed is the one on record: no change
    return data


def _member_write(*, member: Member, data: household_services.MemberInput, actor: Any) -> None:
    change_id = bool(data.national_id)
    if not change_id and member.national_id_hash:
        data.no_id_reason = ""
    household_services.member_update(member=member, data=data, actor=actor, change_national_id=change_id)


def _store_member_update(payload: dict[str, Any], actor: Any) -> SyncOutcome:
    household = _own_household(actor, payload.get("household_id"), "change")
    try:
        member = Member.objects.select_for_update().get(pk=int(payload["member_id"]), household=household)
    except (KeyError, TypeError, ValueError, Member.DoesNotExist):
        raise ValidationError({"member": _("This member is no longer in the household.")}) from None
    changes = _changed(payload.get("fields"), _MEMBER_FORM_FIELDS)
    data = _checked_member(member, changes)
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
            conflict=ConflictDraft(
                MEMBER_UPDATE, household, member, str(payload.get("base_version") or ""), phone, data.national_id
            ),
        )
    _member_write(member=member, data=data, actor=actor)
    return SyncOutcome("", STORED, object_id=member.pk)


def _store_conflict_dismiss(payload: dict[str, Any], actor: Any) -> SyncOutcome:
    """The volunteer took the office's version of a conflicting edit on the phone: the office need not choose."""
    try:
        record_id = uuid.UUID(str(payload.get("record_id")))
    except ValueError:
        raise ValidationError({"record_id": _("The record has no valid id. Make it again.")}) from None
    conflict = SyncConflict.objects.select_for_update().filter(client_id=record_id, user=actor).first()
    if conflict is not None and conflict.is_open:
        _conflict_close(conflict=conflict, taken=set(), actor=actor)
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


def sync_record(*, record: dict[str, Any], actor: Any, device: OfflineDevice | None) -> SyncOutcome:
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
                    client_id=client_id, kind=kind, user=actor, device=device, object_id=outcome.object_id
                )
                _conflict_settled_by_phone(client_id=client_id, actor=actor)
            elif outcome.conflict is not None:
                _conflict_keep(client_id=client_id, draft=outcome.conflict, actor=actor, device=device)
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


# --- conflicts ---------------------------------------------------------------------------------


def _conflict_keep(*, client_id: uuid.UUID, draft: ConflictDraft, actor: Any, device: OfflineDevice | None) -> None:
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


def _conflict_settled_by_phone(*, client_id: uuid.UUID, actor: Any) -> None:
    """The volunteer kept their edit and it is now stored: the conflict waits for nobody."""
    conflict = SyncConflict.objects.select_for_update().filter(client_id=client_id, status="open").first()
    if conflict is not None:
        _conflict_close(conflict=conflict, taken=set(conflict.phone_fields), actor=actor)


def _conflict_close(*, conflict: SyncConflict, taken: set[str], actor: Any) -> None:
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
def conflict_resolve(*, conflict: SyncConflict, take_from_phone: set[str], actor: Any) -> SyncConflict:
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
            _take_member_fields(conflict=locked, names=take_from_phone, actor=actor)
        else:
            _take_household_fields(conflict=locked, names=take_from_phone, actor=actor)
    _conflict_close(conflict=locked, taken=take_from_phone, actor=actor)
    return locked


def _take_member_fields(*, conflict: SyncConflict, names: set[str], actor: Any) -> None:
    member = Member.objects.for_user(actor, "change").select_for_update().filter(pk=conflict.member_id).first()
    if member is None:
        raise PermissionDenied
    values = editable.member_values(member)
    values.update({name: conflict.phone_fields[name] for name in names if name in conflict.phone_fields})
    changes = editable.member_form_values(values)
    if "national_id" in names:
        changes["national_id"] = national_id.reveal(conflict.phone_national_id_encrypted)
    _member_write(member=member, data=_checked_member(member, changes), actor=actor)


def _take_household_fields(*, conflict: SyncConflict, names: set[str], actor: Any) -> None:
    household = (
        Household.objects.for_user(actor, "change").select_for_update().filter(pk=conflict.household_id).first()
    )
    if household is None:
        raise PermissionDenied
    _household_write(household=household, values={name: conflict.phone_fields[name] for name in names}, actor=actor)


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
