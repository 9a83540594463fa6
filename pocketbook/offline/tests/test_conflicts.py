"""Conflicting edits from phones: kept for a choice, shown as people read them, resolved by the office or the phone."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from pocketbook.assessments.tests.factories import couple_household
from pocketbook.audit.models import ObjectChange
from pocketbook.core.menu import menu_for
from pocketbook.households.models import Household, Member
from pocketbook.households.privacy import person_erase, person_export
from pocketbook.offline.models import SyncConflict, SyncedRecord

pytestmark = pytest.mark.django_db
API = "/api/v1/offline"
DEVICE = str(uuid.UUID(int=7))
PAGE = "/offline/conflicts/"


def sync(client, *records, device: str = DEVICE):
    response = client.post(
        f"{API}/sync",
        data=json.dumps({"records": list(records)}),
        content_type="application/json",
        HTTP_X_POCKETBOOK_DEVICE=device,
        HTTP_ACCEPT_LANGUAGE="th",
    )
    return response.json()["results"]


def member_edit(home, member, version: str, **fields) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "kind": "member_update",
        "payload": {"household_id": home.pk, "member_id": member.pk, "base_version": version, "fields": fields},
    }


def taken_version(client, member) -> str:
    caseload = client.get(f"{API}/caseload", HTTP_X_POCKETBOOK_DEVICE=DEVICE).json()
    return next(m["version"] for m in caseload["households"][0]["members"] if m["id"] == member.pk)


def office_changes(member, **values) -> None:
    Member.objects.filter(pk=member.pk).update(updated_at=timezone.now() + dt.timedelta(seconds=1), **values)


@pytest.fixture
def conflict(client, volunteer):
    """The volunteer raised the head's income to 8,500 and renamed him offline; the office set 7,000 meanwhile."""
    home, head, _spouse = couple_household(volunteer=volunteer)
    client.force_login(volunteer)
    version = taken_version(client, head)
    office_changes(head, monthly_income=Decimal("7000"))
    record = member_edit(home, head, version, monthly_income="8,500", first_name="สมศักดิ์")
    [answer] = sync(client, record)
    assert answer["status"] == "conflict"
    client.logout()
    return SyncConflict.objects.get(client_id=record["id"]), record


def test_a_conflict_is_kept_with_only_the_fields_the_volunteer_changed_shown_as_people_read_them(client, volunteer):
    # given the office changed the head's income after the phone took the household
    home, head, _spouse = couple_household(volunteer=volunteer)
    client.force_login(volunteer)
    version = taken_version(client, head)
    office_changes(head, monthly_income=Decimal("7000"))
    # when the phone sends a new income, a birth date and a relation label change
    record = member_edit(home, head, version, monthly_income="๘,๕๐๐", birth_date="1984-02-03", is_studying=True)
    [answer] = sync(client, record)
    # then it is a conflict whose rows read like the pages: money grouped, dates in BE, yes/no
    assert answer["status"] == "conflict"
    assert answer["server"]["rows"] == [
        {"name": "birth_date", "label": "วันเกิด", "phone": "3 กุมภาพันธ์ 2527", "office": "1 มกราคม 2527",
         "differs": True},
        {"name": "is_studying", "label": "กำลังศึกษาอยู่", "phone": "ใช่", "office": "ไม่ใช่", "differs": True},
        {"name": "monthly_income", "label": "รายได้ต่อเดือน (บาท)", "phone": "8,500", "office": "7,000",
         "differs": True},
    ]  # fmt: skip
    kept = SyncConflict.objects.get()
    assert (kept.status, kept.user, kept.member, kept.household) == ("open", volunteer, head, home)
    assert kept.phone_fields == {"birth_date": "1984-02-03", "is_studying": True, "monthly_income": "8500.00"}
    head.refresh_from_db()
    assert head.monthly_income == Decimal("7000")
    assert SyncedRecord.objects.count() == 0
    # when the same record is sent again, still in conflict
    sync(client, record)
    # then it is kept once
    assert SyncConflict.objects.count() == 1


def test_conflicts_page_access(
    client, conflict, volunteer, social_worker, neighbour_social_worker, other_province_worker
):
    kept, _record = conflict
    head = kept.member
    resolve = f"/offline/conflicts/{kept.pk}/resolve/"
    # anonymous: sent to sign in, nothing written
    assert client.get(PAGE).status_code == 302
    assert client.post(resolve, {"choice": "phone"}).status_code == 302
    # wrong role: the volunteer who sent it may not open the office's page nor resolve it there
    client.force_login(volunteer)
    assert client.get(PAGE).status_code == 403
    assert client.post(resolve, {"choice": "phone"}).status_code == 404
    # wrong area: a social worker of the next subdistrict and one of another province see no conflict
    for outsider in (neighbour_social_worker, other_province_worker):
        client.force_login(outsider)
        page = client.get(PAGE)
        assert (page.status_code, page.context["conflicts"]) == (200, [])
        assert "ไม่มีการแก้ไขที่ขัดกันรอการเลือก" in page.content.decode()
        assert client.post(resolve, {"choice": "phone"}).status_code == 404
    kept.refresh_from_db()
    head.refresh_from_db()
    assert (kept.status, head.monthly_income, head.first_name) == ("open", Decimal("7000"), "สมชาย")
    assert SyncedRecord.objects.count() == 0
    assert not ObjectChange.objects.filter(
        content_type__model="member", object_id=str(head.pk), action="update"
    ).exists()
    # right area: the social worker sees both versions and takes the phone's
    client.force_login(social_worker)
    page = client.get(PAGE)
    [shown] = page.context["conflicts"]
    assert [(row.label, row.office, row.phone) for row in shown.rows] == [
        ("ชื่อ", "สมชาย", "สมศักดิ์"),
        ("รายได้ต่อเดือน (บาท)", "7,000", "8,500"),
    ]
    assert client.post(resolve, {"choice": "phone"}).status_code == 302
    head.refresh_from_db()
    kept.refresh_from_db()
    assert (head.monthly_income, head.first_name) == (Decimal("8500"), "สมศักดิ์")
    assert (kept.status, kept.resolution, kept.resolved_by) == ("resolved", "phone", social_worker)
    assert kept.taken_from_phone == ["first_name", "monthly_income"]
    assert (
        ObjectChange.objects.filter(
            content_type__model="member", object_id=str(head.pk), action="update", user=social_worker
        ).count()
        == 1
    )


def test_the_office_keeps_its_version_and_the_phone_stops_waiting(client, conflict, volunteer, manager):
    kept, record = conflict
    # when the manager keeps the office's version
    client.force_login(manager)
    client.post(f"/offline/conflicts/{kept.pk}/resolve/", {"choice": "office"})
    # then the member is as the office left it and the conflict is closed
    head = Member.objects.get(pk=kept.member_id)
    assert (head.monthly_income, head.first_name) == (Decimal("7000"), "สมชาย")
    kept.refresh_from_db()
    assert (kept.status, kept.resolution, kept.taken_from_phone) == ("resolved", "office", [])
    # and the phone learns it: its caseload names the record settled, and sending it again stores nothing
    client.force_login(volunteer)
    caseload = client.get(f"{API}/caseload", HTTP_X_POCKETBOOK_DEVICE=DEVICE).json()
    assert caseload["settled_records"] == [record["id"]]
    record["payload"]["base_version"] = taken_version(client, head)
    assert sync(client, record)[0]["status"] == "duplicate"
    head.refresh_from_db()
    assert head.monthly_income == Decimal("7000")


def test_the_office_chooses_field_by_field(client, conflict, social_worker):
    kept, _record = conflict
    client.force_login(social_worker)
    client.post(
        f"/offline/conflicts/{kept.pk}/resolve/",
        {"choice": "fields", "field_first_name": "phone", "field_monthly_income": "office"},
    )
    head = Member.objects.get(pk=kept.member_id)
    assert (head.first_name, head.monthly_income) == ("สมศักดิ์", Decimal("7000"))
    kept.refresh_from_db()
    assert (kept.resolution, kept.taken_from_phone) == ("mixed", ["first_name"])


def test_a_choice_the_checks_refuse_writes_nothing_and_says_why(client, volunteer, social_worker):
    # given the phone made the spouse head of household while the office changed her meanwhile
    home, _head, spouse = couple_household(volunteer=volunteer)
    client.force_login(volunteer)
    version = taken_version(client, spouse)
    office_changes(spouse, occupation="รับจ้าง")
    sync(client, member_edit(home, spouse, version, relation="head"))
    kept = SyncConflict.objects.get()
    # when the office takes the phone's version, though the household has a head
    client.force_login(social_worker)
    response = client.post(f"/offline/conflicts/{kept.pk}/resolve/", {"choice": "phone"}, follow=True)
    # then nothing is written, the conflict still waits, and the reason is given in Thai
    assert "ครัวเรือนนี้มีหัวหน้าครัวเรือนแล้ว" in response.content.decode()
    spouse.refresh_from_db()
    kept.refresh_from_db()
    assert (spouse.relation, kept.status) == ("spouse", "open")
    assert SyncedRecord.objects.count() == 0


def test_the_volunteer_settles_a_conflict_from_the_phone(client, conflict, volunteer):
    kept, record = conflict
    client.force_login(volunteer)
    # when the phone sends its edit again on the server's version (the volunteer kept theirs)
    record["payload"]["base_version"] = taken_version(client, kept.member)
    assert sync(client, record)[0]["status"] == "stored"
    # then the office no longer needs to choose
    kept.refresh_from_db()
    assert (kept.status, kept.resolution, kept.resolved_by) == ("resolved", "phone", volunteer)


def test_the_volunteer_takes_the_office_version_on_the_phone(client, conflict, volunteer):
    kept, record = conflict
    client.force_login(volunteer)
    dismiss = {"id": str(uuid.uuid4()), "kind": "conflict_dismiss", "payload": {"record_id": record["id"]}}
    assert sync(client, dismiss)[0]["status"] == "stored"
    kept.refresh_from_db()
    assert (kept.status, kept.resolution, kept.resolved_by) == ("resolved", "office", volunteer)
    assert Member.objects.get(pk=kept.member_id).monthly_income == Decimal("7000")


def test_another_user_cannot_dismiss_a_volunteers_conflict(client, conflict, social_worker):
    kept, record = conflict
    client.force_login(social_worker)
    dismiss = {"id": str(uuid.uuid4()), "kind": "conflict_dismiss", "payload": {"record_id": record["id"]}}
    # when a social worker's phone sends a dismissal of the volunteer's record
    assert sync(client, dismiss, device=str(uuid.UUID(int=8)))[0]["status"] == "stored"
    # then it dismisses nothing
    kept.refresh_from_db()
    assert kept.status == "open"


def test_the_menu_counts_the_open_conflicts_in_the_users_areas(
    conflict, social_worker, other_province_worker, volunteer
):
    def entry(user):
        return next((e for e in menu_for(user) if e["name"] == "offline:conflict_list"), None)

    assert entry(social_worker)["count"] == 1
    assert entry(other_province_worker)["count"] is None
    assert entry(volunteer) is None


def test_the_empty_page_says_so_in_thai(client, social_worker):
    client.force_login(social_worker)
    page = client.get(PAGE).content.decode()
    assert 'data-testid="conflicts-empty"' in page


def test_erasing_a_person_takes_their_values_out_of_the_conflicts(client, conflict, volunteer, manager):
    kept, record = conflict
    # given the person's export shows what the phone sent about them
    exported = person_export(member=kept.member, actor=manager)["offline_conflicts"]
    assert [entry["phone_fields"] for entry in exported] == [{"first_name": "สมศักดิ์", "monthly_income": "8500.00"}]
    # when the person is erased
    person_erase(member=kept.member, actor=manager)
    # then the conflict keeps none of their values, waits no more, and a resend stores nothing
    kept.refresh_from_db()
    assert (kept.phone_fields, kept.status, kept.resolution) == ({}, "resolved", "office")
    client.force_login(volunteer)
    assert sync(client, record)[0]["status"] == "duplicate"


def test_a_household_conflict_is_resolved_by_the_office_with_the_phones_values(client, volunteer, manager):
    # given the phone changed the household's phone number while the office changed its address
    home, _head, _spouse = couple_household(volunteer=volunteer, phone="0811111111")
    client.force_login(volunteer)
    caseload = client.get(f"{API}/caseload", HTTP_X_POCKETBOOK_DEVICE=DEVICE).json()
    version = caseload["households"][0]["version"]
    Household.objects.filter(pk=home.pk).update(address="ถนนพระราม 5", updated_at=timezone.now())
    record = {
        "id": str(uuid.uuid4()),
        "kind": "household_update",
        "payload": {"household_id": home.pk, "base_version": version, "fields": {"phone": "0833333333"}},
    }
    [answer] = sync(client, record)
    assert answer["server"]["rows"] == [
        {"name": "phone", "label": "โทรศัพท์", "phone": "0833333333", "office": "0811111111", "differs": True}
    ]
    kept = SyncConflict.objects.get()
    # when the manager takes the phone's version
    client.force_login(manager)
    client.post(f"/offline/conflicts/{kept.pk}/resolve/", {"choice": "phone"})
    # then the phone number is the phone's and the office's address stays
    home.refresh_from_db()
    assert (home.phone, home.address) == ("0833333333", "ถนนพระราม 5")
    kept.refresh_from_db()
    assert (kept.status, kept.resolution) == ("resolved", "phone")


def test_nonsense_from_the_office_form_is_answered_in_thai(client, conflict, social_worker):
    kept, _record = conflict
    client.force_login(social_worker)
    response = client.post(f"/offline/conflicts/{kept.pk}/resolve/", {"choice": "everything"}, follow=True)
    assert "กรุณาเลือกว่าจะเก็บฉบับใด" in response.content.decode()
    assert client.post("/offline/conflicts/999999/resolve/", {"choice": "office"}).status_code == 404
    kept.refresh_from_db()
    assert kept.status == "open"
