"""Every write to households, members and consent. Each records the audit trail and the timeline.

Members' writes live in member_services.py, photos' in photos.py and the input types in inputs.py (this file was
long); callers use them all from here.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pocketbook.accounts.models import User
from pocketbook.audit.models import Action
from pocketbook.audit.services import changed_fields, record_change, snapshot
from pocketbook.geo.selectors import area_get
from pocketbook.households import events, photos
from pocketbook.households.choices import ConsentPurpose
from pocketbook.households.inputs import ConsentInput, HouseholdInput
from pocketbook.households.inputs import MemberInput as MemberInput
from pocketbook.households.inputs import PossibleDuplicate as PossibleDuplicate
from pocketbook.households.listeners import household_changed_notify
from pocketbook.households.member_services import PERSONAL_MEMBER_FIELDS as PERSONAL_MEMBER_FIELDS
from pocketbook.households.member_services import UNMASK_PERMISSION as UNMASK_PERMISSION
from pocketbook.households.member_services import member_add as member_add
from pocketbook.households.member_services import member_anonymise
from pocketbook.households.member_services import member_end as member_end
from pocketbook.households.member_services import member_move as member_move
from pocketbook.households.member_services import member_update as member_update
from pocketbook.households.member_services import national_id_reveal as national_id_reveal
from pocketbook.households.models import Consent, Household
from pocketbook.households.privacy_hooks import (
    person_names,
    personal_data_erased,
    personal_data_erasing,
    text_without,
)

household_photo_add = photos.household_photo_add
household_photo_remove = photos.household_photo_remove

PERSONAL_HOUSEHOLD_FIELDS = ("house_no", "address", "phone", "gps_lat", "gps_lng")


# ---------------------------------------------------------------- households


def _require_area_in_scope(*, area_code: str, actor: User | None, field: str = "area_code") -> None:
    area = area_get(area_code)
    if area is None:
        raise ValidationError(
            {field: _("There is no area with the code %(code)s. Choose the area from the list.") % {"code": area_code}}
        )
    if area.level not in ("village", "subdistrict"):
        raise ValidationError({field: _("Choose the village, or at least the subdistrict, of the household.")})
    if actor is not None and not actor.covers(area_code):
        raise ValidationError({field: _("This area is outside your areas.")})


def _validate_gps(lat: Decimal | None, lng: Decimal | None) -> None:
    if (lat is None) != (lng is None):
        raise ValidationError({"gps_lat": _("Give both latitude and longitude, or neither.")})
    if lat is not None and lng is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValidationError({"gps_lat": _("This is not a position on Earth.")})


@transaction.atomic
def household_create(
    *,
    data: HouseholdInput,
    actor: User | None,
    consent: ConsentInput | None = None,
    volunteer: User | None = None,
    source: str = "form",
) -> Household:
    """Register a household; without consent it is kept as an anonymous record."""
    _require_area_in_scope(area_code=data.area_code, actor=actor)
    _validate_gps(data.gps_lat, data.gps_lng)
    household = Household(
        area_code=data.area_code,
        status=data.status,
        household_key=data.household_key.strip(),
        volunteer=volunteer if volunteer is not None else _default_volunteer(actor),
        created_by=actor if actor is not None and actor.is_authenticated else None,
        has_consent=consent is not None,
    )
    if consent is not None:
        for field in PERSONAL_HOUSEHOLD_FIELDS:
            value = getattr(data, field)
            setattr(household, field, value.strip() if isinstance(value, str) else value)
    household.full_clean()
    household.save()
    record_change(obj=household, action=Action.CREATE, actor=actor)
    events.household_created(household=household, actor=actor, source=source)
    if consent is not None:
        _consent_create(household=household, consent=consent, actor=actor)
    household_changed_notify(household, None, None)
    return household


def _default_volunteer(actor: User | None) -> User | None:
    if actor is not None and getattr(actor, "is_authenticated", False) and actor.has_role("volunteer"):
        return actor
    return None


@transaction.atomic
def household_update(
    *, household: Household, data: HouseholdInput, actor: User | None, volunteer: User | None = None
) -> Household:
    """Change a household's details; personal ones only when the household has consent."""
    if data.area_code != household.area_code:
        _require_area_in_scope(area_code=data.area_code, actor=actor)
    _validate_gps(data.gps_lat, data.gps_lng)
    before = snapshot(household)
    before_area_code, before_status = household.area_code, household.status
    household.area_code = data.area_code
    household.status = data.status
    if volunteer is not None:
        household.volunteer = volunteer
    if household.has_consent:
        for field in PERSONAL_HOUSEHOLD_FIELDS:
            value = getattr(data, field)
            setattr(household, field, value.strip() if isinstance(value, str) else value)
    household.full_clean()
    household.save()
    changed = changed_fields(before, snapshot(household))
    if changed:
        record_change(obj=household, action=Action.UPDATE, actor=actor, before=before)
        events.household_updated(household=household, actor=actor, fields=changed)
    if (before_area_code, before_status) != (household.area_code, household.status):
        household_changed_notify(household, before_area_code, before_status)
    return household


# ---------------------------------------------------------------- consent


def _consent_create(*, household: Household, consent: ConsentInput, actor: User | None) -> Consent:
    purposes = [p for p in consent.purposes if p in ConsentPurpose.values]
    if not consent.given_by_name.strip():
        raise ValidationError({"given_by_name": _("Write who gave the consent.")})
    if ConsentPurpose.POCKETBOOK not in purposes:
        raise ValidationError(
            {"purposes": _("Consent must at least cover recording the household in the family pocketbook.")}
        )
    record = Consent(
        household=household,
        given_by_name=consent.given_by_name.strip(),
        given_by_member=consent.given_by_member,
        given_at=consent.given_at or timezone.now(),
        purposes=purposes,
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    record.full_clean()
    record.save()
    record_change(obj=record, action=Action.CREATE, actor=actor)
    events.consent_given(household=household, actor=actor, consent_id=record.pk, purposes=purposes)
    return record


@transaction.atomic
def consent_record(*, household: Household, consent: ConsentInput, actor: User | None) -> Consent:
    """Record consent; from now on the household's personal data may be kept."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    for active in household.consents.filter(withdrawn_at__isnull=True):
        before = snapshot(active)
        active.withdrawn_at = timezone.now()
        active.withdrawn_reason = _("Replaced by a newer consent.")
        active.save(update_fields=["withdrawn_at", "withdrawn_reason", "updated_at"])
        record_change(obj=active, action=Action.UPDATE, actor=actor, before=before)
    record = _consent_create(household=household, consent=consent, actor=actor)
    if not household.has_consent:
        before = snapshot(household)
        household.has_consent = True
        household.save(update_fields=["has_consent", "updated_at"])
        record_change(obj=household, action=Action.UPDATE, actor=actor, before=before)
    return record


@transaction.atomic
def consent_withdraw(*, household: Household, actor: User | None, reason: str = "") -> Household:
    """Withdraw consent and erase the household's personal data, keeping an anonymous record for statistics."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    people = list(household.members.all())
    personal_data_erasing(members=people)
    # The reason is typed now, after the erasure hooks ran: it must not bring a name back.
    reason = text_without(reason.strip(), [name for member in people for name in person_names(member)])
    latest_id = None
    # Every consent loses the giver's name, the replaced ones too; the active ones are withdrawn.
    for consent in household.consents.all():
        before = snapshot(consent)
        if consent.withdrawn_at is None:
            consent.withdrawn_at = timezone.now()
            consent.withdrawn_reason = reason[:300]
            latest_id = consent.pk
        consent.given_by_name = "-"
        consent.given_by_member = None
        consent.save(
            update_fields=["withdrawn_at", "withdrawn_reason", "given_by_name", "given_by_member", "updated_at"]
        )
        record_change(obj=consent, action=Action.UPDATE, actor=actor, before=before)
    before = snapshot(household)
    household_anonymise(household=household)
    household.save()
    record_change(obj=household, action=Action.UPDATE, actor=actor, before=before)
    for member in household.members.all():
        member_before = snapshot(member)
        member_anonymise(member=member)
        member.save()
        record_change(obj=member, action=Action.UPDATE, actor=actor, before=member_before)
    photos.household_photos_erase(household=household, actor=actor)
    personal_data_erased(household=household, members=list(household.members.all()))
    events.consent_withdrawn(household=household, actor=actor, consent_id=latest_id)
    return household


def household_anonymise(*, household: Household) -> None:
    """Blank the household's personal fields in memory (the caller saves)."""
    household.has_consent = False
    household.house_no = ""
    household.address = ""
    household.phone = ""
    household.gps_lat = None
    household.gps_lng = None
