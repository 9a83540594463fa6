"""Households and members over the API: list with filters, detail, create, update; area-scoped.

National IDs are never returned in clear except by `POST /members/{id}/national-id`, which only
roles allowed to unmask may call and which writes the read to the access log.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, ModelSchema, Query, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError

from pocketbook.accounts.http import AuthenticatedHttpRequest
from pocketbook.core.api import MAX_OFFSET, ObjectBody, require_permission
from pocketbook.core.api_types import ApiDate, ApiId, ApiLatitude, ApiLongitude, ApiPhone
from pocketbook.core.numbers import ApiAmount
from pocketbook.core.patch import patch_merge
from pocketbook.households import selectors, services
from pocketbook.households.models import MEMBER_INPUT_FIELDS, Household, HouseholdEvent, Member
from pocketbook.households.services import ConsentInput, HouseholdInput, MemberInput

router = Router(tags=["households"])


class ConsentIn(ObjectBody, Schema):
    given_by_name: str = Field(..., max_length=200, description="Who gave consent")
    purposes: list[str] = Field(
        ["pocketbook"], description="Any of pocketbook (required), assistance, contact", examples=[["pocketbook"]]
    )


class HouseholdIn(ObjectBody, Schema):
    area_code: str = Field(..., description="Village (8 digits) or subdistrict (6 digits) code", examples=["92010101"])
    house_no: str = Field("", max_length=30)
    address: str = Field("", max_length=300)
    phone: ApiPhone = ""
    gps_lat: ApiLatitude | None = None
    gps_lng: ApiLongitude | None = None
    status: str = Field("active", pattern="^(active|moved|dissolved)$")
    household_key: str = Field("", max_length=64, description="An external key, e.g. the จปฐ. household code")
    consent: ConsentIn | None = Field(None, description="Without consent the household is kept anonymous")


class HouseholdPatch(ObjectBody, Schema):
    area_code: str | None = None
    house_no: str | None = Field(None, max_length=30)
    address: str | None = Field(None, max_length=300)
    phone: ApiPhone | None = None
    gps_lat: ApiLatitude | None = None
    gps_lng: ApiLongitude | None = None
    status: str | None = Field(None, pattern="^(active|moved|dissolved)$")


class MemberOut(Schema):
    id: int
    household_id: int
    status: str
    title: str
    first_name: str
    last_name: str
    sex: str
    birth_date: dt.date
    birth_year_only: bool
    national_id_masked: str = Field(description="x-xxxx-xxxxx-xx-N; empty when there is no ID")
    no_id_reason: str
    relation: str
    education_level: str
    is_studying: bool
    occupation: str
    monthly_income: Decimal | None
    has_disability: bool
    has_disability_card: bool
    chronic_illness: bool
    is_bedridden: bool
    is_pregnant: bool
    has_welfare_card: bool
    allowances: list[str] = Field(description="elderly, disability, child_support")


class HouseholdOut(Schema):
    id: int
    household_key: str
    area_code: str
    house_no: str
    address: str
    phone: str
    gps_lat: Decimal | None
    gps_lng: Decimal | None
    status: str
    has_consent: bool
    volunteer_id: int | None
    head_member_id: int | None
    member_count: int


class HouseholdDetailOut(HouseholdOut):
    members: list[MemberOut]


class MemberIn(ObjectBody, ModelSchema):
    """A member as the API takes it: the model's fields and rules, plus the typed national ID."""

    sex: str = Field(..., description="M or F")
    birth_date: ApiDate = Field(..., description="Gregorian (CE) date, YYYY-MM-DD")
    relation: str = Field(..., description="head, spouse, child, grandchild, parent, relative, other")
    national_id: str = Field("", max_length=20, description="13 digits; leave empty and give no_id_reason if none")
    monthly_income: ApiAmount | None = Field(None, description='Baht per month: 5000, "5,000" or "๕๐๐๐"')
    duplicate_override_reason: str = Field(
        "", max_length=300, description="Why this person is not the look-alike the API warned about"
    )

    class Meta:
        model = Member
        fields = list(MEMBER_INPUT_FIELDS)


class MemberPatch(ObjectBody, ModelSchema):
    """Only the fields sent change; the national ID changes only when one is given."""

    national_id: str | None = Field(None, max_length=20, description="Give it only to change the ID on record")
    birth_date: ApiDate | None = Field(None, description="Gregorian (CE) date, YYYY-MM-DD")
    monthly_income: ApiAmount | None = Field(None, description="Baht per month; null clears it")

    class Meta:
        model = Member
        fields = list(MEMBER_INPUT_FIELDS)
        fields_optional = "__all__"


class MoveIn(ObjectBody, Schema):
    to_household_id: ApiId
    reason: str = Field(..., min_length=1, max_length=300)
    moved_on: ApiDate | None = None


class NationalIdOut(Schema):
    member_id: int
    national_id: str


class HouseholdEventOut(Schema):
    id: int
    kind: str
    params: dict[str, Any]
    actor_id: int | None
    time: dt.datetime


class HouseholdFilters(ObjectBody, Schema):
    q: str = Field("", description="Name prefix, house number, household key or 13-digit national ID")
    area_code: str = Field("", description="Only households whose area code starts with this")
    status: str = ""
    mine: bool = Field(False, description="Only households whose volunteer is me")
    village: str = Field(
        "", max_length=60, description='A village of your areas: part of its name, its number ("หมู่ 3") or an area code'
    )
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class MemberFilters(ObjectBody, Schema):
    q: str = Field("", description="Name prefix or 13-digit national ID")
    household_id: ApiId | None = None
    include_former: bool = False
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _member_out(member: Member) -> MemberOut:
    return MemberOut(
        id=member.pk,
        household_id=member.household_id,
        status=member.status,
        title=member.title,
        first_name=member.first_name,
        last_name=member.last_name,
        sex=member.sex,
        birth_date=member.birth_date,
        birth_year_only=member.birth_year_only,
        national_id_masked=member.national_id_masked,
        no_id_reason=member.no_id_reason,
        relation=member.relation,
        education_level=member.education_level,
        is_studying=member.is_studying,
        occupation=member.occupation,
        monthly_income=member.monthly_income,
        has_disability=member.has_disability,
        has_disability_card=member.has_disability_card,
        chronic_illness=member.chronic_illness,
        is_bedridden=member.is_bedridden,
        is_pregnant=member.is_pregnant,
        has_welfare_card=member.has_welfare_card,
        allowances=member.allowances,
    )


def _household_fields(household: Household) -> dict[str, Any]:
    members = household.active_members()
    head = household.head
    return {
        "id": household.pk,
        "household_key": household.household_key,
        "area_code": household.area_code,
        "house_no": household.house_no,
        "address": household.address,
        "phone": household.phone,
        "gps_lat": household.gps_lat,
        "gps_lng": household.gps_lng,
        "status": household.status,
        "has_consent": household.has_consent,
        "volunteer_id": household.volunteer_id,
        "head_member_id": head.pk if head else None,
        "member_count": len(members),
    }


def _detail(request: HttpRequest, pk: int) -> HouseholdDetailOut:
    household = selectors.household_open(viewer=request.user, pk=pk)
    members = list(selectors.member_list(viewer=request.user, household=household))
    return HouseholdDetailOut(**_household_fields(household), members=[_member_out(m) for m in members])


def _refuse_search_in_url(request: HttpRequest, search_path: str) -> None:
    """A name or national ID in a URL lands in access logs and proxies: searches are posted instead."""
    if request.GET.get("q", "").strip():
        message = _("Send searches by name or ID in the body of POST %(path)s, never in the URL.") % {
            "path": search_path
        }
        raise NinjaValidationError([{"loc": ("query", "q"), "msg": message}])


@router.get(
    "/households",
    response=list[HouseholdOut],
    summary="Households in your areas",
    description="`q` is refused here (a search in a URL is logged): use `POST /households/search`.",
)
def household_list(request: HttpRequest, filters: Query[HouseholdFilters]):
    _refuse_search_in_url(request, "/api/v1/households/search")
    return _household_page(request, filters)


@router.post(
    "/households/search",
    response=list[HouseholdOut],
    summary="Search households (the same filters, sent in the body)",
    description="Searches by name, house number or national ID go here: a body stays out of access logs.",
)
def household_search(request: HttpRequest, filters: HouseholdFilters):
    return _household_page(request, filters)


def _household_page(request: HttpRequest, filters: HouseholdFilters) -> list[HouseholdOut]:
    require_permission(request, "households.view_household")
    households = selectors.household_list(
        viewer=request.user,
        search=filters.q,
        area_code=filters.area_code,
        status=filters.status,
        mine_only=filters.mine,
        village=filters.village,
    )
    return [HouseholdOut(**_household_fields(h)) for h in households[filters.offset : filters.offset + filters.limit]]


@router.get("/households/{household_id}", response=HouseholdDetailOut, summary="One household with its members")
def household_detail(request: HttpRequest, household_id: int):
    return _detail(request, household_id)


@router.post("/households", response={201: HouseholdDetailOut}, summary="Register a household")
def household_create(request: AuthenticatedHttpRequest, payload: HouseholdIn):
    require_permission(request, "households.add_household")
    data = HouseholdInput(
        area_code=payload.area_code,
        house_no=payload.house_no,
        address=payload.address,
        phone=payload.phone,
        gps_lat=payload.gps_lat,
        gps_lng=payload.gps_lng,
        status=payload.status,
        household_key=payload.household_key,
    )
    consent = (
        ConsentInput(given_by_name=payload.consent.given_by_name, purposes=payload.consent.purposes)
        if payload.consent
        else None
    )
    household = services.household_create(data=data, consent=consent, actor=request.user, source="api")
    return Status(201, _detail(request, household.pk))


@router.patch("/households/{household_id}", response=HouseholdDetailOut, summary="Change a household")
def household_update(request: AuthenticatedHttpRequest, household_id: int, payload: HouseholdPatch):
    household = selectors.household_get(viewer=request.user, pk=household_id, action="change")
    data = patch_merge(
        HouseholdInput.from_household(household),
        payload.dict(exclude_unset=True),
        nullable=("gps_lat", "gps_lng"),
    )
    services.household_update(household=household, data=data, actor=request.user)
    return _detail(request, household.pk)


@router.get("/households/{household_id}/timeline", response=list[HouseholdEventOut], summary="A household's timeline")
def household_timeline(request: HttpRequest, household_id: int):
    household = selectors.household_get(viewer=request.user, pk=household_id)
    return [_event_out(e) for e in selectors.household_timeline(viewer=request.user, household=household)]


def _event_out(event: HouseholdEvent) -> HouseholdEventOut:
    return HouseholdEventOut(
        id=event.pk, kind=event.kind, params=event.params, actor_id=event.actor_id, time=event.time
    )


@router.get("/members", response=list[MemberOut], tags=["members"], summary="Members in your areas")
def member_list(request: HttpRequest, filters: Query[MemberFilters]):
    _refuse_search_in_url(request, "/api/v1/members/search")
    return _member_page(request, filters)


@router.post(
    "/members/search",
    response=list[MemberOut],
    tags=["members"],
    summary="Search members (the same filters, sent in the body)",
    description="Searches by name or national ID go here: a body stays out of access logs.",
)
def member_search(request: HttpRequest, filters: MemberFilters):
    return _member_page(request, filters)


def _member_page(request: HttpRequest, filters: MemberFilters) -> list[MemberOut]:
    require_permission(request, "households.view_member")
    household = selectors.household_get(viewer=request.user, pk=filters.household_id) if filters.household_id else None
    members = selectors.member_list(
        viewer=request.user, household=household, include_former=filters.include_former, search=filters.q
    )
    page = list(members[filters.offset : filters.offset + filters.limit])
    return [
        _member_out(m) for m in selectors.members_read(viewer=request.user, members=page, purpose="API member list")
    ]


@router.get("/members/{member_id}", response=MemberOut, tags=["members"], summary="One member")
def member_detail(request: HttpRequest, member_id: int):
    return _member_out(selectors.member_open(viewer=request.user, pk=member_id, purpose="API member detail"))


def _member_input(payload: MemberIn) -> MemberInput:
    values: dict[str, Any] = payload.dict(include=set(MemberInput.__dataclass_fields__))
    # The model's optional text fields arrive as null when left out; the model stores them empty.
    cleaned: dict[str, Any] = {
        name: "" if value is None and name != "monthly_income" else value for name, value in values.items()
    }
    return MemberInput(**cleaned)


@router.post("/households/{household_id}/members", response={201: MemberOut}, tags=["members"], summary="Add a member")
def member_create(request: AuthenticatedHttpRequest, household_id: int, payload: MemberIn):
    require_permission(request, "households.add_member")
    household = selectors.household_get(viewer=request.user, pk=household_id, action="change")
    member = services.member_add(
        household=household,
        data=_member_input(payload),
        actor=request.user,
        duplicate_override_reason=payload.duplicate_override_reason,
    )
    return Status(201, _member_out(member))


@router.patch("/members/{member_id}", response=MemberOut, tags=["members"], summary="Change a member")
def member_update(request: AuthenticatedHttpRequest, member_id: int, payload: MemberPatch):
    member = selectors.member_get(viewer=request.user, pk=member_id, action="change")
    changes = payload.dict(exclude_unset=True)
    data = patch_merge(MemberInput.from_member(member), changes, nullable=("monthly_income",))
    change_id = payload.national_id is not None
    member = services.member_update(member=member, data=data, actor=request.user, change_national_id=change_id)
    return _member_out(member)


@router.post("/members/{member_id}/move", response=MemberOut, tags=["members"], summary="Move to another household")
def member_move(request: AuthenticatedHttpRequest, member_id: int, payload: MoveIn):
    member = selectors.member_get(viewer=request.user, pk=member_id, action="change")
    target = selectors.household_get(viewer=request.user, pk=payload.to_household_id, action="change")
    moved = services.member_move(
        member=member, to_household=target, actor=request.user, reason=payload.reason, moved_on=payload.moved_on
    )
    return _member_out(moved)


@router.post(
    "/members/{member_id}/national-id",
    response=NationalIdOut,
    tags=["members"],
    summary="Unmask a national ID (social workers, managers, administrators; logged)",
)
def national_id_reveal(request: AuthenticatedHttpRequest, member_id: int):
    member = selectors.member_get(viewer=request.user, pk=member_id)
    return NationalIdOut(
        member_id=member.pk, national_id=services.national_id_reveal(member=member, actor=request.user)
    )
