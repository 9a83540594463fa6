"""Funding sources: which funds may pay for an activity, offered by whichever app keeps the funds.

The cases app keeps the funds (cases.Fund) and the volunteers app runs training projects paid by one; the two
sit on the same layer and may not import each other. Cases registers one provider here in its `ready()`; volunteers
asks this module for the funds the viewer may choose. With no provider (cases not installed), projects keep a
free-text budget source.

    funding_provider_register(FundingProvider(key="cases", choices=..., get=..., find=...))
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.contrib.auth.models import AnonymousUser

from pocketbook.core.models import Viewer
from pocketbook.core.registry import Registry


@dataclass(frozen=True)
class FundingSource:
    """One fund as the paying side sees it: a stable reference ("cases.fund:12") and its name."""

    reference: str
    name: str


class FundChoices(Protocol):
    def __call__(self, *, viewer: Viewer | AnonymousUser) -> list[FundingSource]: ...


class FundGet(Protocol):
    def __call__(self, *, viewer: Viewer | AnonymousUser, reference: str) -> FundingSource | None: ...


class FundFind(Protocol):
    def __call__(self, *, name: str) -> FundingSource | None: ...


class FundSpend(Protocol):
    def __call__(
        self, *, spender: str, reference: str, fiscal_year: int, amount: Decimal, label: str, actor: Viewer
    ) -> None: ...


@dataclass(frozen=True)
class FundingProvider:
    """`choices(viewer=)`: the active funds the viewer may choose; `get(viewer=, reference=)`: one of them or None;
    `find(name=)`: a fund by its exact name, for seeding demo data (no viewer);
    `spend(spender=, reference=, fiscal_year=, amount=, label=, actor=)`: record that `spender` (e.g.
    "volunteers.trainingproject:12") spends `amount` of the fund `reference` in `fiscal_year` (BE), replacing what
    it recorded before; `reference` "" (or another provider's) only takes back what `spender` recorded here. Raises
    ValidationError, with the figures, when the amount does not fit in what remains of the year's budget."""

    key: str
    choices: FundChoices
    get: FundGet
    find: FundFind
    spend: FundSpend | None = None


_providers: Registry[FundingProvider] = Registry("funding provider", key=lambda provider: provider.key)


def funding_provider_register(provider: FundingProvider) -> None:
    _providers.register(provider)


def funding_provider_unregister(key: str) -> None:
    """For tests that check the free-text fallback."""
    _providers.unregister(key)


def funding_providers() -> list[FundingProvider]:
    return _providers.items()


def funding_choices(*, viewer: Viewer | AnonymousUser) -> list[FundingSource]:
    """The funds the viewer may choose from every provider; empty when none is registered."""
    return [source for provider in _providers.items() for source in provider.choices(viewer=viewer)]


def funding_source_get(*, viewer: Viewer | AnonymousUser, reference: str) -> FundingSource | None:
    """The fund of that reference when the viewer may choose it, else None."""
    for provider in _providers.items():
        if reference.startswith(f"{provider.key}.") and (found := provider.get(viewer=viewer, reference=reference)):
            return found
    return None


def funding_source_find(*, name: str) -> FundingSource | None:
    """A fund by its exact name (demo seeding), or None."""
    for provider in _providers.items():
        if (found := provider.find(name=name)) is not None:
            return found
    return None


def funding_spend(
    *, spender: str, reference: str, fiscal_year: int, amount: Decimal, label: str, actor: Viewer
) -> None:
    """Record `spender`'s spending against the fund `reference` ("" for none: what it recorded is taken back).

    Every provider is told, so a spender moved from one provider's fund to another's is taken off the first.
    Runs inside the caller's transaction; a ValidationError (over budget) undoes the caller's change too.
    """
    for provider in _providers.items():
        if provider.spend is not None:
            mine = reference if reference.startswith(f"{provider.key}.") else ""
            provider.spend(
                spender=spender, reference=mine, fiscal_year=fiscal_year, amount=amount, label=label, actor=actor
            )
