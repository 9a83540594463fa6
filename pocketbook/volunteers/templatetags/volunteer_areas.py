"""`{{ code|area_name:areas }}`: the name of an area (village with its หมู่ number) instead of its DOPA code."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def area_name(code: str, areas: dict[str, Any] | None) -> str:
    """The area's name from a dict built once per page by geo's `areas_get`; the code when it is unknown."""
    area = (areas or {}).get(code or "")
    return area.name if area is not None else (code or "")
