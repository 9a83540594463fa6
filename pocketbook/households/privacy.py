"""PDPA for one person: export everything kept about them, or erase them, keeping the statistics.

Both are an administrator's acts (the `households.delete_member` permission, in their areas), and both
are written to the audit trail. Erasure blanks the person's names, national ID, occupation and full
birth date (the year stays, for age statistics), the consent-giver's name where it was them, their
values in every other app's copies (`privacy_hooks`) and in older audit rows. When nobody with personal
values is left in the household, its address, house number, phone and position go too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from pocketbook.accounts.models import User
from pocketbook.audit.models import AccessLog, Action, ObjectChange
from pocketbook.audit.services import PERSONAL_CHANGED_KEY, record_access, record_change, snapshot
from pocketbook.households import national_id, photos
from pocketbook.households.models import (
    Consent,
    DuplicateOverride,
    Household,
    HouseholdEvent,
    HouseholdPhoto,
    Member,
    MemberMove,
)
from pocketbook.households.privacy_hooks import (
    FreeText,
    free_texts_erase_for,
    personal_data_erased,
    personal_data_erasing,
    privacy_exports,
)
from pocketbook.households.services import household_anonymise, member_anonymise

ERASE_PERMISSION = "households.delete_member"

MEMBER_EXPORT_FIELDS = (
    "title", "first_name", "last_name", "sex", "birth_date", "birth_year_only", "no_id_reason", "relation",
    "status", "status_date", "education_level", "is_studying", "occupation", "monthly_income", "has_disability",
    "has_disability_card", "chronic_illness", "is_bedridden", "is_pregnant", "has_welfare_card",
    "receives_elderly_allowance", "receives_disability_allowance", "receives_child_support",
)  # fmt: skip
HOUSEHOLD_EXPORT_FIELDS = ("household_key", "area_code", "house_no", "address", "phone", "gps_lat", "gps_lng")
# What workers type about the household's people in this app's own tables (a move concerns two households).
FREE_TEXT = (
    FreeText(HouseholdPhoto, "household_id", ("caption",)),
    FreeText(Consent, "household_id", ("withdrawn_reason",)),
    FreeText(MemberMove, "from_member__household_id", ("reason",)),
    FreeText(MemberMove, "to_member__household_id", ("reason",)),
    FreeText(DuplicateOverride, "member__household_id", ("reason",)),
)


def _values(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    values = {}
    for name in fields:
        value = getattr(obj, name, None)
        values[name] = value.isoformat() if isinstance(value, dt.date) else value
    return values


def _content_type_rows(model: Any, pk: int) -> dict[str, Any]:
    from django.contrib.contenttypes.models import ContentType

    return {"content_type": ContentType.objects.get_for_model(model), "object_id": str(pk)}


def person_export(*, member: Member, actor: User) -> dict[str, Any]:
    """Everything kept about one person, as JSON-able data; the export is written to the access log."""
    household = member.household
    where = _content_type_rows(Member, member.pk)
    export = {
        "exported_at": timezone.now().isoformat(),
        "member": {
            "id": member.pk,
            **_values(member, MEMBER_EXPORT_FIELDS),
            "monthly_income": str(member.monthly_income) if member.monthly_income is not None else None,
            "national_id": national_id.reveal(member.national_id_encrypted) if member.national_id_encrypted else "",
        },
        "household": {"id": household.pk, **_values(household, HOUSEHOLD_EXPORT_FIELDS)},
        "consents": [
            {
                "given_by_name": consent.given_by_name,
                "given_by_this_person": consent.given_by_member_id == member.pk,
                "given_at": consent.given_at.isoformat(),
                "purposes": consent.purposes,
                "withdrawn_at": consent.withdrawn_at.isoformat() if consent.withdrawn_at else None,
            }
            for consent in household.consents.order_by("given_at")
        ],
        "timeline": [
            {"time": event.time.isoformat(), "kind": event.kind, "params": event.params}
            for event in HouseholdEvent.objects.filter(household=household, params__member_id=member.pk)
        ],
        "read_by": [
            {"time": time.isoformat(), "user": user_name, "what": purpose}
            for time, user_name, purpose in AccessLog.objects.filter(**where)
            .order_by("time", "pk")
            .values_list("time", "user_name", "purpose")
        ],
        "changed_by": [
            {
                "time": time.isoformat(),
                "user": user_name,
                "action": action,
                "personal_fields": (after or {}).get(PERSONAL_CHANGED_KEY, []),
            }
            for time, user_name, action, after in ObjectChange.objects.filter(**where)
            .order_by("time", "pk")
            .values_list("time", "user_name", "action", "after")
        ],
        **privacy_exports(member),
    }
    record_access(obj=member, actor=actor, purpose="personal data exported")
    return export


def member_free_texts_erase(member_ids: Sequence[int]) -> None:
    """The households app's own erase hook: the people's names out of photo captions and reasons typed."""
    free_texts_erase_for(member_ids, FREE_TEXT)


def _still_personal(household: Household, *, besides: Member) -> bool:
    """Whether anyone else in the household still has personal values recorded."""
    others = household.members.exclude(pk=besides.pk)
    return others.exclude(first_name="", last_name="", national_id_hash="").exists()


@transaction.atomic
def person_erase(*, member: Member, actor: User) -> Member:
    """Erase one person's personal values everywhere, keeping the anonymous record statistics count."""
    member = Member.objects.select_for_update().select_related("household").get(pk=member.pk)
    household = member.household
    names = (member.first_name, member.last_name)
    personal_data_erasing(members=[member])
    before = snapshot(member)
    member_anonymise(member=member)
    member.save()
    record_change(obj=member, action=Action.UPDATE, actor=actor, before=before)
    _erase_consent_giver(household=household, member=member, names=names, actor=actor)
    household_too = not _still_personal(household, besides=member)
    if household_too:
        before = snapshot(household)
        household_anonymise(household=household)
        household.save()
        record_change(obj=household, action=Action.UPDATE, actor=actor, before=before)
        photos.household_photos_erase(household=household, actor=actor)
    personal_data_erased(household=household if household_too else None, members=[member])
    return member


def _erase_consent_giver(*, household: Household, member: Member, names: tuple[str, str], actor: User) -> None:
    """Blank the consent-giver's name where the consent was this person's (linked, or written by name)."""
    for consent in Consent.objects.filter(household=household):
        written = consent.given_by_name
        if consent.given_by_member_id == member.pk or any(len(name) > 1 and name in written for name in names):
            before = snapshot(consent)
            consent.given_by_name = "-"
            consent.given_by_member = None
            consent.save(update_fields=["given_by_name", "given_by_member", "updated_at"])
            record_change(obj=consent, action=Action.UPDATE, actor=actor, before=before)
