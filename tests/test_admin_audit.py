"""What an administrator saves or deletes in the admin reaches the audit trail, as a service's change would.

The models without a service of their own (villages, units, responders, users and their areas) are saved by
`core.admin.ScopedAdmin`, which tells audit of each row; an admin that saves through a service (agencies) is
recorded once, by the service (pocketbook/cases/tests/test_admin.py).
"""

from __future__ import annotations

import pytest

from pocketbook.accounts.models import AreaAssignment, User
from pocketbook.audit.models import Action, ObjectChange
from pocketbook.audit.services import PERSONAL_CHANGED_KEY
from pocketbook.geo.models import Subdistrict, Village
from pocketbook.incidents.models import Responder, Unit
from pocketbook.incidents.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def _url(model, suffix=""):
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/{suffix}"


def _unit_form(unit: Unit, name: str) -> dict[str, str]:
    area = unit.areas.get()
    return {
        "kind": unit.kind,
        "name": name,
        "is_active": "on",
        "areas-TOTAL_FORMS": "1",
        "areas-INITIAL_FORMS": "1",
        "areas-0-id": str(area.pk),
        "areas-0-unit": str(unit.pk),
        "areas-0-area_code": area.area_code,
        "responders-TOTAL_FORMS": "0",
        "responders-INITIAL_FORMS": "0",
    }


def test_saving_a_unit_in_the_admin_writes_one_object_change_naming_the_administrator(client, administrator):
    # given a Trang unit
    unit = UnitFactory(name="สภ.เมืองตรัง", areas=["9201"])
    client.force_login(administrator)
    # when the administrator renames it (its area row sent unchanged)
    response = client.post(_url(Unit, f"{unit.pk}/change/"), _unit_form(unit, "สภ.เมืองตรัง (ใหม่)"))
    # then one ObjectChange holds who, the old name and the new
    assert response.status_code == 302, response.content
    change = ObjectChange.objects.get()
    assert (change.action, change.user, change.object_id) == (Action.UPDATE, administrator, str(unit.pk))
    assert (change.before["name"], change.after["name"]) == ("สภ.เมืองตรัง", "สภ.เมืองตรัง (ใหม่)")


def test_an_inline_row_added_and_one_deleted_are_each_recorded(client, administrator, volunteer):
    # given a unit covering two districts
    unit = UnitFactory(name="สภ.เมืองตรัง", areas=["9201", "9202"])
    kept, dropped = unit.areas.order_by("area_code")
    client.force_login(administrator)
    # when the administrator takes the second district off and adds a responder, the unit itself unchanged
    data = {
        "kind": unit.kind,
        "name": unit.name,
        "is_active": "on",
        "areas-TOTAL_FORMS": "2",
        "areas-INITIAL_FORMS": "2",
        "areas-0-id": str(kept.pk),
        "areas-0-unit": str(unit.pk),
        "areas-0-area_code": "9201",
        "areas-1-id": str(dropped.pk),
        "areas-1-unit": str(unit.pk),
        "areas-1-area_code": "9202",
        "areas-1-DELETE": "on",
        "responders-TOTAL_FORMS": "1",
        "responders-INITIAL_FORMS": "0",
        "responders-0-unit": str(unit.pk),
        "responders-0-user": str(volunteer.pk),
        "responders-0-is_active": "on",
    }
    response = client.post(_url(Unit, f"{unit.pk}/change/"), data)
    # then the removed area and the new responder are in the trail, by the administrator
    assert response.status_code == 302, response.content
    added = Responder.objects.get(unit=unit)
    rows = {(c.content_type.model, c.object_id, c.action) for c in ObjectChange.objects.filter(user=administrator)}
    assert rows == {
        ("unit", str(unit.pk), Action.UPDATE),
        ("unitarea", str(dropped.pk), Action.DELETE),
        ("responder", str(added.pk), Action.CREATE),
    }
    assert ObjectChange.objects.count() == 3
    removed = ObjectChange.objects.get(action=Action.DELETE)
    assert (removed.before["area_code"], removed.before["unit_id"], removed.after) == ("9202", unit.pk, None)


def test_deleting_in_the_admin_records_the_row_as_it_was(client, administrator):
    subdistrict = Subdistrict.objects.get(code="920101")
    village = Village.objects.create(code="92010199", subdistrict=subdistrict, number=99, name="บ้านทดลอง")
    client.force_login(administrator)
    response = client.post(_url(Village, f"{village.pk}/delete/"), {"post": "yes"})
    assert response.status_code == 302
    assert not Village.objects.filter(code="92010199").exists()
    change = ObjectChange.objects.get()
    assert (change.action, change.user, change.object_id) == (Action.DELETE, administrator, str(village.pk))
    assert (change.before["name"], change.after) == ("บ้านทดลอง", None)


def test_a_village_added_in_the_admin_is_recorded_and_a_refused_one_writes_nothing(client, administrator):
    client.force_login(administrator)
    subdistrict = Subdistrict.objects.get(code="920101")
    # a village outside the administrator's province is refused: nothing saved, nothing recorded
    outside = Subdistrict.objects.get(code="500101")
    data = {"code": "50010102", "subdistrict": outside.pk, "number": 2, "name": "บ้านนอก"}
    assert client.post(_url(Village, "add/"), data).status_code == 200
    assert ObjectChange.objects.count() == 0
    # one inside it is saved and recorded
    data = {"code": "92010199", "subdistrict": subdistrict.pk, "number": 99, "name": "บ้านใหม่"}
    assert client.post(_url(Village, "add/"), data).status_code == 302
    village = Village.objects.get(code="92010199")
    change = ObjectChange.objects.get()
    assert (change.action, change.user, change.object_id, change.after["name"]) == (
        Action.CREATE,
        administrator,
        str(village.pk),
        "บ้านใหม่",
    )


def test_a_users_area_given_in_the_admin_is_recorded_without_the_password(client, administrator, volunteer):
    # given a volunteer of subdistrict 920101
    client.force_login(administrator)
    existing = list(AreaAssignment.objects.filter(user=volunteer))
    data = {
        "username": volunteer.username,
        "first_name": volunteer.first_name,
        "last_name": "นามสกุลใหม่",
        "email": "",
        "phone": "",
        "is_active": "on",
        "groups": [str(g.pk) for g in volunteer.groups.all()],
        "date_joined_0": "2025-01-01",
        "date_joined_1": "09:00:00",
        "area_assignments-TOTAL_FORMS": str(len(existing) + 1),
        "area_assignments-INITIAL_FORMS": str(len(existing)),
    }
    prefix = "area_assignments"
    for index, row in enumerate(existing):
        data |= {f"{prefix}-{index}-id": str(row.pk), f"{prefix}-{index}-user": str(volunteer.pk)}
        data |= {f"{prefix}-{index}-area_code": row.area_code}
    data |= {f"{prefix}-{len(existing)}-user": str(volunteer.pk), f"{prefix}-{len(existing)}-area_code": "920102"}
    # when the administrator changes the last name and adds an area
    response = client.post(_url(User, f"{volunteer.pk}/change/"), data)
    # then the user's change and the new area are recorded, by the administrator, with no password in them
    assert response.status_code == 302, response.content
    added = AreaAssignment.objects.get(user=volunteer, area_code="920102")
    user_change = ObjectChange.objects.get(content_type__model="user")
    area_change = ObjectChange.objects.get(content_type__model="areaassignment")
    assert (user_change.action, user_change.user, user_change.after["last_name"]) == (
        Action.UPDATE,
        administrator,
        "นามสกุลใหม่",
    )
    assert "password" not in user_change.before and "password" not in user_change.after
    assert PERSONAL_CHANGED_KEY not in user_change.after  # a staff account names no personal fields
    assert (area_change.action, area_change.object_id, area_change.after["area_code"]) == (
        Action.CREATE,
        str(added.pk),
        "920102",
    )
