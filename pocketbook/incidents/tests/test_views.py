"""The pages: board, hotline form, incident page and its actions, the responder's view."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pocketbook.audit.models import AccessLog
from pocketbook.incidents import services
from pocketbook.incidents.choices import DispatchStatus, EventKind, Status
from pocketbook.incidents.models import Dispatch, Incident, IncidentEvent
from pocketbook.incidents.tests.factories import IncidentFactory


@pytest.fixture
def operator_client(client, ess_operator):
    client.force_login(ess_operator)
    return client


@pytest.mark.django_db
class TestBoard:
    def test_lists_open_incidents_overdue_first_and_refreshes_itself(self, operator_client):
        # given
        older = IncidentFactory(number="ESS-2569-000001")
        overdue = IncidentFactory(number="ESS-2569-000002", is_overdue=True)
        IncidentFactory(number="ESS-2569-000003", status=Status.RESOLVED)
        # when
        page = operator_client.get(reverse("incidents:board"))
        # then
        html = page.content.decode()
        assert page.status_code == 200
        assert 'hx-trigger="every 4s"' in html
        assert html.index(overdue.number) < html.index(older.number)
        assert "ESS-2569-000003" not in html
        assert "/static/vendor/leaflet/leaflet.js" in html

    def test_the_htmx_refresh_answers_only_the_list_and_shows_a_new_report(self, operator_client):
        # given the board is open, then a LINE report arrives
        operator_client.get(reverse("incidents:board"))
        incident = services.incident_open(incident_type="unknown", channel="line", latitude=7.55, longitude=99.61)
        # when the board polls
        part = operator_client.get(reverse("incidents:board"), HTTP_HX_REQUEST="true")
        # then
        html = part.content.decode()
        assert part.status_code == 200
        assert "<html" not in html
        assert incident.number in html
        assert 'data-lat="7.550000" data-lng="99.610000"' in html


@pytest.mark.django_db
class TestHotlineCall:
    def test_logs_a_call_and_opens_the_incident(self, operator_client, ess_operator, district_unit):
        # when
        response = operator_client.post(
            reverse("incidents:hotline_call"),
            {
                "incident_type": "domestic_violence",
                "caller_name": "นางสมใจ",
                "caller_phone": "081-234-5678",
                "area_code": "920101",
                "description": "สามีทำร้ายร่างกาย",
            },
        )
        # then
        incident = Incident.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("incidents:incident_detail", args=[incident.pk])
        assert (incident.channel, incident.incident_type, incident.reporter_phone, incident.unit) == (
            "hotline",
            "domestic_violence",
            "081-234-5678",
            district_unit,
        )
        assert incident.created_by == ess_operator

    def test_bad_input_is_shown_beside_the_field_and_nothing_is_saved(self, operator_client):
        # when
        response = operator_client.post(
            reverse("incidents:hotline_call"),
            {"incident_type": "fire", "caller_phone": "โทรมา", "area_code": "50", "description": ""},
        )
        # then
        html = response.content.decode()
        assert response.status_code == 200
        assert "เขียนสิ่งที่ผู้โทรเล่าว่าเกิดอะไรขึ้น" in html
        assert "เขียนหมายเลขโทรศัพท์เป็นตัวเลข" in html
        assert Incident.objects.count() == 0

    def test_an_area_outside_the_operators_areas_is_refused(self, operator_client):
        response = operator_client.post(
            reverse("incidents:hotline_call"),
            {"incident_type": "drugs", "area_code": "50", "description": "มีการค้ายา"},
        )
        assert "พื้นที่นี้อยู่นอกพื้นที่ของท่าน" in response.content.decode()
        assert Incident.objects.count() == 0


@pytest.mark.django_db
class TestIncidentPage:
    def test_shows_the_timeline_and_logs_the_read_of_the_reporter(self, operator_client, ess_operator):
        # given
        incident = services.incident_open(
            incident_type="assault", channel="hotline", area_code="920101", reporter_name="นายแจ้ง", actor=ess_operator
        )
        # when
        page = operator_client.get(reverse("incidents:incident_detail", args=[incident.pk]))
        # then
        html = page.content.decode()
        assert page.status_code == 200
        assert "นายแจ้ง" in html
        assert "ต.ทับเที่ยง อ.เมืองตรัง จ.ตรัง" in html
        assert AccessLog.objects.filter(object_id=str(incident.pk), purpose="incident reporter").count() == 1

    def test_an_anonymous_reporter_is_hidden(self, operator_client):
        incident = services.incident_open(
            incident_type="assault",
            channel="line",
            reporter_line_user_id="Usecret",
            reporter_name="ลับ",
            is_anonymous=True,
        )
        html = operator_client.get(reverse("incidents:incident_detail", args=[incident.pk])).content.decode()
        assert "ไม่ประสงค์ออกนาม" in html
        assert "ลับ" not in html and "Usecret" not in html
        assert AccessLog.objects.count() == 0

    def test_the_whole_operator_flow_through_the_pages(self, client, operator_client, ess_operator, unit_responder):
        # given a LINE report
        incident = services.incident_open(incident_type="assault", channel="line", area_code="920101")
        url = lambda name: reverse(f"incidents:{name}", args=[incident.pk])  # noqa: E731
        # when the operator acknowledges, notes, dispatches
        assert operator_client.post(url("incident_acknowledge")).status_code == 302
        assert operator_client.post(url("incident_note"), {"text": "โทรยืนยันแล้ว"}).status_code == 302
        assert operator_client.post(url("incident_dispatch"), {"responders": [unit_responder.pk]}).status_code == 302
        dispatch = Dispatch.objects.get()
        # and the responder accepts, arrives, finishes on their phone
        client.force_login(unit_responder.user)
        step = lambda name: reverse("incidents:assignment_step", args=[dispatch.pk, name])  # noqa: E731
        assert incident.number in client.get(reverse("incidents:assignment_list")).content.decode()
        assert client.post(step("accept")).status_code == 302
        assert client.post(step("on_scene")).status_code == 302
        incomplete = client.post(step("complete"), {"incident_status": "resolved", "outcome": ""})
        assert incomplete.status_code == 422
        assert incomplete.context["form"].errors == {"outcome": ["ระบุผลการดำเนินการ"]}
        done = client.post(step("complete"), {"incident_status": "resolved", "outcome": "พาผู้เสียหายไปโรงพยาบาล"})
        # then
        assert done.status_code == 302
        incident.refresh_from_db()
        dispatch.refresh_from_db()
        assert (incident.status, incident.outcome, dispatch.status) == (
            Status.RESOLVED,
            "พาผู้เสียหายไปโรงพยาบาล",
            DispatchStatus.COMPLETED,
        )
        assert list(
            IncidentEvent.objects.filter(incident=incident, kind=EventKind.STATUS_CHANGED)
            .order_by("id")
            .values_list("params__new", flat=True)
        ) == ["acknowledged", "dispatched", "on_scene", "resolved"]

    def test_status_change_without_outcome_is_refused_beside_the_field(self, operator_client):
        incident = services.incident_open(incident_type="assault", channel="staff", area_code="92")
        response = operator_client.post(
            reverse("incidents:incident_status", args=[incident.pk]), {"status": "resolved", "outcome": ""}
        )
        assert response.status_code == 422
        assert response.context["status_form"].errors == {"outcome": ["ระบุผลการดำเนินการ"]}
        incident.refresh_from_db()
        assert incident.status == Status.RECEIVED

    def test_merge_by_number(self, operator_client):
        first = services.incident_open(incident_type="gathering", channel="line", area_code="920101")
        second = services.incident_open(incident_type="gathering", channel="hotline", area_code="920101")
        response = operator_client.post(
            reverse("incidents:incident_merge", args=[second.pk]), {"into": first.number.lower()}
        )
        assert response.status_code == 302
        second.refresh_from_db()
        assert (second.status, second.merged_into) == (Status.DUPLICATE, first)

    def test_merge_into_an_incident_outside_the_areas_is_refused(self, operator_client):
        outside = IncidentFactory(area_code="500101", number="ESS-2569-000777")
        incident = services.incident_open(incident_type="gathering", channel="line", area_code="920101")
        response = operator_client.post(
            reverse("incidents:incident_merge", args=[incident.pk]), {"into": outside.number}
        )
        assert response.status_code == 422
        assert response.context["merge_form"].errors == {"into": ["ไม่มีเรื่อง ESS-2569-000777 ในพื้นที่ของท่าน"]}
        incident.refresh_from_db()
        assert incident.status == Status.RECEIVED

    def test_reassign_and_confirm_location(self, operator_client, province_unit, district_unit):
        incident = services.incident_open(incident_type="unknown", channel="line")
        assert incident.unit == province_unit
        operator_client.post(reverse("incidents:incident_location", args=[incident.pk]), {"area_code": "920105"})
        incident.refresh_from_db()
        assert (incident.area_code, incident.unit, incident.location_to_confirm) == ("920105", district_unit, False)
        operator_client.post(reverse("incidents:incident_reassign", args=[incident.pk]), {"unit": province_unit.pk})
        incident.refresh_from_db()
        assert incident.unit == province_unit


@pytest.mark.django_db
class TestHouseholdLink:
    def test_a_manager_links_an_incident_to_a_household_of_the_area(self, client, manager):
        from pocketbook.households.tests.factories import HouseholdFactory

        # given
        household = HouseholdFactory()
        incident = services.incident_open(incident_type="elderly", channel="hotline", area_code="920101")
        client.force_login(manager)
        # when
        response = client.post(
            reverse("incidents:incident_household", args=[incident.pk]), {"household_id": household.pk}
        )
        # then
        assert response.status_code == 302
        incident.refresh_from_db()
        assert incident.household == household
        assert IncidentEvent.objects.filter(incident=incident, kind=EventKind.HOUSEHOLD_LINKED).count() == 1

    def test_a_household_outside_the_area_is_refused(self, client, manager):
        from pocketbook.households.tests.factories import HouseholdFactory

        household = HouseholdFactory(area_code="50010101")
        incident = services.incident_open(incident_type="elderly", channel="hotline", area_code="920101")
        client.force_login(manager)
        response = client.post(
            reverse("incidents:incident_household", args=[incident.pk]), {"household_id": household.pk}
        )
        assert response.status_code == 422
        assert response.context["household_form"].errors == {"household_id": ["ไม่มีครัวเรือนนี้ในพื้นที่ของท่าน"]}
        incident.refresh_from_db()
        assert incident.household is None

    def test_an_operator_without_household_permission_never_sees_the_linked_house_number(
        self, client, manager, ess_operator
    ):
        from pocketbook.households.tests.factories import HouseholdFactory

        # given: a manager linked the incident to house 88/8
        household = HouseholdFactory(house_no="88/8")
        incident = services.incident_open(incident_type="elderly", channel="hotline", area_code="920101")
        services.incident_household_link(incident=incident, household=household, actor=manager)
        assert not ess_operator.has_perm("households.view_household")
        client.force_login(ess_operator)
        # when
        page = client.get(reverse("incidents:incident_detail", args=[incident.pk])).content.decode()
        api = client.get(f"/api/v1/incidents/{incident.pk}").content.decode()
        # then
        assert "88/8" not in page and "88/8" not in api
        event = IncidentEvent.objects.get(incident=incident, kind=EventKind.HOUSEHOLD_LINKED)
        assert event.params == {"household_id": household.pk}
        # and the manager, who may see the household, still reads its house number
        client.force_login(manager)
        assert "88/8" in client.get(reverse("incidents:incident_detail", args=[incident.pk])).content.decode()
