"""Places in the admin; an administrator of an area sees and adds villages only inside their areas."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from pocketbook.core.admin import ScopedAdmin
from pocketbook.geo.models import District, Province, Subdistrict, Village


@admin.register(Province)
class ProvinceAdmin(ScopedAdmin):
    list_display = ["code", "name_th", "name_en"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(District)
class DistrictAdmin(ProvinceAdmin):
    list_filter = ["province"]


@admin.register(Subdistrict)
class SubdistrictAdmin(ProvinceAdmin):
    list_display = ["code", "name_th", "name_en", "postal_codes"]


@admin.register(Village)
class VillageAdmin(ScopedAdmin):
    list_display = ["code", "number", "name", "subdistrict"]
    search_fields = ["code", "name"]
    raw_id_fields = ["subdistrict"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        editor = request.user

        class VillageInsideAreasForm(form):  # type: ignore[valid-type,misc]
            def clean_code(self) -> str:
                code = self.cleaned_data["code"]
                if not (editor.is_authenticated and editor.covers(code)):
                    raise ValidationError(_("This area is outside your areas."))
                return code

        return VillageInsideAreasForm
