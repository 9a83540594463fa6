"""The pages: who may open what, the check-in endpoints, bad input in Thai, PDFs and the public verification."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from pocketbook.accounts.roles import Role
from pocketbook.accounts.tests.factories import UserFactory
from pocketbook.audit.models import ObjectChange
from pocketbook.core.tests.pdf import pdf_text, thai_normalised
from pocketbook.households.tests.factories import HouseholdFactory, make_national_id
from pocketbook.incidents.choices import IncidentType
from pocketbook.incidents.tests.factories import DispatchFactory, IncidentFactory, ResponderFactory
from pocketbook.volunteers import selectors, services, training_services
from pocketbook.volunteers.models import (
    AssignmentBatch,
    Attendance,
    Certificate,
    HouseholdAssignment,
    TrainingProject,
    Visit,
    Volunteer,
)
from pocketbook.volunteers.tests.factories import ParticipantFactory, SessionFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def thai_pages():
    """Pages answer in Thai (the default language)."""
    from django.utils import translation

    with translation.override("th"):
        yield


def _client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def world(social_worker):
    """A volunteer with a household, a project with one session, a participant who attended and has a certificate."""
    volunteer = VolunteerFactory(first_name="สมใจ", last_name="อาสา")
    household = HouseholdFactory()
    services.household_assign(household=household, volunteer=volunteer, actor=social_worker)
    session = SessionFactory()
    participant = ParticipantFactory(project=session.project, first_name="สมศรี", last_name="ใจดี")
    training_services.check_in(session=session, participant=participant, method="tick", actor=social_worker)
    certificate = training_services.certificate_issue(participant=participant, actor=social_worker)
    return {
        "volunteer": volunteer,
        "household": household,
        "project": session.project,
        "session": session,
        "participant": participant,
        "certificate": certificate,
    }


def _urls(world):
    project, session = world["project"], world["session"]
    return {
        "list": (reverse("volunteers:volunteer_list"), False),
        "detail": (reverse("volunteers:volunteer_detail", args=[world["volunteer"].pk]), True),
        "edit": (reverse("volunteers:volunteer_edit", args=[world["volunteer"].pk]), True),
        "assign": (reverse("volunteers:assignment") + "?area=92010101", False),
        "reassign": (reverse("volunteers:reassign"), False),
        "projects": (reverse("volunteers:project_list"), False),
        "project": (reverse("volunteers:project_detail", args=[project.pk]), True),
        "report": (reverse("volunteers:project_report", args=[project.pk]), True),
        "scores": (reverse("volunteers:scores", args=[project.pk]), True),
        "check-in": (reverse("volunteers:check_in", args=[session.pk]), True),
        "check-in-list": (reverse("volunteers:check_in_list", args=[session.pk]), True),
        "counts": (reverse("volunteers:check_in_counts", args=[session.pk]), True),
        "qr": (reverse("volunteers:participant_qr", args=[world["participant"].pk]), True),
        "certificate": (reverse("volunteers:certificate_pdf", args=[world["certificate"].pk]), True),
    }


def test_anonymous_is_sent_to_sign_in(client, world):
    for name, (url, _scoped) in _urls(world).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith("/accounts/login/"), name


def test_the_analyst_sees_coverage_only(client, analyst, world):
    _client(client, analyst)
    for name, (url, _scoped) in _urls(world).items():
        assert client.get(url).status_code == 403, name
    assert client.get(reverse("volunteers:coverage")).status_code == 200


def test_a_worker_of_another_province_gets_404_for_each_record(client, other_province_worker, world):
    _client(client, other_province_worker)
    for name, (url, scoped) in _urls(world).items():
        response = client.get(url)
        assert response.status_code == (404 if scoped else 200), name
    response = client.get(reverse("volunteers:volunteer_list"))
    assert "สมใจ" not in response.content.decode()


def test_the_social_worker_of_the_area_opens_every_page(client, social_worker, world):
    _client(client, social_worker)
    for name, (url, _scoped) in _urls(world).items():
        assert client.get(url).status_code == 200, name
    page = client.get(_urls(world)["detail"][0]).content.decode()
    assert "สมใจ อาสา" in page
    assert client.get(reverse("volunteers:coverage")).status_code == 200


def test_the_volunteer_role_sees_my_visits_but_not_the_registry(client, volunteer, world):
    VolunteerFactory(user=volunteer)
    _client(client, volunteer)
    assert client.get(reverse("volunteers:my_visits")).status_code == 200
    assert client.get(reverse("volunteers:volunteer_list")).status_code == 403


def test_my_visits_lists_overdue_first(client, volunteer, social_worker):
    linked = VolunteerFactory(user=volunteer)
    late, soon = HouseholdFactory(house_no="1/1"), HouseholdFactory(house_no="2/2")
    services.households_assign(household_ids=[late.pk, soon.pk], volunteer=linked, actor=social_worker)
    services.visit_record(
        household=late, visited_on=timezone.localdate() - dt.timedelta(days=100), note="x", actor=social_worker
    )
    _client(client, volunteer)
    page = client.get(reverse("volunteers:my_visits")).content.decode()
    assert page.index("บ้านเลขที่ 1/1") < page.index("บ้านเลขที่ 2/2")
    assert "เกินกำหนด (1)" in page


def test_scan_checks_in_once_and_the_second_scan_says_who_and_when(client, social_worker, world):
    session = world["session"]
    newcomer = ParticipantFactory(project=world["project"], first_name="มานะ", last_name="ขยัน")
    _client(client, social_worker)
    url = reverse("volunteers:check_in_scan", args=[session.pk])
    body = json.dumps({"token": training_services.check_in_qr_text(newcomer)})
    # when
    first = client.post(url, body, content_type="application/json")
    second = client.post(url, body, content_type="application/json")
    # then
    assert first.status_code == 200 and first.json()["ok"] is True
    assert second.status_code == 409
    when = timezone.localtime(Attendance.objects.get(participant=newcomer).checked_in_at)
    assert second.json()["message"].startswith(f"มานะ ขยัน ลงทะเบียนเข้าร่วมแล้วเมื่อเวลา {when:%H:%M}")
    assert Attendance.objects.filter(participant=newcomer).count() == 1


def test_an_unknown_code_is_refused_in_thai(client, social_worker, world):
    _client(client, social_worker)
    url = reverse("volunteers:check_in_scan", args=[world["session"].pk])
    response = client.post(
        url, json.dumps({"token": "PBK-CHECKIN:nothing-like-this"}), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["message"].startswith("QR นี้ไม่ใช่รหัสของผู้เข้าร่วมโครงการนี้")
    broken = client.post(url, "{not json", content_type="application/json")
    assert broken.status_code == 400


def test_scan_into_a_session_of_another_province_is_404_and_writes_nothing(client, other_province_worker, world):
    newcomer = ParticipantFactory(project=world["project"])
    _client(client, other_province_worker)
    url = reverse("volunteers:check_in_scan", args=[world["session"].pk])
    response = client.post(url, json.dumps({"token": newcomer.check_in_token}), content_type="application/json")
    assert response.status_code == 404
    assert not Attendance.objects.filter(participant=newcomer).exists()


def test_tick_checks_in_and_shows_the_time(client, social_worker, world):
    newcomer = ParticipantFactory(project=world["project"])
    _client(client, social_worker)
    response = client.post(reverse("volunteers:check_in_tick", args=[world["session"].pk, newcomer.pk]))
    assert response.status_code == 200
    assert 'data-testid="checked-in"' in response.content.decode()
    again = client.post(reverse("volunteers:check_in_tick", args=[world["session"].pk, newcomer.pk]))
    assert "ลงทะเบียนเข้าร่วมแล้ว" in again.content.decode()
    assert Attendance.objects.filter(participant=newcomer, method="tick").count() == 1


def test_a_certificate_for_a_non_attendee_is_refused_in_thai(client, social_worker, world):
    absent = ParticipantFactory(project=world["project"], first_name="ขาด", last_name="ประชุม")
    _client(client, social_worker)
    response = client.post(
        reverse("volunteers:certificates_issue", args=[world["project"].pk]), {"participant": absent.pk}, follow=True
    )
    assert "ขาด ประชุม ไม่ได้เข้าร่วมการอบรมช่วงใดของโครงการนี้" in response.content.decode()
    assert not Certificate.objects.filter(participant=absent).exists()


def test_a_future_visit_is_refused_in_thai_and_nothing_is_saved(client, social_worker, world):
    _client(client, social_worker)
    future = timezone.localdate() + dt.timedelta(days=3)
    response = client.post(
        reverse("volunteers:visit_create", args=[world["household"].pk]),
        {"visited_on": f"{future.day}/{future.month}/{future.year + 543}", "note": "เยี่ยม"},
    )
    assert response.status_code == 200
    assert "เป็นวันในอนาคต" in response.content.decode()
    assert Visit.objects.count() == 0


def test_an_area_outside_the_province_is_refused_in_thai(client, manager):
    _client(client, manager)
    response = client.post(
        reverse("volunteers:volunteer_create"),
        {
            "first_name": "ไกล",
            "last_name": "บ้าน",
            "home_area_code": "92010101",
            "areas_served": "92010101, 50010101",
            "national_id": make_national_id("310170020345"),
        },
    )
    assert response.status_code == 200
    assert "พื้นที่ 50010101 อยู่นอกจังหวัดของสำนักงาน" in response.content.decode()
    assert Volunteer.objects.count() == 0


def test_a_caseload_over_the_limit_is_refused_in_thai_and_nothing_changes(client, social_worker, settings):
    settings.VOLUNTEER_CASELOAD_LIMIT = 1
    volunteer = VolunteerFactory(first_name="เต็ม", last_name="มือ")
    households = HouseholdFactory.create_batch(2)
    _client(client, social_worker)
    response = client.post(
        reverse("volunteers:assignment"),
        {"area": "92010101", "volunteer": volunteer.pk, "households": [h.pk for h in households]},
        follow=True,
    )
    assert "เต็ม มือ ดูแลอยู่แล้ว 0 ครัวเรือน" in response.content.decode()
    assert HouseholdAssignment.objects.count() == 0
    assert not ObjectChange.objects.filter(content_type__model="assignmentbatch").exists()


def test_assign_by_ticking_households(client, social_worker):
    volunteer = VolunteerFactory()
    households = HouseholdFactory.create_batch(2)
    _client(client, social_worker)
    client.post(
        reverse("volunteers:assignment"),
        {"area": "92010101", "volunteer": volunteer.pk, "households": [households[0].pk]},
    )
    assert list(HouseholdAssignment.objects.values_list("household_id", flat=True)) == [households[0].pk]


def test_the_verify_page_is_public_and_masks_the_name(client, world):
    certificate = world["certificate"]
    response = client.get(reverse("verify_certificate", args=[certificate.code]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "สม*** ใ***" in page and "สมศรี" not in page
    assert world["project"].title in page
    missing = client.get(reverse("verify_certificate", args=["ZZZZZZZZZZ"]))
    assert missing.status_code == 404


def test_the_certificate_pdf_reads_in_thai(client, social_worker, world, tmp_path):
    _client(client, social_worker)
    response = client.get(reverse("volunteers:certificate_pdf", args=[world["certificate"].pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, name="certificate")
    assert "เกียรติบัตร" in text
    assert "สมศรี ใจดี" in text
    assert "2 มิถุนายน 2566" in text
    assert "การพัฒนาศักยภาพอาสาสมัคร" in text
    assert world["certificate"].code in text


def test_the_report_pdf_counts_by_role(client, social_worker, world, tmp_path):
    _client(client, social_worker)
    response = client.get(reverse("volunteers:project_report", args=[world["project"].pk]) + "?format=pdf")
    text = pdf_text(response.content, name="report")
    assert "รายงานผลโครงการ" in text
    assert thai_normalised("จำนวนที่ใช้จ่าย") in text or "ใช้จ่าย" in text
    assert TrainingProject.objects.count() == 1


def test_the_household_page_shows_the_volunteer_in_charge_and_the_next_visit(client, social_worker, world):
    client.force_login(social_worker)
    page = client.get(reverse("households:household_detail", args=[world["household"].pk])).content.decode()
    assert 'data-testid="volunteer-section"' in page
    assert "สมใจ อาสา" in page
    next_visit = timezone.localdate() + dt.timedelta(days=7)
    assert f"{next_visit.day} " in page and "เปลี่ยนอาสาสมัคร" in page
    listing = client.get(reverse("households:household_list")).content.decode()
    assert "การเยี่ยมบ้าน" in listing


def test_scores_are_imported_on_the_scores_page(client, social_worker, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    participant = world["participant"]
    client.force_login(social_worker)
    upload = SimpleUploadedFile("s.csv", f"participant_id,pre_test,post_test\n{participant.pk},40,x\n".encode())
    response = client.post(reverse("volunteers:scores", args=[world["project"].pk]), {"file": upload})
    page = response.content.decode()
    assert "บันทึกคะแนนแล้ว 0 คน พบปัญหา 1 รายการ" in page
    assert "คะแนนต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100" in page


def test_pages_name_the_village_with_its_moo_number_instead_of_its_code(client, volunteer, social_worker):
    # given: a volunteer linked to a login, with one household of หมู่ 1 บ้านทับเที่ยง (92010101) in charge
    linked = VolunteerFactory(user=volunteer, areas=["92010101"])
    household = HouseholdFactory(house_no="5/1", area_code="92010101")
    services.households_assign(household_ids=[household.pk], volunteer=linked, actor=social_worker)
    _client(client, volunteer)
    # when
    visits = client.get(reverse("volunteers:my_visits")).content.decode()
    _client(client, social_worker)
    listing = client.get(reverse("volunteers:volunteer_list")).content.decode()
    profile = client.get(reverse("volunteers:volunteer_detail", args=[linked.pk])).content.decode()
    assigning = client.get(reverse("volunteers:assignment") + "?area=92010101").content.decode()
    villages = client.get(reverse("volunteers:coverage") + "?area=920101").content.decode()
    # then
    for page in (visits, listing, profile, assigning, villages):
        assert "หมู่ 1 บ้านทับเที่ยง" in page
    assert ">92010101<" not in visits and "92010101 ·" not in visits
    assert '<span class="muted">92010101</span>' not in assigning


@pytest.fixture
def attended(db):
    """A volunteer whose login is a responder dispatched to an incident of หมู่ 1 บ้านทับเที่ยง, reported by name."""
    linked = VolunteerFactory(user=UserFactory(username="vol_responder", roles=[Role.VOLUNTEER, Role.RESPONDER]))
    responder = ResponderFactory(user=linked.user)
    incident = IncidentFactory(
        incident_type=IncidentType.ASSAULT,
        area_code="92010101",
        reporter_name="นางผู้แจ้ง ลับมาก",
        reporter_phone="0899999999",
        received_at=dt.datetime(2026, 11, 3, 9, 0, tzinfo=dt.UTC),
    )
    DispatchFactory(incident=incident, responder=responder)
    return linked


def test_the_profile_lists_incidents_attended_without_the_reporter(client, manager, attended):
    # given: a manager of the province, who may see volunteers and incidents
    _client(client, manager)
    # when
    page = client.get(reverse("volunteers:volunteer_detail", args=[attended.pk])).content.decode()
    # then: type, date, status and area; nothing of the reporter
    assert 'data-testid="incidents-attended"' in page
    assert str(IncidentType.ASSAULT.label) in page
    assert "3 พฤศจิกายน 2569 16:00" in page
    assert "หมู่ 1 บ้านทับเที่ยง" in page
    assert "นางผู้แจ้ง" not in page and "0899999999" not in page and "มีคนทะเลาะวิวาท" not in page


def test_a_viewer_without_incident_permission_sees_no_incident_on_the_profile(client, social_worker, attended):
    # given: a social worker may see volunteers but not incidents
    _client(client, social_worker)
    # when
    page = client.get(reverse("volunteers:volunteer_detail", args=[attended.pk])).content.decode()
    # then
    assert page.count('data-testid="incidents-attended"') == 0
    assert "ไม่มีเหตุที่ท่านดูได้" in page


def test_a_manager_of_another_subdistrict_sees_no_incident_outside_their_areas(client, attended):
    # given: the incident is in ต.ทับเที่ยง; this manager serves only ต.นาพละ, where the volunteer now lives
    Volunteer.objects.filter(pk=attended.pk).update(home_area_code="92010401")
    attended.areas.create(area_code="92010401")
    neighbour = UserFactory(username="mgr_napala", roles=[Role.MANAGER], areas=["920104"])
    _client(client, neighbour)
    # when
    response = client.get(reverse("volunteers:volunteer_detail", args=[attended.pk]))
    # then
    assert response.status_code == 200
    assert 'data-testid="incidents-attended"' not in response.content.decode()
    assert selectors.incidents_attended(viewer=neighbour, volunteer=attended) == []


def test_the_profile_of_a_volunteer_without_login_has_no_incident(manager):
    # given
    unlinked = VolunteerFactory()
    # when / then
    assert selectors.incidents_attended(viewer=manager, volunteer=unlinked) == []


def test_the_assignment_page_lists_a_batch_whose_user_was_deleted(client, social_worker):
    # given: a batch of the demo (no user) and one whose user's account has since been deleted
    volunteer = VolunteerFactory(first_name="รับ", last_name="งาน")
    departed = UserFactory(username="departed", areas=["920101"])
    for actor in (None, departed):
        AssignmentBatch.objects.create(kind="assign", area_code="92010101", to_volunteer=volunteer, actor=actor)
    departed.delete()
    _client(client, social_worker)

    # when
    response = client.get(reverse("volunteers:assignment"))

    # then: the page lists both, with a dash where the user was
    assert response.status_code == 200
    history = [line for line in response.content.decode().splitlines() if "→ รับ งาน" in line]
    assert len(history) == 1 and history[0].count("→ รับ งาน · —") == 2


@pytest.mark.parametrize("phone", ["NaN", "😀😀", "\u200b\u200b", "29/2/2567", "1e400"])
def test_the_volunteer_form_refuses_what_is_not_a_phone_number(client, manager, phone):
    _client(client, manager)
    response = client.post(
        reverse("volunteers:volunteer_create"),
        {
            "first_name": "โทร",
            "last_name": "ผิด",
            "home_area_code": "92010101",
            "phone": phone,
            "national_id": make_national_id("310170020345"),
        },
    )
    assert response.status_code == 200
    assert "หมายเลขโทรศัพท์มี 9 หรือ 10 หลัก" in response.content.decode()
    assert Volunteer.objects.count() == 0
