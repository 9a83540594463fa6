"""The phone's API: only the volunteer's own caseload goes out; each outbox record is stored once, or refused."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from pocketbook.accounts.roles import Role
from pocketbook.accounts.tests.factories import UserFactory
from pocketbook.assessments.models import Assessment
from pocketbook.assessments.tests.factories import answers_for, couple_household
from pocketbook.audit.models import AccessLog
from pocketbook.core.dates import format_date
from pocketbook.households.models import Household, Member
from pocketbook.households.tests.factories import HOME_VILLAGE, HouseholdFactory, make_national_id
from pocketbook.offline import services
from pocketbook.offline.models import OfflineDevice, SyncConflict, SyncedRecord
from pocketbook.volunteers.caseloads import household_assign
from pocketbook.volunteers.models import Visit, VisitSchedule
from pocketbook.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/offline"
DEVICE = str(uuid.UUID(int=1))


def get_caseload(client, device: str = DEVICE):
    return client.get(f"{API}/caseload", HTTP_X_POCKETBOOK_DEVICE=device)


def sync(client, *records, device: str = DEVICE, language: str = "th"):
    return client.post(
        f"{API}/sync",
        data=json.dumps({"records": list(records)}),
        content_type="application/json",
        HTTP_X_POCKETBOOK_DEVICE=device,
        HTTP_ACCEPT_LANGUAGE=language,
    )


def assessment_record(home, head, spouse, record_id: str | None = None) -> dict:
    return {
        "id": record_id or str(uuid.uuid4()),
        "kind": "assessment",
        "payload": {
            "household_id": home.pk,
            "assessed_on": timezone.localdate().isoformat(),
            "answers": answers_for(head, spouse),
            "gps_lat": "7.5590",
            "gps_lng": "99.6110",
        },
    }


def household_record(*, national_id: str = "", area_code: str = HOME_VILLAGE) -> dict:
    head = {"first_name": "มาลี", "last_name": "ใจงาม", "sex": "F", "birth_date": "1970-03-02", "relation": "head"}
    head |= {"national_id": national_id} if national_id else {"no_id_reason": "lost_documents"}
    return {
        "id": str(uuid.uuid4()),
        "kind": "household_create",
        "payload": {
            "area_code": area_code,
            "house_no": "77/7",
            "consent": {"given_by_name": "มาลี ใจงาม", "purposes": ["pocketbook"]},
            "members": [
                head | {"monthly_income": "5000"},
                {"first_name": "แก้ว", "last_name": "ใจงาม", "sex": "F", "birth_date": "2012-08-09",
                 "relation": "child", "no_id_reason": "not_yet_registered"},
            ],
        },
    }  # fmt: skip


# --- the caseload ------------------------------------------------------------------------------


def test_caseload_holds_only_the_volunteers_own_households(client, volunteer):
    # given the volunteer's household, a colleague's in the same subdistrict, and one nobody looks after
    mine, head, spouse = couple_household(volunteer=volunteer)
    colleague = UserFactory(username="vol2", roles=[Role.VOLUNTEER], areas=["920101"])
    couple_household(volunteer=colleague)
    HouseholdFactory()
    client.force_login(volunteer)
    # when the phone asks for the caseload
    response = get_caseload(client)
    # then only the volunteer's own household travels, with its members and the questions
    assert response.status_code == 200
    body = response.json()
    assert [h["id"] for h in body["households"]] == [mine.pk]
    household = body["households"][0]
    assert [m["id"] for m in household["members"]] == [head.pk, spouse.pk]
    assert [step["key"] for step in household["questions"]] == ["health", "living", "education", "income", "access"]
    assert household["latest_assessment"] is None
    assert body["max_days_without_sign_in"] == 7
    assert body["areas"] == [["92010101", "หมู่ 1 บ้านทับเที่ยง"], ["92010102", "หมู่ 2 บ้านนาตาล่วง"], ["920101", "ทับเที่ยง"]]
    # and the phone is known, and each member read is in the access log
    assert OfflineDevice.objects.get().user == volunteer
    assert AccessLog.objects.filter(purpose="offline caseload").count() == 2


def test_caseload_access(client, volunteer, analyst, other_province_worker):
    # anonymous: refused
    assert get_caseload(client).status_code == 401
    # a role without households (analyst): refused, no device written
    client.force_login(analyst)
    assert get_caseload(client).status_code == 403
    assert OfflineDevice.objects.count() == 0
    # another province: an empty caseload
    couple_household(volunteer=volunteer)
    client.force_login(other_province_worker)
    assert get_caseload(client).json()["households"] == []
    # no device id: refused
    client.force_login(volunteer)
    refused = client.get(f"{API}/caseload")
    assert refused.status_code == 400
    assert refused.json()["error"] == {
        "status": 400,
        "code": "bad_request",
        "message": "โทรศัพท์ไม่ได้แจ้งว่าเป็นเครื่องใด",
    }


def test_a_revoked_phone_gets_nothing_and_may_send_nothing(client, volunteer, manager):
    # given a phone the office revoked
    home, head, spouse = couple_household(volunteer=volunteer)
    client.force_login(volunteer)
    get_caseload(client)
    services.device_revoke(device=OfflineDevice.objects.get(), actor=manager)
    # when it asks again, or sends
    caseload = get_caseload(client)
    sent = sync(client, assessment_record(home, head, spouse))
    # then both are refused with a code the phone acts on (it wipes itself), and nothing is stored
    assert caseload.status_code == 403
    assert "device_revoked" in caseload.content.decode()
    assert sent.status_code == 403
    assert Assessment.objects.count() == 0
    # and the same phone cannot start again under another user
    assert OfflineDevice.objects.get().revoked_by == manager


def test_a_phone_passed_to_another_user_is_refused(client, volunteer):
    client.force_login(volunteer)
    get_caseload(client)
    other = UserFactory(username="vol2", roles=[Role.VOLUNTEER], areas=["920101"])
    client.force_login(other)
    assert get_caseload(client).status_code == 403


# --- the outbox ------------------------------------------------------------------------------


def test_the_same_outbox_sent_twice_stores_nothing_twice(client, volunteer):
    # given an outbox with an assessment and a new household of two members
    home, head, spouse = couple_household(volunteer=volunteer)
    records = [assessment_record(home, head, spouse), household_record()]
    client.force_login(volunteer)
    # when it is sent, and sent again (the first answer was lost)
    first = sync(client, *records).json()["results"]
    second = sync(client, *records).json()["results"]
    # then each record is stored once, and the second answer says so
    assert [r["status"] for r in first] == ["stored", "stored"]
    assert [r["status"] for r in second] == ["duplicate", "duplicate"]
    assert [r["object_id"] for r in second] == [r["object_id"] for r in first]
    assert Assessment.objects.filter(household=home).count() == 1
    new_home = Household.objects.get(house_no="77/7")
    assert new_home.volunteer == volunteer
    assert new_home.consents.count() == 1
    assert Member.objects.filter(household=new_home).count() == 2
    assert SyncedRecord.objects.count() == 2
    assert Assessment.objects.get().gps_lat is not None


def test_a_refused_record_is_not_stored_and_says_why_in_thai(client, volunteer):
    # given a new household whose head's ID has a wrong check digit, and an incomplete assessment
    home, head, spouse = couple_household(volunteer=volunteer)
    good = make_national_id("110170020345")
    wrong = good[:-1] + str((int(good[-1]) + 1) % 10)
    incomplete = assessment_record(home, head, spouse)
    del incomplete["payload"]["answers"]["household"]["tidy_house"]
    client.force_login(volunteer)
    # when they are sent
    results = sync(client, household_record(national_id=wrong), incomplete).json()["results"]
    # then both are refused, naming the member and the question, and nothing is written
    assert [r["status"] for r in results] == ["refused", "refused"]
    assert results[0]["message"].startswith("สมาชิกคนที่ 1: ")
    assert "หลักตรวจสอบ" in results[0]["message"]
    assert list(results[1]["errors"]) == ["answers.household.tidy_house"]
    assert Household.objects.filter(house_no="77/7").count() == 0
    assert Member.objects.count() == 2
    assert Assessment.objects.count() == 0
    assert SyncedRecord.objects.count() == 0


def test_records_outside_the_volunteers_areas_are_refused(client, volunteer, other_province_worker):
    home, head, spouse = couple_household(volunteer=volunteer)
    client.force_login(other_province_worker)
    results = sync(client, assessment_record(home, head, spouse), household_record()).json()["results"]
    assert [r["status"] for r in results] == ["refused", "refused"]
    assert "ไม่อยู่ในพื้นที่ของคุณ" in results[0]["message"]
    assert Assessment.objects.count() == 0
    assert Household.objects.filter(house_no="77/7").count() == 0


def test_an_edit_made_meanwhile_is_not_overwritten_silently(client, volunteer):
    # given the phone took the household at one version, and the office changed it since
    home, _head, _spouse = couple_household(volunteer=volunteer, phone="0811111111")
    client.force_login(volunteer)
    taken = get_caseload(client).json()["households"][0]["version"]
    Household.objects.filter(pk=home.pk).update(phone="0822222222", updated_at=timezone.now())
    record = {
        "id": str(uuid.uuid4()),
        "kind": "household_update",
        "payload": {"household_id": home.pk, "base_version": taken, "fields": {"phone": "0833333333"}},
    }
    # when the phone's edit arrives
    answer = sync(client, record).json()["results"][0]
    # then it is a conflict showing the server's version, and nothing changed
    assert answer["status"] == "conflict"
    assert answer["server"]["fields"]["phone"] == "0822222222"
    home.refresh_from_db()
    assert home.phone == "0822222222"
    # when the volunteer keeps theirs (the phone resends on the server's version)
    record["payload"]["base_version"] = answer["server"]["version"]
    assert sync(client, record).json()["results"][0]["status"] == "stored"
    home.refresh_from_db()
    assert home.phone == "0833333333"


def assigned_household(volunteer, social_worker):
    """A household in the volunteer's care in both apps: the households' volunteer and the visit schedule."""
    home, _head, _spouse = couple_household(volunteer=volunteer)
    linked = VolunteerFactory(user=volunteer)
    household_assign(household=home, volunteer=linked, actor=social_worker)
    return home, linked


def test_the_visit_schedule_travels_with_the_caseload(client, volunteer, social_worker):
    # given a household in the volunteer's care, last visited 100 days ago (every 90 days: 10 days overdue)
    home, _linked = assigned_household(volunteer, social_worker)
    today = timezone.localdate()
    VisitSchedule.objects.filter(household_id=home.pk).update(
        last_visit_on=today - dt.timedelta(days=100), next_visit_on=today - dt.timedelta(days=10)
    )
    client.force_login(volunteer)
    # when the phone takes the caseload
    visits = get_caseload(client).json()["households"][0]["visits"]
    # then the schedule is there, the date as the pages show it (Buddhist Era)
    due = today - dt.timedelta(days=10)
    assert visits == {
        "interval_days": 90,
        "last_visit_on": (today - dt.timedelta(days=100)).isoformat(),
        "next_visit_on": due.isoformat(),
        "next_visit_label": format_date(due, language="th"),
        "overdue": True,
    }


def test_a_visit_note_with_gps_becomes_a_visit_and_moves_the_schedule(client, volunteer, social_worker):
    # given a household in the volunteer's care
    home, linked = assigned_household(volunteer, social_worker)
    client.force_login(volunteer)
    today = timezone.localdate()
    record = {
        "id": str(uuid.uuid4()),
        "kind": "visit_note",
        "payload": {
            "household_id": home.pk,
            "visited_on": today.isoformat(),
            "note": "ยายป่วย ต้องการรถเข็น",
            "gps_lat": "7.559012",
            "gps_lng": "99.611034",
        },
    }
    # when the visit noted offline is sent (twice: the first answer was lost)
    first = sync(client, record).json()["results"][0]
    again = sync(client, record).json()["results"][0]
    # then it is one visit of the volunteers app, with its position, and the next visit moved on
    assert (first["status"], again["status"]) == ("stored", "duplicate")
    visit = Visit.objects.get()
    assert (visit.pk, visit.note, str(visit.gps_lat), visit.volunteer, visit.recorded_by) == (
        first["object_id"],
        "ยายป่วย ต้องการรถเข็น",
        "7.559012",
        linked,
        volunteer,
    )
    schedule = VisitSchedule.objects.get(household_id=home.pk)
    assert (schedule.last_visit_on, schedule.next_visit_on) == (today, today + dt.timedelta(days=90))
    assert home.events.filter(kind="visit_recorded").count() == 1


def test_a_visit_note_from_a_role_without_visits_is_refused(client, volunteer, social_worker, analyst):
    home, _linked = assigned_household(volunteer, social_worker)
    client.force_login(analyst)
    record = {"id": str(uuid.uuid4()), "kind": "visit_note", "payload": {"household_id": home.pk}}
    assert sync(client, record).status_code == 403
    assert Visit.objects.count() == 0


def test_malformed_records_are_refused_one_by_one(client, volunteer):
    client.force_login(volunteer)
    results = sync(
        client,
        {"id": "not-a-uuid", "kind": "assessment", "payload": {}},
        {"id": str(uuid.uuid4()), "kind": "unknown", "payload": {}},
        {"id": str(uuid.uuid4()), "kind": "assessment", "payload": {"household_id": "x"}},
    ).json()["results"]
    assert [r["status"] for r in results] == ["refused", "refused", "refused"]
    assert all(r["message"] for r in results)
    assert sync(client, {"kind": "assessment"}).status_code == 200
    assert client.post(f"{API}/sync", data="{", content_type="application/json").status_code in (400, 422)


@pytest.mark.parametrize(("typed", "stored"), [("5,000", 5000), ("๕๐๐๐", 5000), ("5000.50", "5000.50")])
def test_incomes_from_the_phone_are_read_as_thai_users_write_them(client, volunteer, typed, stored):
    # given a new household whose head's income was typed on the phone
    record = household_record()
    record["payload"]["members"][0]["monthly_income"] = typed
    client.force_login(volunteer)
    # when it is sent
    answer = sync(client, record).json()["results"][0]
    # then it is stored as the number meant
    assert answer["status"] == "stored"
    head = Member.objects.get(household_id=answer["object_id"], relation="head")
    assert head.monthly_income == Decimal(str(stored))


def test_a_new_member_from_the_phone_keeps_every_field_the_services_take(client, volunteer):
    # given a new household whose head comes with the fields beyond name, sex, birth and ID
    record = household_record()
    record["payload"]["members"][0] |= {
        "title": "นาง",
        "education_level": "primary",
        "occupation": "farmer",
        "is_studying": False,
        "has_disability": True,
        "receives_elderly_allowance": True,
        "is_bedridden": "yes",  # not a JSON true: read as no
    }
    client.force_login(volunteer)
    # when it is sent
    answer = sync(client, record).json()["results"][0]
    # then the head is stored with them
    assert answer["status"] == "stored"
    head = Member.objects.get(household_id=answer["object_id"], relation="head")
    assert (head.title, head.education_level, head.occupation) == ("นาง", "primary", "farmer")
    assert (head.has_disability, head.receives_elderly_allowance, head.is_bedridden, head.is_studying) == (
        True,
        True,
        False,
        False,
    )
    assert head.monthly_income == Decimal(5000)


def test_an_income_that_is_not_a_number_is_refused_with_the_reason_in_thai(client, volunteer):
    record = household_record()
    record["payload"]["members"][0]["monthly_income"] = "ห้าพัน"
    client.force_login(volunteer)
    answer = sync(client, record, language="th").json()["results"][0]
    assert answer["status"] == "refused"
    assert answer["errors"] == {"members.1.monthly_income": ["สมาชิกคนที่ 1: กรอกเป็นตัวเลข เช่น 5000 หรือ 5,000"]}
    assert Household.objects.filter(house_no="77/7").count() == 0


def member_record(home, member, base_version: str, **fields) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "kind": "member_update",
        "payload": {"household_id": home.pk, "member_id": member.pk, "base_version": base_version, "fields": fields},
    }


def test_a_member_edit_made_meanwhile_comes_back_with_both_versions(client, volunteer):
    # given the phone took the household's members, and the office changed the head's income since
    home, head, _spouse = couple_household(volunteer=volunteer)
    client.force_login(volunteer)
    taken = get_caseload(client).json()["households"][0]["members"][0]
    Member.objects.filter(pk=head.pk).update(monthly_income=Decimal("7000"), updated_at=timezone.now())
    record = member_record(
        home, head, taken["version"], first_name=taken["form"]["first_name"], monthly_income="๕,๐๐๐"
    )
    # when the phone's edit arrives
    answer = sync(client, record).json()["results"][0]
    # then it is a conflict with the server's version beside it, and nothing changed
    assert (answer["status"], answer["object_id"]) == ("conflict", head.pk)
    assert answer["server"]["rows"] == [
        {"name": "monthly_income", "label": "รายได้ต่อเดือน (บาท)", "phone": "5,000", "office": "7,000",
         "differs": True},
        {"name": "first_name", "label": "ชื่อ", "phone": "สมชาย", "office": "สมชาย", "differs": False},
    ]  # fmt: skip
    assert answer["server"]["fields"]["monthly_income"] == "7000"
    assert answer["message"].startswith("มีผู้อื่นแก้ไขข้อมูลสมาชิกคนนี้")
    head.refresh_from_db()
    assert head.monthly_income == Decimal("7000")
    assert SyncedRecord.objects.count() == 0
    assert SyncConflict.objects.get().phone_fields == {"first_name": "สมชาย", "monthly_income": "5000.00"}
    # when the volunteer keeps theirs (the phone sends again on the server's version)
    record["payload"]["base_version"] = answer["server"]["version"]
    again = sync(client, record).json()["results"][0]
    # then theirs is stored, read as Thai users write numbers
    assert again["status"] == "stored"
    head.refresh_from_db()
    assert head.monthly_income == Decimal("5000")


def test_a_member_edit_on_the_current_version_is_stored_once(client, volunteer):
    home, head, _spouse = couple_household(volunteer=volunteer)
    client.force_login(volunteer)
    taken = get_caseload(client).json()["households"][0]["members"][0]
    record = member_record(home, head, taken["version"], first_name="สมหญิง", last_name=head.last_name)
    assert sync(client, record).json()["results"][0]["status"] == "stored"
    assert sync(client, record).json()["results"][0]["status"] == "duplicate"
    head.refresh_from_db()
    assert head.first_name == "สมหญิง"
    assert home.events.filter(kind="member_updated").count() == 1


def test_a_member_edit_outside_the_volunteers_areas_is_refused(client, volunteer, other_province_worker):
    home, head, _spouse = couple_household(volunteer=volunteer)
    client.force_login(other_province_worker)
    record = member_record(home, head, head.updated_at.isoformat(), first_name="x")
    answer = sync(client, record).json()["results"][0]
    assert answer["status"] == "refused"
    head.refresh_from_db()
    assert head.first_name != "x"


def test_every_field_of_the_online_member_form_can_be_changed_offline(client, volunteer):
    # given the phone took the household
    home, head, _spouse = couple_household(volunteer=volunteer)
    client.force_login(volunteer)
    taken = get_caseload(client).json()
    member = taken["households"][0]["members"][0]
    assert [field["name"] for field in taken["member_form"]][:4] == [
        "title_choice",
        "title",
        "first_name",
        "last_name",
    ]
    new_id = make_national_id("310170020345")
    # when the volunteer changes the fields of the online member form offline
    changes = {
        "title_choice": "other", "title": "ดร.", "sex": "M", "birth_date": "1984-05-06", "relation": "head",
        "education_level": "bachelor", "is_studying": True, "occupation": "ครู", "monthly_income": "๑๒,๕๐๐",
        "has_disability": True, "has_disability_card": True, "has_welfare_card": True, "national_id": new_id,
    }  # fmt: skip
    answer = sync(client, member_record(home, head, member["version"], **changes)).json()["results"][0]
    # then all are stored as the online form would store them
    assert answer["status"] == "stored"
    head.refresh_from_db()
    assert (head.title, head.birth_date, head.education_level, head.occupation) == (
        "ดร.",
        dt.date(1984, 5, 6),
        "bachelor",
        "ครู",
    )
    assert (head.is_studying, head.has_disability, head.has_disability_card, head.has_welfare_card) == (
        True, True, True, True
    )  # fmt: skip
    assert head.monthly_income == Decimal("12500")
    assert head.national_id_last_digit == new_id[-1]
    assert head.chronic_illness is False  # not sent: left as it was


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"has_disability_card": True}, "ผู้มีบัตรคนพิการถือว่ามีความพิการ กรุณาทำเครื่องหมายช่องนี้ด้วย"),
        ({"title_choice": "other", "title": ""}, "เขียนคำนำหน้า หรือเลือกจากรายการ"),
        ({"first_name": ""}, "กรุณากรอกช่องนี้"),
    ],
)
def test_a_member_edit_the_online_form_refuses_stays_with_its_reason_in_thai(client, volunteer, changes, reason):
    home, head, _spouse = couple_household(volunteer=volunteer)
    client.force_login(volunteer)
    version = get_caseload(client).json()["households"][0]["members"][0]["version"]
    answer = sync(client, member_record(home, head, version, **changes)).json()["results"][0]
    assert (answer["status"], answer["message"]) == ("refused", reason)
    assert SyncedRecord.objects.count() == 0
    head.refresh_from_db()
    assert (head.first_name, head.has_disability_card, head.title) == ("สมชาย", False, "")
