"""The agency directory edited in Django's admin goes through `agency_save`: audited, searchable, never half-saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from pocketbook.audit.models import ObjectChange
from pocketbook.cases.models import Agency

pytestmark = pytest.mark.django_db


def inline_management(prefix: str, rows: list[dict[str, str]], initial: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for number, row in enumerate(rows):
        data.update({f"{prefix}-{number}-{name}": value for name, value in row.items()})
    return data


def agency_form(**fields: str) -> dict[str, Any]:
    return {
        "name": "โรงพยาบาลห้วยยอด",
        "name_en": "Huai Yot Hospital",
        "kind": "hospital",
        "address": "",
        "note": "",
        "key": "",
        "is_active": "on",
        **fields,
        **inline_management("services", [{"service": "medical_care"}]),
        **inline_management("areas", [{"area_code": "9205"}]),
        **inline_management("contacts", [{"kind": "phone", "value": "075-271-000", "person": ""}]),
    }


def test_an_agency_added_in_the_admin_is_audited_and_searchable(client, administrator):
    # given
    client.force_login(administrator)
    # when the administrator adds an agency with a service, an area and a phone
    response = client.post(reverse("admin:cases_agency_add"), agency_form())
    # then it is saved with its inlines, its search text, and an ObjectChange naming the administrator
    assert response.status_code == 302
    agency = Agency.objects.get()
    assert list(agency.services.values_list("service", flat=True)) == ["medical_care"]
    assert list(agency.areas.values_list("area_code", flat=True)) == ["9205"]
    assert list(agency.contacts.values_list("kind", "value")) == [("phone", "075-271-000")]
    assert "โรงพยาบาลห้วยยอด" in agency.search_text
    change = ObjectChange.objects.get(content_type__model="agency", object_id=str(agency.pk))
    assert (change.action, change.user_id, change.before) == ("create", administrator.pk, None)


def test_an_agency_changed_in_the_admin_records_before_and_after(client, administrator):
    # given an agency added in the admin
    client.force_login(administrator)
    client.post(reverse("admin:cases_agency_add"), agency_form())
    agency = Agency.objects.get()
    # when its name is changed and it is made inactive
    edited = agency_form(name="โรงพยาบาลชุมชนห้วยยอด")
    edited.pop("is_active")
    response = client.post(reverse("admin:cases_agency_change", args=[agency.pk]), edited)
    # then one more ObjectChange holds the old and the new values; nothing else was created
    assert response.status_code == 302
    agency.refresh_from_db()
    assert (agency.name, agency.is_active, Agency.objects.count()) == ("โรงพยาบาลชุมชนห้วยยอด", False, 1)
    change = ObjectChange.objects.filter(content_type__model="agency", object_id=str(agency.pk)).latest("id")
    assert change.action == "update"
    assert (change.before["name"], change.after["name"]) == ("โรงพยาบาลห้วยยอด", "โรงพยาบาลชุมชนห้วยยอด")
    assert (change.before["is_active"], change.after["is_active"]) == (True, False)
    assert list(agency.services.values_list("service", flat=True)) == ["medical_care"]


def test_a_bad_area_code_in_the_admin_saves_nothing(client, administrator):
    client.force_login(administrator)
    data = agency_form()
    data["areas-0-area_code"] = "9x"
    response = client.post(reverse("admin:cases_agency_add"), data)
    assert response.status_code == 200
    assert (Agency.objects.count(), ObjectChange.objects.filter(content_type__model="agency").count()) == (0, 0)


def test_agencies_cannot_be_deleted_in_the_admin(client, administrator):
    client.force_login(administrator)
    client.post(reverse("admin:cases_agency_add"), agency_form())
    agency = Agency.objects.get()
    response = client.post(reverse("admin:cases_agency_delete", args=[agency.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Agency.objects.filter(pk=agency.pk).exists()
