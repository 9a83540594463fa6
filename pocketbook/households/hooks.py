"""Where the assessments app plugs into the pocketbook pages, guarded so the pages work without it.

The contract (all optional; each missing piece just shows a placeholder):

- `pocketbook.assessments.selectors.latest_status_for(households)` returns `{household_id: status}` for
  the households of one list page, in one or two queries; the template
  `assessments/_household_badges.html` renders one `status` (the five coloured dimension badges and
  the date of the last visit).
- `pocketbook.assessments.selectors.household_pocketbook(viewer=..., household=...)` returns a
  context dict; the template `assessments/_household_section.html` renders it on the household page
  (the five dimensions now and at the previous assessment, failed indicators, needs, a "New
  assessment" link).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from pocketbook.households.models import Household

logger = logging.getLogger(__name__)

BADGES_TEMPLATE = "assessments/_household_badges.html"
SECTION_TEMPLATE = "assessments/_household_section.html"


def _assessment_selector(name: str) -> Callable[..., Any] | None:
    try:
        module = importlib.import_module("pocketbook.assessments.selectors")
    except ImportError:
        return None
    return getattr(module, name, None)


def _template_exists(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


def badges_for(households: list[Household]) -> tuple[dict[int, Any], str]:
    """The assessment status of each listed household and the template that draws it ("" when none)."""
    selector = _assessment_selector("latest_status_for")
    if selector is None or not households:
        return {}, ""
    return selector(households), BADGES_TEMPLATE if _template_exists(BADGES_TEMPLATE) else ""


def pocketbook_section(*, viewer: Any, household: Household) -> tuple[dict[str, Any] | None, str]:
    """The assessments part of the household page and its template ("" when the app does not provide one)."""
    selector = _assessment_selector("household_pocketbook")
    if selector is None:
        return None, ""
    return selector(viewer=viewer, household=household), SECTION_TEMPLATE if _template_exists(SECTION_TEMPLATE) else ""
