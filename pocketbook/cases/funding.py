"""The cases app's funds as funding sources for other apps (see pocketbook/core/funding.py)."""

from __future__ import annotations

from decimal import Decimal

from pocketbook.accounts.http import AnyUser
from pocketbook.accounts.models import User
from pocketbook.cases.models import Fund
from pocketbook.cases.selectors import funds_for
from pocketbook.cases.services import fund_spending_record
from pocketbook.core.funding import FundingProvider, FundingSource

PREFIX = "cases.fund:"


def _source(fund: Fund) -> FundingSource:
    return FundingSource(reference=f"{PREFIX}{fund.pk}", name=fund.name)


def choices(*, viewer: AnyUser) -> list[FundingSource]:
    return [_source(fund) for fund in funds_for(viewer=viewer).order_by("name", "id")[:200]]


def get(*, viewer: AnyUser, reference: str) -> FundingSource | None:
    number = reference.removeprefix(PREFIX)
    if not reference.startswith(PREFIX) or not number.isdigit():
        return None
    fund = funds_for(viewer=viewer).filter(pk=int(number)).first()
    return _source(fund) if fund is not None else None


def find(*, name: str) -> FundingSource | None:
    fund = Fund.objects.filter(name=name, is_active=True).order_by("id").first()
    return _source(fund) if fund is not None else None


def spend(*, spender: str, reference: str, fiscal_year: int, amount: Decimal, label: str, actor: User) -> None:
    """Count what `spender` spends against the fund's budget of the year (see core.funding.FundingProvider).

    The paying app has already checked the actor may choose the fund (`get`); the fund is read unscoped here so a
    change by someone else later (a manager correcting the amount) is still counted against the same fund.
    """
    number = reference.removeprefix(PREFIX)
    fund = Fund.objects.filter(pk=int(number)).first() if reference.startswith(PREFIX) and number.isdigit() else None
    fund_spending_record(fund=fund, fiscal_year=fiscal_year, amount=amount, spender=spender, label=label, actor=actor)


PROVIDER = FundingProvider(key="cases", choices=choices, get=get, find=find, spend=spend)
