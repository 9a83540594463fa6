from django.contrib import admin

from pocketbook.geo.models import District, Province, Subdistrict, Village


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(District)
class DistrictAdmin(ProvinceAdmin):
    list_filter = ["province"]


@admin.register(Subdistrict)
class SubdistrictAdmin(ProvinceAdmin):
    list_display = ["code", "name_th", "name_en", "postal_codes"]


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ["code", "number", "name", "subdistrict"]
    search_fields = ["code", "name"]
    raw_id_fields = ["subdistrict"]
