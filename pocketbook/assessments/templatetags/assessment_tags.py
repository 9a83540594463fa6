"""Template tags other apps' pages use to show assessments: `{% assessment_panel household as section %}`."""

from __future__ import annotations

from typing import Any

from django import template

from pocketbook.assessments import selectors
from pocketbook.assessments.messages import DIMENSION_SHORT_WORDS
from pocketbook.assessments.models import Assessment
from pocketbook.households.models import Household

register = template.Library()


@register.simple_tag(takes_context=True)
def assessment_panel(context: template.Context, household: Household) -> dict[str, Any]:
    """The household page's assessment panel data, for the signed-in viewer."""
    return selectors.household_pocketbook(viewer=context["request"].user, household=household)


@register.filter
def dimension_short(key: str, name: str = "") -> str:
    """`{{ key|dimension_short:name }}`: the dimension's short badge word, or its name for an unknown key."""
    return str(DIMENSION_SHORT_WORDS.get(key, name or key))


@register.simple_tag
def dimension_names_of(assessment: Assessment) -> dict[str, str]:
    """The dimension names of an assessment's set, in the active language."""
    return assessment.indicator_set.dimension_names()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """`{{ names|get_item:key }}`."""
    return mapping.get(key, key)
