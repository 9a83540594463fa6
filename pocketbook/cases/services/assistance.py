"""Funds, their budgets, assistance paid from them, and follow-ups of a case."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from pocketbook.accounts.models import User
from pocketbook.audit.models import Action
from pocketbook.audit.services import record_change, snapshot
from pocketbook.cases import events, listeners
from pocketbook.cases.choices import (
    AssistanceKind,
    CaseEventKind,
)
from pocketbook.cases.models import (
    Assistance,
    Case,
    FollowUp,
    Fund,
    FundBudget,
    FundSpending,
)
from pocketbook.cases.services.cases import case_refresh
from pocketbook.cases.services.guards import (
    _audit_update,
    _require,
    _require_open,
    _require_scope,
    _text,
    fiscal_year_be,
    parse_amount,
)
from pocketbook.core.dates import format_date
from pocketbook.core.numbers import NumberInput
from pocketbook.households.models import Household, Member

# --- funds and assistance ---------------------------------------------------------------------


@transaction.atomic
def fund_create(*, name: str, owner: str, area_code: str, actor: User) -> Fund:
    """Add a fund serving an area."""
    _require(actor, "cases.add_fund")
    if not actor.covers(area_code):
        raise ValidationError({"area_code": _("The area is outside your areas.")})
    fund = Fund(
        name=_text(name, field="name", label=_("Name"), max_length=200),
        owner=_text(owner, field="owner", label=_("Owner"), max_length=200),
        area_code=area_code,
    )
    fund.full_clean()
    fund.save()
    record_change(obj=fund, action=Action.CREATE, actor=actor)
    return fund


@transaction.atomic
def fund_budget_set(*, fund: Fund, fiscal_year: int, amount: NumberInput, actor: User) -> FundBudget:
    """Set a fund's budget for a fiscal year (BE); it cannot go below what was already given that year."""
    _require(actor, "cases.change_fundbudget")
    _require_scope(Fund, fund, actor, "change")
    if not isinstance(fiscal_year, int) or not 2500 <= fiscal_year <= 2700:
        raise ValidationError({"fiscal_year": _("Write the fiscal year in the Buddhist Era, for example 2568.")})
    value = Decimal("0") if str(amount).strip() in ("0", "0.00") else parse_amount(amount)
    used = fund_used(fund=fund, fiscal_year=fiscal_year)
    if value < used:
        raise ValidationError(
            {
                "amount": _("%(used)s baht were already given in %(year)s: the budget cannot be less.")
                % {"used": f"{used:,.2f}", "year": fiscal_year}
            }
        )
    budget = FundBudget.objects.filter(fund=fund, fiscal_year=fiscal_year).first()
    if budget is None:
        budget = FundBudget.objects.create(fund=fund, fiscal_year=fiscal_year, amount=value)
        record_change(obj=budget, action=Action.CREATE, actor=actor)
    else:
        before = snapshot(budget)
        budget.amount = value
        budget.save(update_fields=["amount"])
        _audit_update(budget, before, actor)
    return budget


def fund_used(*, fund: Fund, fiscal_year: int, besides_spender: str = "") -> Decimal:
    """What a fund has given (reversals subtracted) and what other apps spent of it (training) in a fiscal year;
    `besides_spender` leaves that spender's own recorded amount out (it is about to be replaced)."""
    given = Assistance.objects.filter(fund=fund, fiscal_year=fiscal_year).aggregate(total=Sum("amount"))["total"]
    spent = (
        FundSpending.objects.filter(fund=fund, fiscal_year=fiscal_year)
        .exclude(spender=besides_spender)
        .aggregate(total=Sum("amount"))["total"]
    )
    return Decimal((given or 0) + (spent or 0)).quantize(Decimal("0.01"))


@transaction.atomic
def fund_spending_record(
    *, fund: Fund | None, fiscal_year: int, amount: Decimal, spender: str, label: str, actor: User
) -> FundSpending | None:
    """Record what `spender` (another app's activity) spends of `fund` in a fiscal year, replacing its earlier
    record; refused with the figures when it does not fit in the year's remaining budget. No fund (or nothing
    spent): the spender's earlier record is taken back."""
    current = FundSpending.objects.select_for_update().filter(spender=spender).first()
    if fund is None or amount <= 0:
        if current is not None:
            record_change(obj=current, action=Action.DELETE, actor=actor, before=snapshot(current))
            current.delete()
        return None
    budget, used = _budget_and_used(fund=fund, fiscal_year=fiscal_year, besides_spender=spender)
    if amount > budget.amount - used:
        raise ValidationError(
            _(
                "Over budget: %(fund)s has %(budget)s baht for fiscal year %(year)s, %(used)s already given or "
                "spent, %(remaining)s remaining; this spends %(amount)s."
            )
            % _figures(fund=fund, budget=budget, used=used, amount=amount)
        )
    before = snapshot(current) if current is not None else None
    spending = current or FundSpending(spender=spender)
    spending.fund, spending.fiscal_year, spending.amount, spending.label = fund, fiscal_year, amount, label[:300]
    spending.save()
    record_change(obj=spending, action=Action.UPDATE if before else Action.CREATE, actor=actor, before=before)
    return spending


@transaction.atomic
def assistance_record(
    *,
    household: Household,
    kind: str,
    amount: NumberInput,
    given_on: dt.date,
    actor: User,
    fund: Fund | None = None,
    case: Case | None = None,
    member: Member | None = None,
    description: str = "",
) -> Assistance:
    """Record assistance given; from a fund it must fit in the fund's remaining budget for that fiscal year."""
    _require(actor, "cases.add_assistance")
    _require_scope(Household, household, actor, "view")
    if kind not in AssistanceKind.values:
        raise ValidationError({"kind": _("Choose what was given.")})
    value = parse_amount(amount)
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("The date is in the future.")})
    if case is not None and case.household_id != household.pk:
        raise ValidationError({"case": _("The case belongs to another household.")})
    if member is not None and member.household_id != household.pk:
        raise ValidationError({"member": _("The member belongs to another household.")})
    year = fiscal_year_be(given_on)
    if fund is not None:
        _require_scope(Fund, fund, actor, "view")
        _check_budget(fund=fund, fiscal_year=year, amount=value)
    entry = Assistance(
        household=household,
        case=case,
        member=member,
        kind=kind,
        description=_text(description, field="description", label=_("Description"), max_length=300, required=False),
        amount=value,
        fund=fund,
        fiscal_year=year,
        given_on=given_on,
        given_by=actor,
    )
    entry.save()
    record_change(obj=entry, action=Action.CREATE, actor=actor)
    listeners.assistance_recorded(entry)
    if case is not None:
        events.case_event(
            case=case, kind=CaseEventKind.ASSISTANCE_RECORDED, actor=actor, assistance_id=entry.pk, kind_code=kind
        )
        case_refresh(case)
    return entry


def _budget_and_used(*, fund: Fund, fiscal_year: int, besides_spender: str = "") -> tuple[FundBudget, Decimal]:
    # Lock the year's budget row so two recordings at once cannot both fit in the same remainder.
    budget = FundBudget.objects.select_for_update().filter(fund=fund, fiscal_year=fiscal_year).first()
    if budget is None:
        raise ValidationError(
            {"fund": _("%(fund)s has no budget for fiscal year %(year)s.") % {"fund": fund, "year": fiscal_year}}
        )
    return budget, fund_used(fund=fund, fiscal_year=fiscal_year, besides_spender=besides_spender)


def _figures(*, fund: Fund, budget: FundBudget, used: Decimal, amount: Decimal) -> dict[str, Any]:
    return {
        "fund": fund,
        "budget": f"{budget.amount:,.2f}",
        "year": budget.fiscal_year,
        "used": f"{used:,.2f}",
        "remaining": f"{budget.amount - used:,.2f}",
        "amount": f"{amount:,.2f}",
    }


def _check_budget(*, fund: Fund, fiscal_year: int, amount: Decimal) -> None:
    budget, used = _budget_and_used(fund=fund, fiscal_year=fiscal_year)
    if amount > budget.amount - used:
        raise ValidationError(
            {
                "amount": _(
                    "Over budget: %(fund)s has %(budget)s baht for fiscal year %(year)s, %(used)s already "
                    "given, %(remaining)s remaining; this entry asks for %(amount)s."
                )
                % _figures(fund=fund, budget=budget, used=used, amount=amount)
            }
        )


@transaction.atomic
def assistance_reverse(*, assistance: Assistance, reason: str, actor: User) -> Assistance:
    """Undo an entry by a counter-entry with the negative amount and a reason; the entry itself stays."""
    _require(actor, "cases.add_assistance")
    _require_scope(Assistance, assistance, actor, "change")
    reason = _text(reason, field="reason", label=_("Reason"), max_length=300)
    if assistance.is_reversal:
        raise ValidationError({"assistance": _("A reversal cannot be reversed.")})
    if Assistance.objects.filter(reverses=assistance).exists():
        raise ValidationError({"assistance": _("This entry is already reversed.")})
    counter = Assistance(
        household_id=assistance.household_id,
        case=assistance.case,
        member=assistance.member,
        kind=assistance.kind,
        description=assistance.description,
        amount=-assistance.amount,
        fund=assistance.fund,
        fiscal_year=assistance.fiscal_year,
        given_on=timezone.localdate(),
        given_by=actor,
        reverses=assistance,
        reversal_reason=reason,
    )
    counter.save()
    record_change(obj=counter, action=Action.CREATE, actor=actor)
    listeners.assistance_recorded(counter)
    if assistance.case is not None:
        events.case_event(
            case=assistance.case,
            kind=CaseEventKind.ASSISTANCE_REVERSED,
            actor=actor,
            assistance_id=assistance.pk,
            reversal_id=counter.pk,
        )
    return counter


# --- follow-up --------------------------------------------------------------------------------


@transaction.atomic
def followup_record(
    *, case: Case, visited_on: dt.date, note: str, actor: User, next_visit_on: dt.date | None = None
) -> FollowUp:
    """Record a follow-up visit and when to visit next; the case is no longer stale."""
    _require(actor, "cases.add_followup")
    _require_scope(Case, case, actor, "view")
    _require_open(case)
    today = timezone.localdate()
    if visited_on > today:
        raise ValidationError({"visited_on": _("The visit date is in the future.")})
    if visited_on < case.opened_on:
        raise ValidationError(
            {
                "visited_on": _("The visit is before the case was opened (%(date)s).")
                % {"date": format_date(case.opened_on)}
            }
        )
    if next_visit_on is not None and next_visit_on <= visited_on:
        raise ValidationError({"next_visit_on": _("The next visit must come after this one.")})
    visit = FollowUp(
        case=case,
        visited_on=visited_on,
        note=_text(note, field="note", label=_("Note"), max_length=2000),
        next_visit_on=next_visit_on,
        visited_by=actor,
    )
    visit.save()
    record_change(obj=visit, action=Action.CREATE, actor=actor)
    if visited_on > case.last_contact_on:
        case.last_contact_on = visited_on
        Case.objects.filter(pk=case.pk).update(last_contact_on=visited_on)
    events.case_event(case=case, kind=CaseEventKind.FOLLOW_UP, actor=actor, follow_up_id=visit.pk)
    case_refresh(case)
    return visit
