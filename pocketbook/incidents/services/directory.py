"""Every write to units, responders and subdistrict centroids."""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterable
from typing import Any

import geothai
from django.db import transaction

from pocketbook.accounts.models import User
from pocketbook.audit.models import Action
from pocketbook.audit.services import record_change, snapshot
from pocketbook.geo import selectors as geo_selectors
from pocketbook.incidents.models import (
    Responder,
    SubdistrictCentroid,
    Unit,
    UnitArea,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def unit_create(
    *,
    kind: str,
    name: str,
    area_codes: list[str],
    actor: User | None,
    phone: str = "",
    is_province_default: bool = False,
    managers: list[Any] | None = None,
) -> Unit:
    """Create a unit with the areas it covers and its managers."""
    for code in area_codes:
        geo_selectors.area_require(code, field="area_codes")
    unit = Unit(kind=kind, name=name.strip(), phone=phone.strip(), is_province_default=is_province_default)
    unit.full_clean()
    unit.save()
    UnitArea.objects.bulk_create([UnitArea(unit=unit, area_code=code) for code in sorted(set(area_codes))])
    if managers:
        unit.managers.set(managers)
    record_change(obj=unit, action=Action.CREATE, actor=actor)
    return unit


@transaction.atomic
def responder_add(*, unit: Unit, user: User, actor: User | None) -> Responder:
    """Make a user a responder of a unit (again active if they were before)."""
    responder, created = Responder.objects.get_or_create(unit=unit, user=user)
    if created:
        record_change(obj=responder, action=Action.CREATE, actor=actor)
    elif not responder.is_active:
        before = snapshot(responder)
        responder.is_active = True
        responder.save(update_fields=["is_active", "updated_at"])
        record_change(obj=responder, action=Action.UPDATE, actor=actor, before=before)
    return responder


def centroids_load(*, handle: Iterable[str], source: str = "") -> tuple[int, list[str]]:
    """Load subdistrict centre points from CSV (subdistrict_code,latitude,longitude); return loaded, refused."""
    reader = csv.DictReader(handle)
    missing = {"subdistrict_code", "latitude", "longitude"} - set(reader.fieldnames or [])
    if missing:
        raise ValueError("The CSV header lacks: " + ", ".join(sorted(missing)))
    rows: dict[str, SubdistrictCentroid] = {}
    errors: list[str] = []
    for line_number, row in enumerate(reader, start=2):
        code = (row.get("subdistrict_code") or "").strip()
        try:
            latitude, longitude = float(row["latitude"]), float(row["longitude"])
        except (TypeError, ValueError):
            errors.append(f"line {line_number}: latitude and longitude must be numbers")
            continue
        if len(code) != 6 or geothai.subdistrict(code) is None:
            errors.append(f"line {line_number}: {code!r} is not a subdistrict code")
            continue
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            errors.append(f"line {line_number}: the point is out of range")
            continue
        rows[code] = SubdistrictCentroid(
            subdistrict_code=code, latitude=latitude, longitude=longitude, source=source[:200]
        )
    with transaction.atomic():
        SubdistrictCentroid.objects.bulk_create(
            list(rows.values()),
            batch_size=500,
            update_conflicts=True,
            unique_fields=["subdistrict_code"],
            update_fields=["latitude", "longitude", "source"],
        )
    return len(rows), errors
