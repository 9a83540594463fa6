"""Every read of the geography: look up, list the children of, and search areas."""

from __future__ import annotations

import re
from dataclasses import dataclass

import geothai
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pocketbook.core.models import Viewer
from pocketbook.geo.models import AREA_CODE_LENGTHS, District, Province, Subdistrict, Village


@dataclass(frozen=True)
class Area:
    """Any area, whatever its level, with the names of the areas above it."""

    code: str
    level: str  # "province", "district", "subdistrict" or "village"
    name_th: str
    name_en: str
    path_th: str  # for example "ต.นาตาล่วง อ.เมืองตรัง จ.ตรัง"
    path_en: str
    postal_codes: str = ""

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "th").startswith("en") else self.name_th

    @property
    def path(self) -> str:
        return self.path_en if (get_language() or "th").startswith("en") else self.path_th

    @property
    def label(self) -> str:
        """The name and the areas above it, for pickers and lists."""
        return f"{self.name} — {self.path}" if self.path else self.name


def _province_area(province: Province) -> Area:
    return Area(province.code, "province", province.name_th, province.name_en, "", "")


def _district_area(district: District) -> Area:
    province = district.province
    return Area(
        district.code, "district", district.name_th, district.name_en, f"จ.{province.name_th}", province.name_en
    )


def _subdistrict_area(subdistrict: Subdistrict) -> Area:
    district, province = subdistrict.district, subdistrict.district.province
    return Area(
        subdistrict.code,
        "subdistrict",
        subdistrict.name_th,
        subdistrict.name_en,
        f"อ.{district.name_th} จ.{province.name_th}",
        f"{district.name_en}, {province.name_en}",
        subdistrict.postal_codes,
    )


def village_area(village: Village) -> Area:
    subdistrict = village.subdistrict
    district, province = subdistrict.district, subdistrict.district.province
    return Area(
        village.code,
        "village",
        f"หมู่ {village.number} {village.name}",
        f"Moo {village.number} {village.name}",
        f"ต.{subdistrict.name_th} อ.{district.name_th} จ.{province.name_th}",
        f"{subdistrict.name_en}, {district.name_en}, {province.name_en}",
        subdistrict.postal_codes,
    )


def area_get(code: str) -> Area | None:
    """Return the area with this code, at any level, or None."""
    code = (code or "").strip()
    level = AREA_CODE_LENGTHS.get(len(code))
    if level is None or not code.isdigit():
        return None
    if level == "province":
        province = Province.objects.filter(code=code).first()
        return _province_area(province) if province else None
    if level == "district":
        district = District.objects.select_related("province").filter(code=code).first()
        return _district_area(district) if district else None
    if level == "subdistrict":
        subdistrict = Subdistrict.objects.select_related("district__province").filter(code=code).first()
        return _subdistrict_area(subdistrict) if subdistrict else None
    village = Village.objects.select_related("subdistrict__district__province").filter(code=code).first()
    return village_area(village) if village else None


def areas_get(codes: set[str] | list[str]) -> dict[str, Area]:
    """Look up many areas at once: one query per level, whatever the number of codes (for list pages)."""
    by_level: dict[str, list[str]] = {}
    for code in codes:
        level = AREA_CODE_LENGTHS.get(len(code or ""))
        if level is not None and code.isdigit():
            by_level.setdefault(level, []).append(code)
    found: dict[str, Area] = {}
    if "province" in by_level:
        found.update((p.code, _province_area(p)) for p in Province.objects.filter(code__in=by_level["province"]))
    if "district" in by_level:
        districts = District.objects.select_related("province").filter(code__in=by_level["district"])
        found.update((d.code, _district_area(d)) for d in districts)
    if "subdistrict" in by_level:
        subdistricts = Subdistrict.objects.select_related("district__province").filter(
            code__in=by_level["subdistrict"]
        )
        found.update((s.code, _subdistrict_area(s)) for s in subdistricts)
    if "village" in by_level:
        villages = Village.objects.select_related("subdistrict__district__province").filter(
            code__in=by_level["village"]
        )
        found.update((v.code, village_area(v)) for v in villages)
    return found


def area_require(code: str, *, field: str = "area_code") -> Area:
    """Return the area with this code or raise a ValidationError naming `field`."""
    area = area_get(code)
    if area is None:
        raise ValidationError(
            {field: _("There is no area with the code %(code)s. Choose the area from the list.") % {"code": code}}
        )
    return area


def area_children(code: str = "") -> list[Area]:
    """List the areas directly under `code` ("" lists the provinces)."""
    if code == "":
        return [_province_area(p) for p in Province.objects.order_by("code")]
    if len(code) == 2:
        return [_district_area(d) for d in District.objects.select_related("province").filter(province_id=code)]
    if len(code) == 4:
        return [
            _subdistrict_area(s)
            for s in Subdistrict.objects.select_related("district__province").filter(district_id=code)
        ]
    if len(code) == 6:
        return [
            village_area(v)
            for v in Village.objects.select_related("subdistrict__district__province").filter(subdistrict_id=code)
        ]
    return []


def area_search(query: str, *, limit: int = 10, within: str = "") -> list[Area]:
    """Find areas by Thai or English name (geothai's search), plus villages by name; `within` limits by code."""
    query = (query or "").strip()
    if not query:
        return []
    found: list[Area] = []
    # geothai ranks the whole country; when limited to an area, look further down its ranking.
    for result in geothai.search(query, limit=500 if within else limit):
        if not result.area.code.startswith(within):
            continue
        area = area_get(result.area.code)
        if area is not None:
            found.append(area)
    villages = (
        Village.objects.select_related("subdistrict__district__province")
        .filter(Q(name__icontains=query), code__startswith=within)
        .order_by("code")[:limit]
    )
    found.extend(village_area(v) for v in villages)
    return found[:limit]


def area_ancestors(code: str) -> list[str]:
    """Return the codes of the area and every area above it, from the province down."""
    return [code[:length] for length in (2, 4, 6, 8) if length <= len(code)]


def village_list(*, viewer, subdistrict_code: str = ""):
    """Villages the viewer may see, optionally under one subdistrict (or district, or province)."""
    villages = Village.objects.for_user(viewer).select_related("subdistrict__district__province")
    if subdistrict_code:
        villages = villages.filter(code__startswith=subdistrict_code)
    return villages.order_by("code")


def village_get(*, viewer, code: str) -> Village:
    """One village the viewer may see; raise Village.DoesNotExist otherwise (out of scope looks missing)."""
    return Village.objects.for_user(viewer).select_related("subdistrict__district__province").get(code=code)


VILLAGE_NUMBER = re.compile(r"^(?:หมู่\s*(?:ที่)?|ม\.?)?\s*(\d{1,2})$")
VILLAGE_TEXT_MAX_LENGTH = 60


def village_condition(*, viewer: Viewer | AnonymousUser, field: str, text: str) -> Q:
    """The rows whose area code (in `field`) is a village the viewer may see matching `text`; Q() without text.

    `text` is what a worker types in a list's village filter: part of a village's name ("ทับเที่ยง"), its หมู่
    number ("หมู่ 3", "ม.3", "3"), or an area code of 3 to 8 digits (a prefix). The villages are read through
    their scoped queryset and given to the list as a subquery, so the list stays one query and no village
    outside the viewer's areas can match.
    """
    text = " ".join((text or "").split())[:VILLAGE_TEXT_MAX_LENGTH]
    if not text:
        return Q()
    if text.isdigit() and len(text) > 2:
        return Q(**{f"{field}__startswith": text})
    villages = Village.objects.for_user(viewer, "view")
    if number := VILLAGE_NUMBER.match(text):
        villages = villages.filter(number=int(number.group(1)))
    else:
        villages = villages.filter(name__icontains=text.removeprefix("หมู่บ้าน").strip() or text)
    return Q(**{f"{field}__in": villages.order_by().values("code")})
