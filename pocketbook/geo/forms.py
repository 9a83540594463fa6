"""The one area picker every form uses: province → district → subdistrict → village, or type to search."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pocketbook.geo import selectors

LEVEL_LENGTHS = {"province": 2, "district": 4, "subdistrict": 6, "village": 8}


class AreaPickerWidget(forms.Widget):
    """A hidden code plus cascading selects and a search box, driven by static/js/area-picker.js."""

    template_name = "core/widgets/area_picker.html"

    def __init__(self, *, deepest: str = "village", shallowest: str = "province", attrs: dict[str, Any] | None = None):
        super().__init__(attrs)
        self.deepest = deepest
        self.shallowest = shallowest

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        area = selectors.area_get(str(value)) if value else None
        context["widget"].update(
            {
                "area": area,
                "deepest": self.deepest,
                "shallowest": self.shallowest,
                "ancestors": ",".join(selectors.area_ancestors(area.code)) if area else "",
            }
        )
        return context


class AreaField(forms.CharField):
    """An area code that must exist, at a level between `shallowest` and `deepest`."""

    def __init__(self, *, deepest: str = "village", shallowest: str = "province", **kwargs: Any) -> None:
        self.deepest, self.shallowest = deepest, shallowest
        kwargs.setdefault("widget", AreaPickerWidget(deepest=deepest, shallowest=shallowest))
        kwargs.setdefault("error_messages", {"required": _("Choose an area.")})
        super().__init__(max_length=8, **kwargs)

    def clean(self, value: Any) -> str:
        code = super().clean(value)
        if not code:
            return code
        area = selectors.area_get(code)
        if area is None:
            raise forms.ValidationError(
                _("There is no area with the code %(code)s. Choose the area from the list."), params={"code": code}
            )
        if not LEVEL_LENGTHS[self.shallowest] <= len(code) <= LEVEL_LENGTHS[self.deepest]:
            raise forms.ValidationError(
                _("Choose an area from %(shallowest)s down to %(deepest)s."),
                params={"shallowest": _(self.shallowest), "deepest": _(self.deepest)},
            )
        return code


class VillageForm(forms.Form):
    """Add a village under a subdistrict."""

    subdistrict_code = AreaField(label=_("Subdistrict"), deepest="subdistrict", shallowest="subdistrict")
    number = forms.IntegerField(
        label=_("Village number (หมู่ที่)"),
        min_value=1,
        max_value=99,
        error_messages={
            "min_value": _("A village number is between 1 and 99."),
            "max_value": _("A village number is between 1 and 99."),
            "invalid": _("Write the village number in digits."),
            "required": _("Enter the village number."),
        },
    )
    name = forms.CharField(label=_("Village name"), max_length=120, error_messages={"required": _("Enter the name.")})
