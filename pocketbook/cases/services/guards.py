"""What every cases service checks first: permission, scope, an open case, text and amounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from pocketbook.accounts.models import User
from pocketbook.audit.models import Action
from pocketbook.audit.services import record_change
from pocketbook.cases.models import (
    Case,
    PlanItem,
)
from pocketbook.core.numbers import NumberInput, parse_decimal

MAX_AMOUNT = Decimal("9999999999.99")


class PlanItemConflict(Exception):
    """Someone else saved the plan item since it was read: nothing was saved; `current` is what is stored now."""

    def __init__(self, current: PlanItem) -> None:
        super().__init__(
            _(
                "Someone else changed this plan item while you were editing it. Nothing was saved: "
                "check the current version below and make your change again."
            )
        )
        self.current = current


# --- small guards


def _require(actor: User, permission: str) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_perm(permission):
        raise PermissionDenied


def _require_scope(model: Any, obj: Any, actor: User, action: str) -> None:
    """Refuse when `obj` lies outside what `actor` may `action` (the services are given fetched objects)."""
    if not model.objects.for_user(actor, action).filter(pk=obj.pk).exists():
        raise PermissionDenied


def _text(value: Any, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise ValidationError({field: _("%(field)s is required.") % {"field": label}})
    if len(text) > max_length:
        raise ValidationError(
            {field: _("%(field)s is too long: at most %(limit)s characters.") % {"field": label, "limit": max_length}}
        )
    return text


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationError({"case": _("The case is closed. Re-open it first.")})


def _audit_update(obj: Any, before: dict[str, Any], actor: User | None) -> None:
    record_change(obj=obj, action=Action.UPDATE, actor=actor, before=before)


def parse_amount(value: NumberInput, *, field: str = "amount") -> Decimal:
    """A positive amount in baht with at most two decimals, as people write it ("1,500.50", "๑๕๐๐")."""
    try:
        amount = parse_decimal(value, max_digits=12, decimal_places=2)
    except ValidationError as error:
        if error.code == "max_decimal_places":
            raise ValidationError({field: _("The amount may have at most two decimals (satang).")}) from None
        if error.code == "max_whole_digits":
            raise ValidationError({field: _("The amount is too large.")}) from None
        raise ValidationError(
            {field: _("Write the amount in baht as a number, for example 1500 or 1500.50.")}
        ) from None
    if amount <= 0:
        raise ValidationError({field: _("The amount must be more than 0 baht.")})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: _("The amount is too large.")})
    return amount.quantize(Decimal("0.01"))


def fiscal_year_be(day: dt.date) -> int:
    """The Thai fiscal year of a date in the Buddhist Era (1 October 2566 starts fiscal year 2567)."""
    return (day.year + 1 if day.month >= 10 else day.year) + 543
