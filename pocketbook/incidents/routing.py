"""From a reported place to an area code, and from an area code to the unit that answers it."""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass

import geothai
from django.conf import settings

from pocketbook.geo import selectors as geo_selectors
from pocketbook.incidents.models import SubdistrictCentroid, Unit, UnitArea

logger = logging.getLogger(__name__)

EARTH_RADIUS_KM = 6371.0
DEFAULT_CENTROID_MAX_KM = 15.0

_MARKERS = {
    "subdistrict": r"(?:ตำบล|แขวง|ต\.)",
    "district": r"(?:อำเภอ|เขต|อ\.)",
    "province": r"(?:จังหวัด|จ\.)",
}
_STOP = r"(?=[\s,]|ตำบล|แขวง|ต\.|อำเภอ|เขต|อ\.|จังหวัด|จ\.|\d|$)"
_POSTAL = re.compile(r"(?<!\d)(\d{5})(?!\d)")
_ENGLISH_NOISE = re.compile(
    r"\b(?:subdistrict|sub-district|district|province|tambon|amphoe|khet|khwaeng|thailand)\b", re.I
)


@dataclass(frozen=True)
class Placement:
    """Where an incident is: its area code, how that was found, and whether someone must confirm it."""

    area_code: str
    method: str  # "given", "address", "point", "default"
    location_to_confirm: bool


def _named(text: str, level: str) -> str:
    match = re.search(_MARKERS[level] + r"\s*(.+?)" + _STOP, text)
    return match.group(1).strip() if match else ""


def _common_code(codes: set[str]) -> str:
    """The most specific area (6, 4 or 2 digits) that holds every code, or "" if they span provinces."""
    for length in (6, 4, 2):
        prefixes = {code[:length] for code in codes}
        if len(prefixes) == 1:
            return prefixes.pop()
    return ""


def _match_structured(text: str, postal_code: str) -> set[str]:
    subdistrict = _named(text, "subdistrict")
    district = _named(text, "district")
    province = _named(text, "province")
    if not subdistrict:
        return set()
    attempts = [
        {"district": district, "province": province, "postal_code": postal_code},
        {"district": district, "province": province},
        {"district": district},
        {"province": province},
    ]
    for narrowing in attempts:
        found = geothai.match(subdistrict, **{key: value or None for key, value in narrowing.items()})
        if found:
            return {address.subdistrict.code for address in found}
    return set()


def _corroboration(address: geothai.Address, normalized_text: str, postal_code: str) -> int:
    score = 0
    for name in (address.district.name_th, address.district.name_en):
        if name and geothai.normalize(name) in normalized_text:
            score += 1
            break
    for name in (address.province.name_th, address.province.name_en):
        if name and geothai.normalize(name) in normalized_text:
            score += 1
            break
    if postal_code and postal_code in address.subdistrict.postal_codes:
        score += 1
    return score


def _match_loose(text: str, postal_code: str) -> set[str]:
    """Try each part of an address without markers as a subdistrict name, keeping those the rest confirms."""
    cleaned = _ENGLISH_NOISE.sub(" ", _POSTAL.sub(" ", text))
    parts = {part.strip() for part in re.split(r"[,\n]", cleaned) if part.strip()}
    parts |= {word for word in re.split(r"[\s,]+", cleaned) if word}
    normalized_text = geothai.normalize(text)
    best_score, best_codes = 0, set()
    for part in parts:
        if len(geothai.normalize(part)) < 3:
            continue
        for address in geothai.match(part):
            score = _corroboration(address, normalized_text, postal_code)
            if score > best_score:
                best_score, best_codes = score, {address.subdistrict.code}
            elif score == best_score and score > 0:
                best_codes.add(address.subdistrict.code)
    return best_codes


def _match_home_province(text: str) -> set[str]:
    """A bare place name ("ทับเที่ยง"), read as a subdistrict of the home province when exactly one has it."""
    home = geothai.province(settings.HOME_PROVINCE_CODE)
    if home is None:
        return set()
    for word in re.split(r"[\s,]+", _POSTAL.sub(" ", text)):
        if len(word) < 2 or word.isdigit():
            continue
        try:
            found = geothai.match(word, province=home.name_th)
        except (ValueError, LookupError):
            continue
        if len(found) == 1:
            return {found[0].subdistrict.code}
    return set()


def area_from_address(text: str) -> str:
    """The most specific area an address written by hand names (geothai's `match`), or "" when it is unclear.

    The one address parser of the project: the hotline form, the API and the LINE chat all place addresses here.
    """
    text = (text or "").strip()
    if not text:
        return ""
    postal = _POSTAL.search(text)
    postal_code = postal.group(1) if postal else ""
    codes = _match_structured(text, postal_code) or _match_loose(text, postal_code) or _match_home_province(text)
    code = _common_code(codes) if codes else ""
    if code and geo_selectors.area_get(code) is None:
        return ""
    return code


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def area_from_point(latitude: float, longitude: float) -> str:
    """The subdistrict whose loaded centroid is nearest to the point, within INCIDENT_CENTROID_MAX_KM; else ""."""
    max_km = float(getattr(settings, "INCIDENT_CENTROID_MAX_KM", DEFAULT_CENTROID_MAX_KM))
    lat_span = max_km / 111.0
    lon_span = max_km / (111.0 * max(math.cos(math.radians(latitude)), 0.01))
    candidates = SubdistrictCentroid.objects.filter(
        latitude__range=(latitude - lat_span, latitude + lat_span),
        longitude__range=(longitude - lon_span, longitude + lon_span),
    ).values_list("subdistrict_code", "latitude", "longitude")
    best_code, best_km = "", max_km
    for code, lat, lon in candidates:
        km = distance_km(latitude, longitude, lat, lon)
        if km <= best_km:
            best_code, best_km = code, km
    return best_code


def place(
    *, area_code: str = "", address_text: str = "", latitude: float | None = None, longitude: float | None = None
) -> Placement:
    """Decide the incident's area: the code given, else the address, else the point, else the home province."""
    if area_code:
        return Placement(area_code, "given", len(area_code) < 6)
    code = area_from_address(address_text)
    if code:
        return Placement(code, "address", len(code) < 6)
    if latitude is not None and longitude is not None:
        code = area_from_point(latitude, longitude)
        if code:
            return Placement(code, "point", False)
    logger.info("Incident location not placed (address %r, point %r,%r)", address_text[:200], latitude, longitude)
    return Placement(settings.HOME_PROVINCE_CODE, "default", True)


def unit_for_area(area_code: str) -> Unit | None:
    """The active unit covering the most specific area above or at `area_code`; its province's default if none."""
    ancestors = geo_selectors.area_ancestors(area_code)
    covering = list(
        UnitArea.objects.filter(area_code__in=ancestors, unit__is_active=True).select_related("unit").order_by("id")
    )
    if covering:
        best = max(covering, key=lambda row: (len(row.area_code), row.unit.is_province_default, -row.unit_id))
        return best.unit
    return province_default_unit(area_code[:2])


def province_default_unit(province_code: str) -> Unit | None:
    """The unit that takes a province's incidents that cannot be placed."""
    units = Unit.objects.filter(is_active=True, areas__area_code=province_code).order_by("-is_province_default", "id")
    return units.first()
