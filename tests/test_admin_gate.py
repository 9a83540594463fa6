"""One access gate in the admin: every area-scoped model's admin reads through `for_user` (core's `ScopedAdmin`).

The registry is walked whole (`admin.site._registry`): an area-scoped model (its manager knows `for_user`) whose
admin does not derive from the core base, or for which this test cannot make a row of a province, fails here. The
administrator of province 92 is also given the view permission of every such model, so what hides province 91's
rows is the area gate, not a missing permission.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.test import RequestFactory
from django.utils import timezone

from pocketbook.accounts.models import User
from pocketbook.accounts.roles import Role
from pocketbook.accounts.tests.factories import UserFactory
from pocketbook.audit.models import AccessLog, Action, ObjectChange
from pocketbook.cases.choices import ReplyAction
from pocketbook.cases.models import Case, Fund, Referral, ReferralLinkUse
from pocketbook.cases.tests.factories import AgencyFactory
from pocketbook.core.admin import ScopedAdmin, ScopedInline
from pocketbook.core.models import ScopedQuerySet
from pocketbook.geo.models import District, Province, Subdistrict, Village
from pocketbook.geo.services import village_create
from pocketbook.households.models import Consent, Household, HouseholdEvent, Member
from pocketbook.households.tests.factories import HouseholdFactory, MemberFactory
from pocketbook.incidents.models import Incident, Responder, SubdistrictCentroid, Unit
from pocketbook.incidents.tests.factories import IncidentFactory, ResponderFactory, UnitFactory

pytestmark = pytest.mark.django_db

OWN, OTHER = "92", "91"  # ตรัง, สตูล


def _is_area_scoped(model: type[Model]) -> bool:
    return isinstance(model._default_manager.all(), ScopedQuerySet)


def _household(province: str) -> Household:
    return HouseholdFactory(area_code=f"{province}010101")


def _referral_link_use(province: str) -> ReferralLinkUse:
    case = Case.objects.create(household=_household(province), title="ขอความช่วยเหลือ")
    referral = Referral.objects.create(
        case=case, agency=AgencyFactory(), request="ส่งต่อ", answer_due_on=dt.date.today()
    )
    return ReferralLinkUse.objects.create(referral=referral, action=ReplyAction.ANSWERED)


def _audit_fields(province: str) -> dict[str, object]:
    content_type = ContentType.objects.get_for_model(Member)
    return {"user_name": "x", "content_type": content_type, "object_id": "1", "area_code": f"{province}010101"}


# How to make one row of a province for each area-scoped model in the admin.
ROW_OF_PROVINCE: dict[type[Model], Callable[[str], Model]] = {
    Province: lambda p: Province.objects.get(code=p),
    District: lambda p: District.objects.get(code=f"{p}01"),
    Subdistrict: lambda p: Subdistrict.objects.get(code=f"{p}0101"),
    Village: lambda p: village_create(subdistrict_code=f"{p}0101", number=1, name=f"บ้าน {p}", actor=None),
    Household: _household,
    Member: lambda p: MemberFactory(household=_household(p)),
    Consent: lambda p: Consent.objects.create(household=_household(p), given_by_name="ผู้ให้", given_at=timezone.now()),
    HouseholdEvent: lambda p: HouseholdEvent.objects.create(household=_household(p), kind="created"),
    ObjectChange: lambda p: ObjectChange.objects.create(action=Action.CREATE, object_repr="x", **_audit_fields(p)),
    AccessLog: lambda p: AccessLog.objects.create(object_repr="x", purpose="view", **_audit_fields(p)),
    Incident: lambda p: IncidentFactory(area_code=f"{p}010101"),
    SubdistrictCentroid: lambda p: SubdistrictCentroid.objects.create(
        subdistrict_code=f"{p}0101", latitude=7.0, longitude=100.0
    ),
    Unit: lambda p: UnitFactory(areas=[f"{p}01"]),
    Responder: lambda p: ResponderFactory(unit=UnitFactory(areas=[f"{p}01"]), user__areas=[f"{p}01"]),
    Fund: lambda p: Fund.objects.create(name=f"กองทุน {p}", owner="พมจ.", area_code=p),
    ReferralLinkUse: _referral_link_use,
}

SCOPED_ADMIN_MODELS = sorted(
    (model for model in admin.site._registry if _is_area_scoped(model)), key=lambda model: model._meta.label
)


def _change_url(row: Model) -> str:
    return f"/admin/{row._meta.app_label}/{row._meta.model_name}/{row.pk}/change/"


@pytest.fixture
def area_admin() -> User:
    """An administrator of province 92 who may view every area-scoped model of the admin."""
    user = UserFactory(username="admin92", roles=[Role.ADMINISTRATOR], areas=[OWN], is_staff=True)
    for model in SCOPED_ADMIN_MODELS:
        content_type = ContentType.objects.get_for_model(model)
        user.user_permissions.add(
            Permission.objects.get(content_type=content_type, codename=f"view_{model._meta.model_name}")
        )
    return User.objects.get(pk=user.pk)  # no cached permissions


def test_every_area_scoped_model_admin_uses_the_core_base():
    # given: the admin registry
    # when: looking at each area-scoped model's admin and inlines
    strays = [
        model._meta.label for model in SCOPED_ADMIN_MODELS if not isinstance(admin.site._registry[model], ScopedAdmin)
    ]
    stray_inlines = [
        f"{model._meta.label}: {inline.__name__}"
        for model, model_admin in admin.site._registry.items()
        for inline in model_admin.inlines
        if _is_area_scoped(inline.model) and not issubclass(inline, ScopedInline)
    ]
    # then
    assert strays == []
    assert stray_inlines == []


def test_every_area_scoped_admin_model_can_be_checked_here():
    missing = [model._meta.label for model in SCOPED_ADMIN_MODELS if model not in ROW_OF_PROVINCE]
    assert missing == [], "Say in ROW_OF_PROVINCE how to make a row of a province for these models"


@pytest.mark.parametrize("model", SCOPED_ADMIN_MODELS, ids=lambda model: model._meta.label)
def test_an_administrator_of_province_92_gets_nothing_of_province_91(client, area_admin, model):
    # given: one row of each province
    own = ROW_OF_PROVINCE[model](OWN)
    other = ROW_OF_PROVINCE[model](OTHER)
    request = RequestFactory().get("/admin/")
    request.user = area_admin
    client.force_login(area_admin)
    # when
    rows = admin.site._registry[model].get_queryset(request)
    listing = client.get(f"/admin/{model._meta.app_label}/{model._meta.model_name}/")
    change = client.get(_change_url(other))
    # then: the list holds and shows the own province's row and not the other's; the other's page is not given
    assert (rows.filter(pk=own.pk).exists(), rows.filter(pk=other.pk).exists()) == (True, False)
    assert listing.status_code == 200
    page = listing.content.decode()
    assert (_change_url(own) in page, _change_url(other) in page) == (True, False)
    assert change.status_code in (302, 404)
    assert client.get(_change_url(own)).status_code == 200
