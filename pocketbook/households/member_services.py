"""Every write to members: add, change, move, end, and reading a national ID in full. `services` re-exports them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pocketbook.accounts.models import User
from pocketbook.audit.models import Action
from pocketbook.audit.services import changed_fields, record_access, record_change, snapshot
from pocketbook.households import events, national_id, rules
from pocketbook.households.choices import HouseholdStatus, MemberStatus, Relation
from pocketbook.households.inputs import MemberInput, PossibleDuplicate
from pocketbook.households.models import DuplicateOverride, Household, Member, MemberMove

logger = logging.getLogger(__name__)

UNMASK_PERMISSION = "households.unmask_national_id"
PERSONAL_MEMBER_FIELDS = ("title", "first_name", "last_name", "occupation")


def _check_member_facts(*, household: Household, data: MemberInput, exclude_pk: int | None) -> None:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if problem := rules.birth_date_problem(data.birth_date, today=today):
        errors.setdefault("birth_date", []).append(problem)
    if problem := rules.income_problem(data.monthly_income):
        errors.setdefault("monthly_income", []).append(problem)
    if data.relation not in Relation.values:
        errors.setdefault("relation", []).append(_("Choose the relation to the head of household."))
    elif "birth_date" not in errors:
        others = [
            (m.relation, m.birth_date)
            for m in household.members.filter(status=MemberStatus.ACTIVE).exclude(pk=exclude_pk or 0)
        ]
        if data.relation == Relation.HEAD and any(rel == Relation.HEAD for rel, _born in others):
            errors.setdefault("relation", []).append(_("This household already has a head. Change that first."))
        elif problem := rules.relation_problem(relation=data.relation, birth_date=data.birth_date, others=others):
            # A head's relation is not in doubt: what contradicts the others is the head's date of birth.
            errors.setdefault("birth_date" if data.relation == Relation.HEAD else "relation", []).append(problem)
    if household.has_consent and not (data.first_name.strip() and data.last_name.strip()):
        errors.setdefault("first_name", []).append(_("Write the first and last name."))
    if errors:
        raise ValidationError(errors)


def _protected_id(
    *, household: Household, data: MemberInput, exclude_pk: int | None, actor: User | None
) -> national_id.StoredId | None:
    if not household.has_consent or not data.national_id.strip():
        if household.has_consent and not data.national_id.strip() and not data.no_id_reason:
            raise ValidationError({"no_id_reason": _("Give the national ID, or say why there is none.")})
        return None
    try:
        number = national_id.validate(data.national_id)
    except ValidationError as error:
        raise ValidationError({"national_id": error.messages}) from None
    stored = national_id.protect(number)
    elsewhere = (
        Member.objects.filter(national_id_hash=stored.lookup_hash, status=MemberStatus.ACTIVE)
        .exclude(pk=exclude_pk or 0)
        .select_related("household")
        .first()
    )
    if elsewhere is not None:
        if elsewhere.household_id == household.pk:
            message = _("This person is already a member of this household.")
        elif Household.objects.for_user(actor).filter(pk=elsewhere.household_id).exists():
            message = _(
                "This person is already an active member of another household (number %(number)s). "
                "Move them from there instead of adding them again."
            ) % {"number": elsewhere.household_id}
        else:
            # Say no more than the rule needs: naming a household outside the user's areas would
            # tell anyone who types an ID where that person lives.
            message = _(
                "This person is already an active member of a household outside your areas. "
                "Ask the office to move them instead of adding them again."
            )
        raise ValidationError({"national_id": message})
    return stored


def _no_id_matches(*, household: Household, data: MemberInput, exclude_pk: int | None) -> list[Member]:
    if not data.first_name.strip():
        return []
    return list(
        Member.objects.filter(
            status=MemberStatus.ACTIVE,
            first_name=data.first_name.strip(),
            last_name=data.last_name.strip(),
            birth_date=data.birth_date,
            household__area_code__startswith=household.subdistrict_code,
        ).exclude(pk=exclude_pk or 0)[:5]
    )


def _apply(member: Member, data: MemberInput, *, household: Household) -> None:
    for field in dataclasses.fields(MemberInput):
        if field.name == "national_id":
            continue
        value = getattr(data, field.name)
        setattr(member, field.name, value.strip() if isinstance(value, str) else value)
    if not household.has_consent:
        member_anonymise(member=member)


@transaction.atomic
def member_add(
    *, household: Household, data: MemberInput, actor: User | None, duplicate_override_reason: str = ""
) -> Member:
    """Add a person to a household, refusing a second active membership and warning of likely duplicates."""
    _check_member_facts(household=household, data=data, exclude_pk=None)
    stored = _protected_id(household=household, data=data, exclude_pk=None, actor=actor)
    matches: list[Member] = []
    if stored is None and household.has_consent:
        matches = _no_id_matches(household=household, data=data, exclude_pk=None)
        if matches and not duplicate_override_reason.strip():
            raise PossibleDuplicate(matches)
    member = Member(household=household)
    _apply(member, data, household=household)
    if stored is not None:
        member.national_id_encrypted = stored.encrypted
        member.national_id_hash = stored.lookup_hash
        member.national_id_last_digit = stored.last_digit
        member.no_id_reason = ""
    member.full_clean(validate_constraints=False)
    _save_guarded(member)
    if matches:
        DuplicateOverride.objects.create(
            member=member,
            matched_member_ids=[m.pk for m in matches],
            reason=duplicate_override_reason.strip()[:300],
            actor=actor if actor is not None and actor.is_authenticated else None,
        )
        logger.info("member %s added despite possible duplicates %s", member.pk, [m.pk for m in matches])
    record_change(obj=member, action=Action.CREATE, actor=actor)
    events.member_added(member=member, actor=actor)
    return member


def _save_guarded(member: Member) -> None:
    """Save, turning a race on the one-active-membership rule into a clear field error."""
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as error:
        text = str(error)
        if "one_head" in text or "relation" in text:
            raise ValidationError({"relation": _("This household already has a head. Change that first.")}) from None
        raise ValidationError(
            {"national_id": _("This person is already an active member of another household.")}
        ) from None


@transaction.atomic
def member_update(
    *, member: Member, data: MemberInput, actor: User | None, change_national_id: bool = False
) -> Member:
    """Change a member's details; the ID changes only when `change_national_id` (the form left it masked)."""
    if not member.is_active:
        raise ValidationError({"status": _("Only a member who still lives here can be changed.")})
    household = member.household
    _check_member_facts(household=household, data=data, exclude_pk=member.pk)
    before = snapshot(member)
    old_hash = member.national_id_hash
    stored = None
    if change_national_id:
        stored = _protected_id(household=household, data=data, exclude_pk=member.pk, actor=actor)
    _apply(member, data, household=household)
    if change_national_id:
        member.national_id_encrypted = stored.encrypted if stored else ""
        member.national_id_hash = stored.lookup_hash if stored else ""
        member.national_id_last_digit = stored.last_digit if stored else ""
    if member.national_id_hash:
        member.no_id_reason = ""
    elif household.has_consent and not member.no_id_reason:
        raise ValidationError({"no_id_reason": _("Give the national ID, or say why there is none.")})
    member.full_clean(validate_constraints=False)
    _save_guarded(member)
    changed = changed_fields(before, snapshot(member))
    if member.national_id_hash != old_hash:
        changed.append("national_id")
    if changed:
        record_change(obj=member, action=Action.UPDATE, actor=actor, before=before)
        events.member_updated(member=member, actor=actor, fields=changed)
    return member


@transaction.atomic
def member_move(
    *, member: Member, to_household: Household, actor: User | None, reason: str, moved_on: dt.date | None = None
) -> Member:
    """Move a person to another household: the old membership ends, a new one starts; both timelines say so."""
    member = Member.objects.select_for_update().select_related("household").get(pk=member.pk)
    if not member.is_active:
        raise ValidationError({"member": _("This person no longer lives in this household.")})
    if to_household.pk == member.household_id:
        raise ValidationError({"to_household": _("Choose a different household.")})
    if to_household.status != HouseholdStatus.ACTIVE:
        raise ValidationError({"to_household": _("The household to move to is not active.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the person moves.")})
    if not to_household.has_consent and member.household.has_consent:
        raise ValidationError(
            {"to_household": _("The household to move to has not given consent; record its consent first.")}
        )
    moved_on = moved_on or timezone.localdate()
    if moved_on > timezone.localdate():
        raise ValidationError({"moved_on": _("The move date cannot be in the future.")})
    if member.birth_date and moved_on < member.birth_date:
        raise ValidationError({"moved_on": _("The move date cannot be before the person was born.")})
    before = snapshot(member)
    member.status = MemberStatus.MOVED
    member.status_date = moved_on
    member.save(update_fields=["status", "status_date", "updated_at"])
    relation = member.relation
    if relation == Relation.HEAD:
        relation = Relation.RELATIVE
    new_member = Member(household=to_household)
    for field in Member._meta.concrete_fields:
        if field.primary_key or field.name in {
            "household",
            "status",
            "status_date",
            "moved_to",
            "created_at",
            "updated_at",
        }:
            continue
        setattr(new_member, field.attname, getattr(member, field.attname))
    new_member.relation = relation if relation != Relation.HEAD else Relation.RELATIVE
    others = [(m.relation, m.birth_date) for m in to_household.members.filter(status=MemberStatus.ACTIVE)]
    if problem := rules.relation_problem(
        relation=new_member.relation, birth_date=new_member.birth_date, others=others
    ):
        new_member.relation = Relation.RELATIVE
        logger.info(
            "moved member %s: relation %s contradicted ages (%s); set to relative", member.pk, relation, problem
        )
    _save_guarded(new_member)
    member.moved_to = new_member
    member.save(update_fields=["moved_to", "updated_at"])
    MemberMove.objects.create(
        from_member=member,
        to_member=new_member,
        reason=reason.strip()[:300],
        moved_on=moved_on,
        actor=actor if actor is not None and actor.is_authenticated else None,
    )
    record_change(obj=member, action=Action.UPDATE, actor=actor, before=before)
    record_change(obj=new_member, action=Action.CREATE, actor=actor)
    events.member_moved(from_member=member, to_member=new_member, actor=actor)
    return new_member


@transaction.atomic
def member_end(*, member: Member, status: str, on: dt.date, actor: User | None) -> Member:
    """Record that a member died or left the area."""
    if status not in (MemberStatus.DIED, MemberStatus.LEFT):
        raise ValidationError({"status": _("Choose died or left the area.")})
    if not member.is_active:
        raise ValidationError({"status": _("This person no longer lives in this household.")})
    if on > timezone.localdate():
        raise ValidationError({"status_date": _("The date cannot be in the future.")})
    before = snapshot(member)
    member.status = status
    member.status_date = on
    member.save(update_fields=["status", "status_date", "updated_at"])
    record_change(obj=member, action=Action.UPDATE, actor=actor, before=before)
    events.member_status_changed(member=member, actor=actor)
    return member


def national_id_reveal(*, member: Member, actor: User | None) -> str:
    """Return a member's full national ID to a role allowed to see it, and write the read to the access log."""
    if actor is None or not actor.has_perm(UNMASK_PERMISSION):
        raise PermissionDenied
    if not member.national_id_encrypted:
        return ""
    number = national_id.reveal(member.national_id_encrypted)
    record_access(obj=member, actor=actor, purpose="national ID unmasked")
    return national_id.display(number)


def member_anonymise(*, member: Member) -> None:
    """Blank a member's personal fields in memory, keeping what statistics need (the caller saves)."""
    for field in PERSONAL_MEMBER_FIELDS:
        setattr(member, field, "")
    member.national_id_encrypted = ""
    member.national_id_hash = ""
    member.national_id_last_digit = ""
    member.birth_date = dt.date(member.birth_date.year, 7, 1)
    member.birth_year_only = True
