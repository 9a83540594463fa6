"""Every admin model, for an administrator of province 92: lists, change views and choices scoped like the pages.

The registry is walked whole (`admin.site._registry`), so a model added to the admin later without saying how
it is scoped fails here until it does.
"""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as AxesAccessLog
from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from pocketbook.accounts.models import ApiToken, User
from pocketbook.accounts.roles import Role
from pocketbook.accounts.services import api_token_create
from pocketbook.accounts.tests.factories import UserFactory
from pocketbook.audit.models import AccessLog, Action, ObjectChange
from pocketbook.cases.models import Agency, Fund, ReferralLinkUse
from pocketbook.geo.models import District, Province, Subdistrict, Village
from pocketbook.geo.services import village_create
from pocketbook.households.models import Consent, Household, HouseholdEvent, ImportRun, Member
from pocketbook.households.tests.factories import HouseholdFactory, MemberFactory
from pocketbook.incidents.models import (
    Incident,
    LineConversation,
    LineEvent,
    Responder,
    SlaTarget,
    SubdistrictCentroid,
    Unit,
)
from pocketbook.incidents.tests.factories import IncidentFactory, ResponderFactory, UnitFactory

pytestmark = pytest.mark.django_db

CHIANG_MAI_SUBDISTRICT = "500101"


def _other_province_rows() -> dict[type, object]:
    """One row of another province (50, เชียงใหม่) for each admin model an area administrator may open."""
    outsider = UserFactory(username="cm_worker", first_name="เชียงใหม่คนนอก", roles=[Role.RESPONDER], areas=["50"])
    unit = UnitFactory(name="สภ.เมืองเชียงใหม่", areas=["5001"])
    responder = ResponderFactory(user=outsider, unit=unit)
    household = HouseholdFactory(area_code="50010101", house_no="77/7")
    member = MemberFactory(household=household, first_name="ดวงใจนอกเขต")
    consent = Consent.objects.create(household=household, given_by_name="ผู้ให้นอกเขต", given_at=timezone.now())
    event = HouseholdEvent.objects.create(household=household, kind="created")
    common = {"user_name": "cm_worker", "content_type": ContentType.objects.get_for_model(Member), "object_id": "1"}
    change = ObjectChange.objects.create(action=Action.CREATE, object_repr="นอกเขต", area_code="50010101", **common)
    access = AccessLog.objects.create(object_repr="นอกเขต", area_code="50010101", purpose="view", **common)
    return {
        User: outsider,
        Unit: unit,
        Responder: responder,
        Household: household,
        Member: member,
        Consent: consent,
        HouseholdEvent: event,
        ObjectChange: change,
        AccessLog: access,
        Incident: IncidentFactory(area_code="50010101"),
        SubdistrictCentroid: SubdistrictCentroid.objects.create(
            subdistrict_code=CHIANG_MAI_SUBDISTRICT, latitude=18.79, longitude=98.98
        ),
        Village: village_create(subdistrict_code=CHIANG_MAI_SUBDISTRICT, number=1, name="บ้านนอกเขต", actor=None),
        Subdistrict: Subdistrict.objects.get(code=CHIANG_MAI_SUBDISTRICT),
        District: District.objects.get(code="5001"),
        Province: Province.objects.get(code="50"),
        ApiToken: api_token_create(user=outsider, name="cm", actor=outsider)[0],
    }


# How each registered model is shown to an area administrator.
SCOPED = {User, Unit, Responder, Household, Member, Consent, HouseholdEvent, ObjectChange, AccessLog}
SCOPED |= {Incident, SubdistrictCentroid, Village, Subdistrict, District, Province}
# Rows without an area: only a superuser opens them (the area administrator has no permission, or it is refused).
SUPERUSER_ONLY = {ApiToken, LineEvent, LineConversation, Group, TOTPDevice, StaticDevice, DBTaskResult}
SUPERUSER_ONLY |= {AccessAttempt, AxesAccessLog, AccessFailureLog}
SUPERUSER_ONLY |= {ImportRun}  # an import may span areas
# The same for every province, read-only to an area administrator.
SHARED_READ_ONLY = {SlaTarget}
# Reference data of the whole office without personal values (the agency directory), edited by its administrators.
SHARED_DIRECTORY = {Agency}
SCOPED |= {Fund, ReferralLinkUse}


@pytest.fixture
def area_admin(administrator):
    return administrator


@pytest.fixture
def outside():
    return _other_province_rows()


def _url(model, suffix=""):
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/{suffix}"


def test_every_admin_model_says_how_it_is_scoped():
    registered = set(admin.site._registry)
    unknown = registered - SCOPED - SUPERUSER_ONLY - SHARED_READ_ONLY - SHARED_DIRECTORY
    assert not unknown, f"Say how these admin models are scoped for an area administrator: {unknown}"


REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_an_area_administrator_sees_nothing_of_another_province_in_any_admin_model(client, area_admin, outside, model):
    client.force_login(area_admin)
    listing = client.get(_url(model))
    if model in SUPERUSER_ONLY:
        assert listing.status_code == 403
        return
    if listing.status_code == 403:  # the role may not view this model at all
        return
    assert listing.status_code == 200
    page = listing.content.decode()
    for row in outside.values():
        assert _url(type(row), f"{row.pk}/change/") not in page
    for text in ("เชียงใหม่คนนอก", "cm_worker", "สภ.เมืองเชียงใหม่", "ดวงใจนอกเขต", "ผู้ให้นอกเขต", "บ้านนอกเขต"):
        assert text not in page, f"{text} shown in the {model._meta.label} list"
    if model in outside:
        row = outside[model]
        response = client.get(_url(model, f"{row.pk}/change/"))
        assert response.status_code in (302, 403)  # "does not exist" sends to the admin index


REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_no_admin_form_offers_another_provinces_rows_as_choices(area_admin, outside, model):
    # given: the admin's add form and its inlines, as the area administrator gets them
    request = RequestFactory().get("/")
    request.user = area_admin
    model_admin = admin.site._registry[model]
    forms_to_check = []
    if model_admin.has_add_permission(request):
        forms_to_check.append(model_admin.get_form(request)())
        for formset, _inline in model_admin.get_formsets_with_inlines(request):
            # An inline row's own id is checked against the parent's rows when sent; its choices are those.
            form = formset().empty_form
            form.fields.pop(form._meta.model._meta.pk.name, None)
            forms_to_check.append(form)
    # then: no choice field holds a row of province 50
    for form in forms_to_check:
        for name, field in form.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                related = field.queryset.model
                if related in outside:
                    assert not field.queryset.filter(pk=outside[related].pk).exists(), f"{model} {name}"


def test_an_area_administrator_cannot_rename_or_deactivate_another_provinces_unit(client, area_admin, outside):
    # given
    unit = outside[Unit]
    client.force_login(area_admin)
    data = {
        "kind": unit.kind,
        "name": "เปลี่ยนชื่อ",
        "areas-TOTAL_FORMS": "0",
        "areas-INITIAL_FORMS": "0",
        "responders-TOTAL_FORMS": "0",
        "responders-INITIAL_FORMS": "0",
    }
    # when
    response = client.post(_url(Unit, f"{unit.pk}/change/"), data)
    # then
    unit.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert (unit.name, unit.is_active) == ("สภ.เมืองเชียงใหม่", True)


def test_an_area_administrator_cannot_add_a_responder_to_another_provinces_unit(
    client, area_admin, outside, responder
):
    client.force_login(area_admin)
    data = {"user": responder.pk, "unit": outside[Unit].pk, "is_active": "on"}
    response = client.post(_url(Responder, "add/"), data)
    assert response.status_code == 200
    assert "unit" in response.context["adminform"].form.errors
    assert not Responder.objects.filter(user=responder).exists()


def test_an_area_administrator_cannot_put_another_provinces_user_in_their_own_unit(client, area_admin, outside):
    # given: a Trang unit
    unit = UnitFactory(name="สภ.เมืองตรัง", areas=["9201"])
    client.force_login(area_admin)
    data = {
        "kind": unit.kind,
        "name": unit.name,
        "is_active": "on",
        "areas-TOTAL_FORMS": "1",
        "areas-INITIAL_FORMS": "1",
        "areas-0-id": str(unit.areas.get().pk),
        "areas-0-unit": str(unit.pk),
        "areas-0-area_code": "9201",
        "responders-TOTAL_FORMS": "1",
        "responders-INITIAL_FORMS": "0",
        "responders-0-user": str(outside[User].pk),
        "responders-0-unit": str(unit.pk),
        "responders-0-is_active": "on",
    }
    # when
    response = client.post(_url(Unit, f"{unit.pk}/change/"), data)
    # then
    assert response.status_code == 200
    assert not Responder.objects.filter(unit=unit).exists()


def test_an_area_administrator_cannot_stretch_their_unit_into_another_province(client, area_admin):
    unit = UnitFactory(name="สภ.เมืองตรัง", areas=["9201"])
    client.force_login(area_admin)
    data = {
        "kind": unit.kind,
        "name": unit.name,
        "is_active": "on",
        "areas-TOTAL_FORMS": "2",
        "areas-INITIAL_FORMS": "1",
        "areas-0-id": str(unit.areas.get().pk),
        "areas-0-unit": str(unit.pk),
        "areas-0-area_code": "9201",
        "areas-1-unit": str(unit.pk),
        "areas-1-area_code": "5001",
        "responders-TOTAL_FORMS": "0",
        "responders-INITIAL_FORMS": "0",
    }
    response = client.post(_url(Unit, f"{unit.pk}/change/"), data)
    assert response.status_code == 200
    assert "พื้นที่นี้อยู่นอกพื้นที่ของท่าน" in response.content.decode()
    assert unit.area_codes == ["9201"]


def test_an_area_administrator_cannot_add_a_village_in_another_province(client, area_admin):
    client.force_login(area_admin)
    subdistrict = Subdistrict.objects.get(code=CHIANG_MAI_SUBDISTRICT)
    response = client.post(
        _url(Village, "add/"), {"code": "50010102", "subdistrict": subdistrict.pk, "number": 2, "name": "บ้านใหม่"}
    )
    assert response.status_code == 200
    assert not Village.objects.filter(code="50010102").exists()


def test_a_unit_covering_two_provinces_is_only_a_superusers(client, area_admin):
    unit = UnitFactory(name="ศูนย์ร่วม", areas=["92", "50"])
    client.force_login(area_admin)
    assert "ศูนย์ร่วม" not in client.get(_url(Unit)).content.decode()
    assert client.get(_url(Unit, f"{unit.pk}/change/")).status_code == 302


def test_the_area_administrator_still_manages_their_own_units_and_responders(client, area_admin, volunteer):
    unit = UnitFactory(name="สภ.เมืองตรัง", areas=["9201"])
    ResponderFactory(unit=unit, user=volunteer)
    client.force_login(area_admin)
    assert "สภ.เมืองตรัง" in client.get(_url(Unit)).content.decode()
    assert client.get(_url(Unit, f"{unit.pk}/change/")).status_code == 200
    assert str(volunteer) in client.get(_url(Responder)).content.decode()
