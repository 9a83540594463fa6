"""Every write to the geography: loading geothai's areas and adding villages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

import geothai
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pocketbook.audit.models import Action
from pocketbook.audit.services import record_change, record_creations
from pocketbook.core.models import Viewer
from pocketbook.geo.models import District, NamedArea, Province, Subdistrict, Village

AreaModel = TypeVar("AreaModel", bound=NamedArea)


@transaction.atomic
def geography_load() -> dict[str, int]:
    """Load or refresh every province, district and subdistrict from geothai; running it again changes nothing."""
    provinces = [Province(code=p.code, name_th=p.name_th, name_en=p.name_en) for p in geothai.provinces()]
    districts: list[District] = []
    subdistricts: list[Subdistrict] = []
    for province in geothai.provinces():
        for district in geothai.districts(province.code):
            districts.append(
                District(
                    code=district.code, name_th=district.name_th, name_en=district.name_en, province_id=province.code
                )
            )
            subdistricts.extend(
                Subdistrict(
                    code=s.code,
                    name_th=s.name_th,
                    name_en=s.name_en,
                    district_id=district.code,
                    postal_codes=" ".join(s.postal_codes),
                )
                for s in geothai.subdistricts(district.code)
            )
    _upsert(Province, provinces, ["name_th", "name_en"])
    _upsert(District, districts, ["name_th", "name_en", "province"])
    _upsert(Subdistrict, subdistricts, ["name_th", "name_en", "district", "postal_codes"])
    return {"provinces": len(provinces), "districts": len(districts), "subdistricts": len(subdistricts)}


def _upsert(model: type[AreaModel], rows: list[AreaModel], update_fields: list[str]) -> None:
    """Insert the rows, or update `update_fields` of those whose code is already there."""
    model._default_manager.bulk_create(
        rows, batch_size=500, update_conflicts=True, unique_fields=["code"], update_fields=update_fields
    )


@transaction.atomic
def village_create(*, subdistrict_code: str, number: int, name: str, actor: Viewer | None) -> Village:
    """Add a village (หมู่ที่ `number`) under a subdistrict inside the actor's areas (None: a command or import).

    A subdistrict outside the actor's areas raises Subdistrict.DoesNotExist, like one that does not exist.
    """
    if actor is not None and not actor.covers(subdistrict_code):
        raise Subdistrict.DoesNotExist
    subdistrict = Subdistrict.objects.filter(code=subdistrict_code).first()
    if subdistrict is None:
        raise ValidationError(
            {"subdistrict_code": _("There is no subdistrict with the code %(code)s.") % {"code": subdistrict_code}}
        )
    if not 1 <= number <= 99:
        raise ValidationError({"number": _("A village number is between 1 and 99.")})
    code = Village.code_for(subdistrict.code, number)
    if Village.objects.filter(code=code).exists():
        raise ValidationError({"number": _("Moo %(number)s already exists in this subdistrict.") % {"number": number}})
    village = Village(code=code, subdistrict=subdistrict, number=number, name=name.strip())
    village.full_clean(validate_unique=False)
    village.save(force_insert=True)
    record_change(obj=village, action=Action.CREATE, actor=actor)
    return village


@transaction.atomic
def village_ensure(*, subdistrict_code: str, number: int, name: str, actor: Viewer | None) -> Village:
    """Return the village, creating it if it is missing (for demo data and imports)."""
    existing = Village.objects.filter(code=Village.code_for(subdistrict_code, number)).first()
    return existing or village_create(subdistrict_code=subdistrict_code, number=number, name=name, actor=actor)


@transaction.atomic
def villages_ensure(*, codes: Iterable[str], actor: Viewer | None) -> list[str]:
    """Create the missing villages among these 8-digit codes, named "หมู่ N" (for imports); each is audited.

    The codes were checked against the geography by the caller (the subdistrict exists). Returns the
    codes created.
    """
    wanted = sorted(set(codes))
    existing = set(Village.objects.filter(code__in=wanted).values_list("code", flat=True))
    villages = [
        Village(code=code, subdistrict_id=code[:6], number=int(code[6:]), name=f"หมู่ {int(code[6:])}")
        for code in wanted
        if code not in existing
    ]
    Village.objects.bulk_create(villages, ignore_conflicts=True)
    record_creations(objs=villages, actor=actor)
    return [village.code for village in villages]
