"""Who may see and do what: anonymous, wrong role, wrong area, right area, for every page and endpoint."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pocketbook.incidents import services
from pocketbook.incidents.choices import DispatchStatus, Status
from pocketbook.incidents.models import Dispatch, Incident, IncidentEvent
from pocketbook.incidents.tests.factories import DispatchFactory, IncidentFactory, ResponderFactory

ACTIONS = {
    "incident_acknowledge": {},
    "incident_note": {"text": "บันทึก"},
    "incident_status": {"status": "false_alarm"},
    "incident_merge": {"into": "ESS-2569-000002"},
    "incident_location": {"area_code": "920105"},
}


@pytest.fixture
def trang_incident(db):
    return IncidentFactory(number="ESS-2569-900001", area_code="920101", reporter_name="ผู้แจ้งลับ")


@pytest.mark.django_db
class TestPages:
    def test_anonymous_is_sent_to_sign_in(self, client, trang_incident):
        for url in (
            reverse("incidents:board"),
            reverse("incidents:hotline_call"),
            reverse("incidents:incident_detail", args=[trang_incident.pk]),
            reverse("incidents:assignment_list"),
        ):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:login"))

    @pytest.mark.parametrize("role", ["volunteer", "social_worker", "analyst", "responder"])
    def test_roles_without_incident_work_are_refused(self, request, client, role, trang_incident):
        client.force_login(request.getfixturevalue(role))
        assert client.get(reverse("incidents:board")).status_code == 403
        assert client.get(reverse("incidents:hotline_call")).status_code == 403
        assert client.get(reverse("incidents:incident_detail", args=[trang_incident.pk])).status_code == 403
        response = client.post(reverse("incidents:hotline_call"), {"incident_type": "drugs", "description": "x"})
        assert response.status_code == 403
        for name, data in ACTIONS.items():
            assert client.post(reverse(f"incidents:{name}", args=[trang_incident.pk]), data).status_code == 403
        trang_incident.refresh_from_db()
        assert (trang_incident.status, Incident.objects.count(), IncidentEvent.objects.count()) == (
            Status.RECEIVED,
            1,
            0,
        )

    def test_another_province_sees_nothing_and_changes_nothing(self, client, other_province_worker, trang_incident):
        client.force_login(other_province_worker)
        board = client.get(reverse("incidents:board"))
        assert board.status_code == 200
        assert trang_incident.number not in board.content.decode()
        assert client.get(reverse("incidents:incident_detail", args=[trang_incident.pk])).status_code == 404
        for name, data in ACTIONS.items():
            assert client.post(reverse(f"incidents:{name}", args=[trang_incident.pk]), data).status_code == 404
        trang_incident.refresh_from_db()
        assert (trang_incident.status, IncidentEvent.objects.count()) == (Status.RECEIVED, 0)

    @pytest.mark.parametrize("role", ["ess_operator", "manager"])
    def test_operators_and_managers_of_the_area_work_it(self, request, client, role, trang_incident):
        client.force_login(request.getfixturevalue(role))
        assert trang_incident.number in client.get(reverse("incidents:board")).content.decode()
        assert client.get(reverse("incidents:incident_detail", args=[trang_incident.pk])).status_code == 200
        assert client.get(reverse("incidents:hotline_call")).status_code == 200
        assert client.post(reverse("incidents:incident_acknowledge", args=[trang_incident.pk])).status_code == 302
        trang_incident.refresh_from_db()
        assert trang_incident.status == Status.ACKNOWLEDGED

    def test_responders_see_their_units_assignments_only(self, client, unit_responder, ess_operator):
        # given one dispatch to the responder and one to a responder of another unit
        mine = DispatchFactory(responder=unit_responder)
        elsewhere = DispatchFactory(responder=ResponderFactory())
        client.force_login(unit_responder.user)
        # when / then
        listing = client.get(reverse("incidents:assignment_list")).content.decode()
        assert mine.incident.number in listing
        assert elsewhere.incident.number not in listing
        assert client.get(reverse("incidents:assignment_detail", args=[elsewhere.pk])).status_code == 404
        assert client.post(reverse("incidents:assignment_step", args=[elsewhere.pk, "accept"])).status_code == 404
        elsewhere.refresh_from_db()
        assert elsewhere.status == DispatchStatus.ASSIGNED

    def test_a_colleague_sees_but_cannot_act_on_anothers_assignment(self, client, unit_responder):
        colleague = ResponderFactory(unit=unit_responder.unit)
        theirs = DispatchFactory(responder=colleague)
        client.force_login(unit_responder.user)
        assert client.get(reverse("incidents:assignment_detail", args=[theirs.pk])).status_code == 200
        assert client.post(reverse("incidents:assignment_step", args=[theirs.pk, "accept"])).status_code == 403
        theirs.refresh_from_db()
        assert theirs.status == DispatchStatus.ASSIGNED

    def test_operators_have_no_responder_view(self, client, ess_operator, unit_responder):
        dispatch = DispatchFactory(responder=unit_responder)
        client.force_login(ess_operator)
        assert client.get(reverse("incidents:assignment_list")).status_code == 403
        assert client.post(reverse("incidents:assignment_step", args=[dispatch.pk, "accept"])).status_code == 403
        assert Dispatch.objects.get().status == DispatchStatus.ASSIGNED


@pytest.mark.django_db
class TestApi:
    def test_anonymous_gets_401(self, client, trang_incident):
        assert client.get("/api/v1/incidents").status_code == 401
        assert (
            client.post("/api/v1/incidents", {"incident_type": "drugs"}, content_type="application/json").status_code
            == 401
        )
        assert Incident.objects.count() == 1

    @pytest.mark.parametrize("role", ["volunteer", "analyst", "responder"])
    def test_wrong_roles_get_403_and_write_nothing(self, request, client, role, trang_incident):
        client.force_login(request.getfixturevalue(role))
        assert client.get("/api/v1/incidents").status_code == 403
        created = client.post("/api/v1/incidents", {"incident_type": "drugs"}, content_type="application/json")
        changed = client.post(
            f"/api/v1/incidents/{trang_incident.pk}/status", {"status": "false_alarm"}, content_type="application/json"
        )
        assert (created.status_code, changed.status_code) == (403, 403)
        trang_incident.refresh_from_db()
        assert (Incident.objects.count(), trang_incident.status) == (1, Status.RECEIVED)

    def test_another_province_lists_nothing_and_gets_404(self, client, other_province_worker, trang_incident):
        client.force_login(other_province_worker)
        assert client.get("/api/v1/incidents").json() == []
        assert client.get(f"/api/v1/incidents/{trang_incident.pk}").status_code == 404
        changed = client.post(
            f"/api/v1/incidents/{trang_incident.pk}/status", {"status": "false_alarm"}, content_type="application/json"
        )
        assert changed.status_code == 404
        created = client.post(
            "/api/v1/incidents",
            {"incident_type": "drugs", "area_code": "920101"},
            content_type="application/json",
        )
        assert created.status_code == 422
        assert created.json()["error"]["fields"] == [{"path": "body.area_code", "message": "พื้นที่นี้อยู่นอกพื้นที่ของท่าน"}]
        trang_incident.refresh_from_db()
        assert (Incident.objects.count(), trang_incident.status) == (1, Status.RECEIVED)

    def test_the_operator_lists_reads_creates_and_changes(self, client, ess_operator, district_unit, trang_incident):
        client.force_login(ess_operator)
        # list
        listed = client.get("/api/v1/incidents").json()
        assert [row["number"] for row in listed] == [trang_incident.number]
        # create
        created = client.post(
            "/api/v1/incidents",
            {"incident_type": "missing_person", "channel": "hotline", "area_code": "920101", "description": "เด็กหาย"},
            content_type="application/json",
        )
        assert created.status_code == 201
        body = created.json()
        assert (body["incident_type"], body["priority"], body["unit"], body["status"]) == (
            "missing_person",
            "high",
            "สภ.เมืองตรัง",
            "received",
        )
        assert [event["kind"] for event in body["timeline"]] == ["opened", "routed"]
        # status changes
        pk = body["id"]
        acknowledged = client.post(
            f"/api/v1/incidents/{pk}/status", {"status": "acknowledged"}, content_type="application/json"
        )
        assert acknowledged.json()["status"] == "acknowledged"
        refused = client.post(
            f"/api/v1/incidents/{pk}/status", {"status": "resolved"}, content_type="application/json"
        )
        assert refused.status_code == 422
        assert refused.json()["error"]["fields"] == [{"path": "body.outcome", "message": "ระบุผลการดำเนินการ"}]
        # detail
        detail = client.get(f"/api/v1/incidents/{pk}").json()
        assert detail["status"] == "acknowledged"

    def test_bad_input_answers_422_naming_the_field(self, client, ess_operator):
        client.force_login(ess_operator)
        response = client.post(
            "/api/v1/incidents", {"incident_type": "fire", "latitude": 123}, content_type="application/json"
        )
        assert response.status_code == 422
        fields = {f["path"]: f["message"] for f in response.json()["error"]["fields"]}
        assert list(fields) == ["body.payload.incident_type", "body.payload.latitude"]
        assert fields["body.payload.incident_type"].startswith("เลือกค่าใดค่าหนึ่งต่อไปนี้: 'assault', 'confinement'")
        assert fields["body.payload.incident_type"].endswith("'disability' หรือ 'beggars'")
        assert fields["body.payload.latitude"] == "ต้องไม่เกิน 90"
        assert Incident.objects.count() == 0

    def test_an_anonymous_reporter_stays_hidden_in_the_api(self, client, ess_operator):
        incident = services.incident_open(
            incident_type="assault", channel="line", area_code="920101", reporter_phone="0812345678", is_anonymous=True
        )
        client.force_login(ess_operator)
        body = client.get(f"/api/v1/incidents/{incident.pk}").json()
        assert (body["reporter"], body["reporter_phone"]) == ("anonymous", "")
