"""Place an address typed in a chat on the map of areas: the subdistrict's code, found with geothai's `match`."""

from __future__ import annotations

import re

import geothai
from django.conf import settings

_SUBDISTRICT = re.compile(r"(?:ตำบล|ต\.|แขวง)\s*([^\s,]+)")
_DISTRICT = re.compile(r"(?:อำเภอ|อ\.|เขต)\s*([^\s,]+)")
_PROVINCE = re.compile(r"(?:จังหวัด|จ\.)\s*([^\s,]+)")
_POSTAL_CODE = re.compile(r"\b(\d{5})\b")


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    found = pattern.search(text)
    return found.group(1) if found else None


def address_area_code(text: str) -> str:
    """Return the 6-digit subdistrict code of a typed address, or "" when it is not clear which one it is.

    Marked parts ("ต./ตำบล", "อ./อำเภอ", "จ./จังหวัด", a postal code) are read first; otherwise each word is
    tried as a subdistrict name within the home province. Only a single match counts.
    """
    text = text.strip()
    if not text:
        return ""
    subdistrict = _first(_SUBDISTRICT, text)
    district = _first(_DISTRICT, text)
    province = _first(_PROVINCE, text)
    postal_code = _first(_POSTAL_CODE, text)
    candidates: list[str] = [subdistrict] if subdistrict else []
    if not subdistrict:
        candidates = [word for word in re.split(r"[\s,]+", text) if len(word) >= 2 and not word.isdigit()]
    home = geothai.province(settings.HOME_PROVINCE_CODE)
    for name in candidates:
        provinces: list[str | None] = [province] if province else ([home.name_th] if home else [])
        if subdistrict and not province:
            provinces.append(None)  # a marked subdistrict may lie outside the home province
        for narrowed_province in provinces:
            try:
                found = geothai.match(name, district=district, province=narrowed_province, postal_code=postal_code)
            except (ValueError, LookupError):
                found = []
            if len(found) == 1:
                return found[0].subdistrict.code
            if found:
                break  # ambiguous without more parts: try the next word
    return ""
