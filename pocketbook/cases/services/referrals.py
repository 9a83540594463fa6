"""Referrals to agencies: made, answered through their reply link, revoked."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pocketbook.accounts.models import User
from pocketbook.audit.models import Action
from pocketbook.audit.services import record_change, snapshot
from pocketbook.cases import events, listeners
from pocketbook.cases.choices import (
    CaseEventKind,
    NeedStatus,
    ReferralStatus,
)
from pocketbook.cases.models import (
    Agency,
    Case,
    Need,
    Referral,
)
from pocketbook.cases.rules import referral_answer_days
from pocketbook.cases.services.cases import case_refresh
from pocketbook.cases.services.guards import (
    _audit_update,
    _require,
    _require_open,
    _require_scope,
    _text,
)
from pocketbook.households.choices import ConsentPurpose
from pocketbook.households.models import Consent, Household


def household_consents_to_sharing(household: Household) -> bool:
    """True when the household's current consent covers sharing with agencies to arrange help."""
    consent = Consent.objects.filter(household=household, withdrawn_at__isnull=True).order_by("-given_at").first()
    return consent is not None and ConsentPurpose.ASSISTANCE in consent.purposes


@transaction.atomic
def referral_create(
    *,
    case: Case,
    agency: Agency,
    request: str,
    actor: User,
    need: Need | None = None,
    consent_override_reason: str = "",
    confirm_outside_area: bool = False,
) -> Referral:
    """Refer the case to an agency for a need.

    Without the household's consent to share with agencies, an override reason is required (and audited).
    An agency that does not cover the household's area is refused until the sender confirms.
    """
    _require(actor, "cases.add_referral")
    _require_scope(Case, case, actor, "change")
    _require_open(case)
    household = case.household
    request = _text(request, field="request", label=_("What we ask of the agency"), max_length=2000)
    if not agency.is_active:
        raise ValidationError({"agency": _("This agency is no longer active.")})
    if need is not None and need.household_id != case.household_id:
        raise ValidationError({"need": _("The need belongs to another household.")})
    override = _text(
        consent_override_reason, field="consent_override_reason", label=_("Reason"), max_length=500, required=False
    )
    if household_consents_to_sharing(household):
        override = ""
    elif not override:
        raise ValidationError(
            {
                "consent_override_reason": _(
                    "The household has not consented to sharing with agencies. "
                    "Give the reason for sending anyway (it is recorded)."
                )
            }
        )
    if not agency.covers(household.area_code) and not confirm_outside_area:
        raise ValidationError(
            {
                "confirm_outside_area": _("%(agency)s does not cover this household's area. Tick to send anyway.")
                % {"agency": agency}
            }
        )
    referral = Referral(
        case=case,
        need=need,
        agency=agency,
        request=request,
        answer_due_on=timezone.localdate() + dt.timedelta(days=referral_answer_days()),
        consent_override_reason=override,
        outside_area_confirmed=not agency.covers(household.area_code),
        reply_nonce=secrets.token_hex(8),
        created_by=actor,
    )
    referral.save()
    if need is not None and need.case_id is None:
        Need.objects.filter(pk=need.pk).update(case=case, status=NeedStatus.ACCEPTED, updated_at=timezone.now())
    record_change(obj=referral, action=Action.CREATE, actor=actor)
    events.case_event(
        case=case,
        kind=CaseEventKind.REFERRAL_SENT,
        actor=actor,
        referral_id=referral.pk,
        agency_id=agency.pk,
        consent_override=bool(override),
    )
    case_refresh(case)
    listeners.referral_changed(referral)
    return referral


ANSWERS: dict[str, tuple[str, ...]] = {
    ReferralStatus.SENT: (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.DONE),
    ReferralStatus.ACCEPTED: (ReferralStatus.DECLINED, ReferralStatus.DONE),
}


@transaction.atomic
def referral_answer(
    *,
    referral: Referral,
    status: str,
    answered_by_name: str,
    actor: User | None = None,
    reason: str = "",
    note: str = "",
) -> Referral:
    """Record the agency's answer: accepted, declined (reason required) or done (note required).

    Called from the reply link (no user: the agency has no account) or by a worker who took the answer by phone.
    """
    if actor is not None:
        _require(actor, "cases.change_referral")
        _require_scope(Referral, referral, actor, "change")
    referral = Referral.objects.select_for_update().select_related("case__household").get(pk=referral.pk)
    if status not in ANSWERS.get(referral.status, ()):
        raise ValidationError({"status": _("This referral cannot take that answer any more.")})
    name = _text(answered_by_name, field="answered_by_name", label=_("Your name"), max_length=200)
    reason = _text(
        reason, field="reason", label=_("Reason"), max_length=500, required=status == ReferralStatus.DECLINED
    )
    note = _text(note, field="note", label=_("Note"), max_length=2000, required=status == ReferralStatus.DONE)
    before = snapshot(referral)
    referral.status, referral.answered_by_name, referral.answered_at = status, name, timezone.now()
    if status == ReferralStatus.DECLINED:
        referral.decline_reason = reason
    if status == ReferralStatus.DONE:
        referral.agency_note = note
    referral.save(
        update_fields=["status", "answered_by_name", "answered_at", "decline_reason", "agency_note", "updated_at"]
    )
    _audit_update(referral, before, actor)
    events.case_event(
        case=referral.case,
        kind=CaseEventKind.REFERRAL_ANSWERED,
        actor=actor,
        referral_id=referral.pk,
        status=status,
        via_link=actor is None,
    )
    case_refresh(referral.case)
    listeners.referral_changed(referral, before=before)
    return referral


@transaction.atomic
def referral_revoke(*, referral: Referral, reason: str, actor: User) -> Referral:
    """Withdraw a referral that is not done; its reply link stops working."""
    _require(actor, "cases.change_referral")
    _require_scope(Referral, referral, actor, "change")
    if referral.status not in (ReferralStatus.SENT, ReferralStatus.ACCEPTED):
        raise ValidationError({"referral": _("Only a referral that is sent or accepted can be revoked.")})
    before = snapshot(referral)
    referral.revoked_reason = _text(reason, field="reason", label=_("Reason"), max_length=500)
    referral.status = ReferralStatus.REVOKED
    referral.save(update_fields=["status", "revoked_reason", "updated_at"])
    _audit_update(referral, before, actor)
    events.case_event(case=referral.case, kind=CaseEventKind.REFERRAL_REVOKED, actor=actor, referral_id=referral.pk)
    case_refresh(referral.case)
    listeners.referral_changed(referral, before=before)
    return referral
