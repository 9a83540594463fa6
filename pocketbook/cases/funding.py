"""The cases app's funds as funding sources for other apps (see pocketbook/core/funding.py)."""

from __future__ import annotations

from typing import Any

from pocketbook.cases.models import Fund
from pocketbook.cases.selectors import funds_for
from pocketbook.core.funding import FundingProvider, FundingSource

PREFIX = "cases.fund:"


def _source(fund: Fund) -> FundingSource:
    return FundingSource(reference=f"{PREFIX}{fund.pk}", name=fund.name)


def choices(*, viewer: Any) -> list[FundingSource]:
    return [_source(fund) for fund in funds_for(viewer=viewer).order_by("name", "id")[:200]]


def get(*, viewer: Any, reference: str) -> FundingSource | None:
    number = reference.removeprefix(PREFIX)
    if not reference.startswith(PREFIX) or not number.isdigit():
        return None
    fund = funds_for(viewer=viewer).filter(pk=int(number)).first()
    return _source(fund) if fund is not None else None


def find(*, name: str) -> FundingSource | None:
    fund = Fund.objects.filter(name=name, is_active=True).order_by("id").first()
    return _source(fund) if fund is not None else None


PROVIDER = FundingProvider(key="cases", choices=choices, get=get, find=find)
