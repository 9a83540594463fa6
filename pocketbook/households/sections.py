"""What other apps show on the household page and in the household lists: registries they fill in `ready()`.

Households never names another app. An app adds a section to the household page:

    section_register(HouseholdSection("cases", _("Cases"), "cases/_household_section.html", household_cases, order=30))

where `household_cases(viewer, household)` returns the template's context, or None to show nothing to
this viewer (for example one without the app's view permission). The template gets that context plus
`household` and `section`.

A badge on each row of a household list:

    badge_register(HouseholdBadge("open_cases", "cases/_household_badge.html", open_cases_for))

where `open_cases_for(viewer, households)` returns `{household_id: value}` for the whole page in one or
two queries; the template is rendered with `value` and `household` for the households that have one.

A button at the top of the household page, leading to another app's page:

    household_action_register(HouseholdAction("print", _("Print pocketbook"), pocketbook_printout_url))

where `pocketbook_printout_url(viewer, household)` returns the address, or None when this viewer is not offered it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from pocketbook.accounts.models import User
from pocketbook.core.actions import PageAction, actions_offered
from pocketbook.core.registry import Registry
from pocketbook.households.models import Household


@dataclass(frozen=True)
class HouseholdSection:
    """A section of the household page: a title, a template and the context it is rendered with."""

    key: str
    title: str | Promise
    template: str
    context: Callable[[User, Household], dict[str, Any] | None]  # None: nothing to show this viewer
    order: int = 100


@dataclass(frozen=True)
class HouseholdBadge:
    """A badge on each row of a household list.

    `values(viewer, households)` returns `{household_id: value}` for one page in one or two queries;
    households it leaves out get no badge, unless `render_missing`, when the template is rendered with
    `value` None (for example "Not assessed yet").
    """

    key: str
    template: str
    values: Callable[[User, Sequence[Household]], dict[int, Any]]
    order: int = 100
    render_missing: bool = False


# A button at the top of the household page leading to another app's page (a printout, a form).
HouseholdAction = PageAction


_sections: Registry[HouseholdSection] = Registry("household section", key=lambda section: section.key)
_badges: Registry[HouseholdBadge] = Registry("household badge", key=lambda badge: badge.key)
_actions: Registry[PageAction[Household]] = Registry("household action", key=lambda action: action.key)


def section_register(section: HouseholdSection) -> None:
    """Add a section to the household page; a key registered twice is a configuration error."""
    _sections.register(section)


def section_unregister(key: str) -> None:
    """Remove a section (for tests that register their own)."""
    _sections.unregister(key)


def badge_register(badge: HouseholdBadge) -> None:
    """Add a badge to the household lists; a key registered twice is a configuration error."""
    _badges.register(badge)


def badge_unregister(key: str) -> None:
    """Remove a badge (for tests that register their own)."""
    _badges.unregister(key)


def sections_for(*, viewer: User, household: Household) -> list[tuple[HouseholdSection, dict[str, Any]]]:
    """The sections this viewer sees on this household's page, in order, each with its context."""
    shown = []
    for section in _sections.ordered(lambda section: section.order):
        context = section.context(viewer, household)
        if context is not None:
            shown.append((section, context))
    return shown


def badges_for(*, viewer: User, households: Sequence[Household]) -> dict[int, list[tuple[str, Any]]]:
    """For each listed household, the badges to draw: household id -> [(template, value)], in order."""
    drawn: dict[int, list[tuple[str, Any]]] = {household.pk: [] for household in households}
    if not households:
        return drawn
    for badge in _badges.ordered(lambda badge: badge.order):
        values = badge.values(viewer, households)
        for household in households:
            if household.pk in values:
                drawn[household.pk].append((badge.template, values[household.pk]))
            elif badge.render_missing:
                drawn[household.pk].append((badge.template, None))
    return drawn


def household_action_register(action: PageAction[Household]) -> None:
    """Add a button to the household page; a key registered twice is a configuration error."""
    _actions.register(action)


def household_action_unregister(key: str) -> None:
    """Remove an action (for tests that register their own)."""
    _actions.unregister(key)


def household_actions_for(*, viewer: User, household: Household) -> list[dict[str, str]]:
    """The actions offered to this viewer on this household's page, in order: [{"key", "label", "url"}]."""
    return actions_offered(_actions, viewer=viewer, subject=household)
