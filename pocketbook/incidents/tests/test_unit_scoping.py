"""Units and responders are read through `for_user` like every scoped table, and the write services refuse a unit
or responder outside the acting user's scope, whichever door (page, API, command) the request came through."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from conftest import HOME_PROVINCE, OTHER_DISTRICT, OTHER_PROVINCE
from pocketbook.accounts.roles import Role
from pocketbook.accounts.tests.factories import UserFactory
from pocketbook.audit.models import ObjectChange
from pocketbook.incidents import services
from pocketbook.incidents.models import Dispatch, IncidentEvent, Responder, Unit
from pocketbook.incidents.selectors import assignment_list, responders_for_incident, unit_list
from pocketbook.incidents.tests.factories import DispatchFactory, IncidentFactory, ResponderFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(db):
    """A province unit, a unit of each of two districts of the province, and one of another province."""
    return {
        "province": UnitFactory(name="พมจ.ตรัง", areas=[HOME_PROVINCE]),
        "mueang": UnitFactory(name="สภ.เมืองตรัง", areas=["9201"]),
        "kantang": UnitFactory(name="สภ.กันตัง", areas=[OTHER_DISTRICT]),
        "chiangmai": UnitFactory(name="สภ.เมืองเชียงใหม่", areas=[OTHER_PROVINCE]),
    }


def _names(rows) -> list[str]:
    return sorted(str(row) for row in rows)


def test_a_province_operator_sees_the_units_of_the_province_and_not_another_provinces(units, ess_operator):
    seen = Unit.objects.for_user(ess_operator)

    assert _names(seen) == ["พมจ.ตรัง", "สภ.กันตัง", "สภ.เมืองตรัง"]


def test_a_district_operator_sees_the_province_unit_and_their_districts_not_a_neighbouring_district(
    units, district_neighbour_operator
):
    seen = Unit.objects.for_user(district_neighbour_operator)

    assert _names(seen) == ["พมจ.ตรัง", "สภ.กันตัง"]


def test_a_unit_covering_two_areas_of_the_viewer_is_listed_once(units, ess_operator):
    # given: a unit covering two districts of the operator's province
    UnitFactory(name="ทีม 1300", areas=["9201", OTHER_DISTRICT])

    # when
    listed = [unit.name for unit in unit_list(viewer=ess_operator)]

    # then
    assert listed == ["ทีม 1300", "พมจ.ตรัง", "สภ.กันตัง", "สภ.เมืองตรัง"]


def test_anonymous_and_roles_without_the_permission_see_no_unit(units, volunteer, social_worker):
    assert list(Unit.objects.for_user(AnonymousUser())) == []
    assert list(Unit.objects.for_user(None)) == []
    assert list(unit_list(viewer=volunteer)) == []
    assert list(Responder.objects.for_user(social_worker)) == []


def test_an_inactive_unit_is_not_offered(units, ess_operator):
    units["mueang"].is_active = False
    units["mueang"].save()

    assert [unit.name for unit in unit_list(viewer=ess_operator)] == ["พมจ.ตรัง", "สภ.กันตัง"]


def test_the_dispatch_offers_no_responder_of_another_district_or_province(units, district_neighbour_operator):
    # given: a responder in each unit; an incident in the operator's district
    for key, unit in units.items():
        ResponderFactory(user=UserFactory(username=f"r-{key}", roles=[Role.RESPONDER]), unit=unit)
    incident = IncidentFactory(area_code=OTHER_DISTRICT + "01", unit=units["kantang"])

    # when
    offered = [r.user.username for r in responders_for_incident(viewer=district_neighbour_operator, incident=incident)]

    # then: the routed unit first, then the province's
    assert offered == ["r-kantang", "r-province"]


def test_reassigning_to_another_provinces_unit_is_refused_by_the_service_and_nothing_is_written(units, ess_operator):
    # given
    incident = IncidentFactory(area_code="920101", unit=units["mueang"])
    changes = ObjectChange.objects.count()

    # when
    with pytest.raises(ValidationError) as refused, translation.override("th"):
        services.incident_reassign(incident=incident, unit=units["chiangmai"], actor=ess_operator)

    # then
    with translation.override("th"):
        assert refused.value.message_dict == {"unit": ["เลือกหน่วยงานที่ให้บริการในพื้นที่ของคุณ"]}
    incident.refresh_from_db()
    assert incident.unit == units["mueang"]
    assert ObjectChange.objects.count() == changes
    assert IncidentEvent.objects.filter(incident=incident).count() == 0


def test_a_district_operator_cannot_reassign_to_a_neighbouring_districts_unit(units, district_neighbour_operator):
    incident = IncidentFactory(area_code=OTHER_DISTRICT + "01", unit=units["kantang"])

    with pytest.raises(ValidationError):
        services.incident_reassign(incident=incident, unit=units["mueang"], actor=district_neighbour_operator)

    incident.refresh_from_db()
    assert incident.unit == units["kantang"]


def test_reassigning_inside_the_operators_scope_is_accepted(units, district_neighbour_operator):
    incident = IncidentFactory(area_code=OTHER_DISTRICT + "01", unit=units["kantang"])

    services.incident_reassign(incident=incident, unit=units["province"], actor=district_neighbour_operator)

    incident.refresh_from_db()
    assert incident.unit == units["province"]


def test_dispatching_another_provinces_responder_is_refused_and_no_dispatch_is_stored(units, ess_operator):
    # given
    incident = IncidentFactory(area_code="920101", unit=units["mueang"])
    outsider = ResponderFactory(user=UserFactory(username="r-cm", roles=[Role.RESPONDER]), unit=units["chiangmai"])
    insider = ResponderFactory(user=UserFactory(username="r-mueang", roles=[Role.RESPONDER]), unit=units["mueang"])

    # when: one of the two is out of scope
    with pytest.raises(ValidationError) as refused, translation.override("th"):
        services.incident_dispatch(incident=incident, responders=[insider, outsider], actor=ess_operator)

    # then: neither was sent
    with translation.override("th"):
        assert refused.value.message_dict == {"responders": ["เลือกผู้ปฏิบัติงานในพื้นที่ของคุณ"]}
    assert Dispatch.objects.count() == 0


def test_the_reassign_page_refuses_another_provinces_unit(client, units, ess_operator):
    # given
    incident = IncidentFactory(area_code="920101", unit=units["mueang"])
    client.force_login(ess_operator)

    # when
    response = client.post(
        reverse("incidents:incident_reassign", args=[incident.pk]), {"unit": units["chiangmai"].pk, "reason": "x"}
    )

    # then: the form refuses the choice, nothing changes
    assert response.status_code == 422
    assert "unit" in response.context["reassign_form"].errors
    incident.refresh_from_db()
    assert incident.unit == units["mueang"]


def test_dispatches_are_seen_where_their_incident_is_or_through_the_responders_unit(units, responder):
    # given: the responder of Mueang (district 9201) and dispatches of several places and units
    mine = ResponderFactory(user=responder, unit=units["mueang"])
    in_the_district = DispatchFactory(responder=mine, incident=IncidentFactory(area_code="920101"))
    not_yet_placed = DispatchFactory(
        responder=ResponderFactory(unit=units["province"]), incident=IncidentFactory(area_code=HOME_PROVINCE)
    )
    across_the_line = DispatchFactory(responder=mine, incident=IncidentFactory(area_code=OTHER_DISTRICT + "01"))
    DispatchFactory(responder=ResponderFactory(unit=units["kantang"]), incident=IncidentFactory(area_code="920201"))
    DispatchFactory(responder=ResponderFactory(unit=units["chiangmai"]), incident=IncidentFactory(area_code="500101"))

    # when
    seen = set(Dispatch.objects.for_user(responder))

    # then
    assert seen == {in_the_district, not_yet_placed, across_the_line}


def test_whoever_may_not_view_dispatches_is_given_none(units, responder, ess_operator):
    DispatchFactory(responder=ResponderFactory(unit=units["mueang"]), incident=IncidentFactory(area_code="920101"))

    assert list(Dispatch.objects.for_user(ess_operator)) == []
    assert list(Dispatch.objects.for_user(AnonymousUser())) == []


def test_my_assignments_go_through_the_gate_then_keep_to_the_responders_units(units, responder):
    # given: the responder's unit has a dispatch in Mueang; another unit has one in the same place
    mine = ResponderFactory(user=responder, unit=units["mueang"])
    ours = DispatchFactory(responder=ResponderFactory(unit=units["mueang"]), incident=IncidentFactory())
    DispatchFactory(responder=ResponderFactory(unit=units["province"]), incident=IncidentFactory())
    own = DispatchFactory(responder=mine, incident=IncidentFactory())

    # then: the unit's dispatches, their own first
    assert list(assignment_list(viewer=responder)) == [own, ours]

    # and a responder of the same unit whose areas lie in another province is given nothing by the gate
    elsewhere = UserFactory(roles=[Role.RESPONDER], areas=[OTHER_PROVINCE])
    ResponderFactory(user=elsewhere, unit=units["mueang"])
    assert list(assignment_list(viewer=elsewhere)) == []
