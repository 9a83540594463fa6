"""`{% page_parts "head" %}`: render the pieces other apps add to every page at one place."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from pocketbook.core.page_parts import page_parts_at

register = template.Library()


@register.simple_tag(takes_context=True)
def page_parts(context: Any, place: str) -> SafeString:
    """Each registered piece's template rendered with the page's context.

    The page's context already holds what the context processors gave (the request, the CSRF token, the
    menu): rendering with it alone, not with the request again, keeps them from running once more per place.
    """
    flat = context.flatten()
    return mark_safe(  # noqa: S308 - the pieces are our own templates, autoescaped when rendered
        "".join(get_template(part.template).render(flat) for part in page_parts_at(place))
    )
