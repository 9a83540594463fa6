"""Areas (children, search, one area) and villages, for the area picker and API clients."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from pocketbook.core.api import ObjectBody, require_permission
from pocketbook.core.http import ViewerRequest
from pocketbook.geo import selectors, services

router = Router(tags=["areas"])


class AreaOut(Schema):
    code: str
    level: str = Field(description="province, district, subdistrict or village")
    name_th: str
    name_en: str
    name: str = Field(description="The name in the request's language")
    path: str = Field(description="The areas above it, in the request's language")
    postal_codes: str
    ancestors: list[str] = Field(description="Codes from the province down to this area")


class VillageIn(ObjectBody, Schema):
    subdistrict_code: str = Field(pattern=r"^\d{6}$", description="Six-digit subdistrict code")
    number: int = Field(ge=1, le=99, description="หมู่ที่")
    name: str = Field(min_length=1, max_length=120)


def _out(area: selectors.Area) -> AreaOut:
    return AreaOut(
        code=area.code,
        level=area.level,
        name_th=area.name_th,
        name_en=area.name_en,
        name=area.name,
        path=area.path,
        postal_codes=area.postal_codes,
        ancestors=selectors.area_ancestors(area.code),
    )


@router.get("/areas/search", response=list[AreaOut], summary="Search areas by Thai or English name")
def area_search(
    request: HttpRequest,
    q: str = Query(..., min_length=1, max_length=100),
    within: str = "",
    limit: int = Query(10, ge=1, le=50),
):
    return [_out(area) for area in selectors.area_search(q, limit=limit, within=within)]


@router.get("/areas/children", response=list[AreaOut], summary="List the provinces")
def area_top(request: HttpRequest):
    return [_out(area) for area in selectors.area_children("")]


@router.get("/areas/{code}/children", response=list[AreaOut], summary="List the areas directly under an area")
def area_children(request: HttpRequest, code: str):
    if selectors.area_get(code) is None:
        raise Http404
    return [_out(area) for area in selectors.area_children(code)]


@router.get("/areas/{code}", response=AreaOut, summary="One area by its DOPA code")
def area_detail(request: HttpRequest, code: str):
    area = selectors.area_get(code)
    if area is None:
        raise Http404
    return _out(area)


@router.get("/villages", response=list[AreaOut], tags=["villages"], summary="Villages in your areas")
def village_list(request: HttpRequest, within: str = ""):
    villages = selectors.village_list(viewer=request.user, subdistrict_code=within)[:500]
    return [_out(selectors.village_area(village)) for village in villages]


@router.get("/villages/{code}", response=AreaOut, tags=["villages"], summary="One village in your areas")
def village_detail(request: HttpRequest, code: str):
    return _out(selectors.village_area(selectors.village_get(viewer=request.user, code=code)))


@router.post("/villages", response={201: AreaOut}, tags=["villages"], summary="Add a village (administrators)")
def village_create(request: ViewerRequest, payload: VillageIn):
    require_permission(request, "geo.add_village")
    village = services.village_create(
        subdistrict_code=payload.subdistrict_code, number=payload.number, name=payload.name, actor=request.user
    )
    return Status(201, _out(selectors.village_area(village)))
