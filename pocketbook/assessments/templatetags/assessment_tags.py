"""Template tags other apps' pages use to show assessments: `{% assessment_panel household as section %}`."""

from __future__ import annotations

from typing import Any

from django import template

from pocketbook.assessments import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def assessment_panel(context: template.Context, household: Any) -> dict[str, Any]:
    """The household page's assessment panel data, for the signed-in viewer."""
    return selectors.household_pocketbook(viewer=context["request"].user, household=household)
