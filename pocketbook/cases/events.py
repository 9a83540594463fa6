"""The case timeline, and the entries cases writes on the household timeline. Parameters hold ids and codes only."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pocketbook.accounts.models import User
from pocketbook.households.timeline import timeline_record

from .choices import CaseEventKind
from .models import Case, CaseEvent

# Kinds cases writes on the household timeline (registered with households in CasesConfig.ready()).
HOUSEHOLD_KINDS: dict[str, str | Promise] = {
    "case_opened": _("Case opened"),
    "case_closed": _("Case closed"),
    "case_reopened": _("Case re-opened"),
    "referral_sent": _("Referred to an agency"),
    "assistance_received": _("Assistance received"),
}
_ON_HOUSEHOLD = {
    CaseEventKind.OPENED: "case_opened",
    CaseEventKind.CLOSED: "case_closed",
    CaseEventKind.REOPENED: "case_reopened",
    CaseEventKind.REFERRAL_SENT: "referral_sent",
    CaseEventKind.ASSISTANCE_RECORDED: "assistance_received",
}


def case_event(*, case: Case, kind: CaseEventKind, actor: User | None, **params: Any) -> CaseEvent:
    """Add an entry to the case's timeline, and to the household's when the kind is one it shows."""
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    event = CaseEvent.objects.create(case=case, kind=kind, params=params, actor=user)
    household_kind = _ON_HOUSEHOLD.get(kind)
    if household_kind is not None:
        timeline_record(
            household=case.household,
            kind=household_kind,
            params={"case_id": case.pk, **params},
            actor=user,
            occurred_at=event.time,
        )
    return event


def describe(event: CaseEvent) -> str:
    """The entry in words, in the active language."""
    return str(CaseEventKind(event.kind).label) if event.kind in CaseEventKind.values else event.kind
