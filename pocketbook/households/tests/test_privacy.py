"""PDPA: withdrawing consent and erasing a person leave none of their values in any column of any table."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from pocketbook.assessments import services as assessment_services
from pocketbook.assessments.models import Assessment
from pocketbook.assessments.tests.factories import VISIT, answers_for
from pocketbook.audit.models import AccessLog, ObjectChange
from pocketbook.audit.services import record_access
from pocketbook.households import privacy, services
from pocketbook.households.models import Consent, Household, HouseholdPhoto, Member
from pocketbook.households.services import ConsentInput, HouseholdInput, MemberInput
from pocketbook.households.tests.factories import make_national_id
from pocketbook.households.tests.test_photos import png_upload
from pocketbook.incidents import services as incident_services
from pocketbook.incidents.tests.factories import ResponderFactory
from pocketbook.offline.models import VisitNote
from pocketbook.volunteers.caseloads import households_assign, households_release
from pocketbook.volunteers.services import visit_record
from pocketbook.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db

NATIONAL_ID = make_national_id("310990012345")
PERSON = {
    "first_name": "ลับสุดาพร",
    "last_name": "ใจงามยิ่งยวด",
    "occupation": "ช่างทองลับเฉพาะ",
    "birth": "1975-03-14",
    "national_id": NATIONAL_ID,
}
HOME = {"house_no": "99/97", "address": "ซอยลับเฉพาะบ้านสวน", "phone": "0899123457"}
CONSENT_GIVER = "นางลับสุดาพร ใจงามยิ่งยวด"


def _readable(value: object) -> str:
    """A cell as text; JSON kept as text (SQLite stores Thai in it as \\u escapes) is decoded to be read too."""
    text = value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)
    try:
        decoded = json.loads(text)
    except (TypeError, ValueError):
        return text
    return text + " " + json.dumps(decoded, default=str, ensure_ascii=False)


def every_stored_text() -> str:
    """Every value of every column of every table, as text (introspection: no table is forgotten)."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - names come from the database itself
            chunks.extend(_readable(cell) for row in cursor.fetchall() for cell in row)
    return "\n".join(chunks)


def the_persons_values() -> list[str]:
    digits = NATIONAL_ID
    formatted = f"{digits[0]}-{digits[1:5]}-{digits[5:10]}-{digits[10:12]}-{digits[12]}"
    values = [PERSON["first_name"], PERSON["last_name"], PERSON["occupation"], PERSON["birth"], "14/03/1975"]
    return [*values, digits, formatted, CONSENT_GIVER, *HOME.values(), "0811112222"]


def _person_with_a_history(volunteer, manager):
    """A household with one person, a consent by name, edits, reads, an assessment, a linked incident (dispatched,
    with a status note and an outcome), a photo, an assignment to a volunteer, a visit."""
    household = services.household_create(
        data=HouseholdInput(area_code="92010101", **HOME),
        actor=volunteer,
        consent=ConsentInput(CONSENT_GIVER, ["pocketbook"]),
    )
    member = services.member_add(
        household=household,
        data=MemberInput(
            first_name=PERSON["first_name"], last_name=PERSON["last_name"], sex="F",
            birth_date=dt.date.fromisoformat(PERSON["birth"]), relation="head", national_id=NATIONAL_ID,
            occupation="ค้าขาย", monthly_income=Decimal("9000"),
        ),
        actor=volunteer,
    )  # fmt: skip
    member = services.member_update(
        member=member,
        data=MemberInput(
            first_name=PERSON["first_name"], last_name=PERSON["last_name"], sex="F",
            birth_date=dt.date.fromisoformat(PERSON["birth"]), relation="head", national_id="",
            occupation=PERSON["occupation"], monthly_income=Decimal("9000"),
        ),
        actor=volunteer,
    )  # fmt: skip
    record_access(obj=member, actor=volunteer, purpose="member page")
    services.national_id_reveal(member=member, actor=manager)
    assessment_services.assessment_submit(
        household=household, assessed_on=VISIT, answers=answers_for(member), actor=volunteer
    )
    incident = incident_services.incident_open(
        incident_type="elderly",
        channel="hotline",
        area_code="920101",
        description=f"คุณ{PERSON['first_name']} ล้มในบ้าน",
        reporter_name=f"{PERSON['first_name']} {PERSON['last_name']}",
        reporter_phone="0811112222",
    )
    incident_services.incident_household_link(incident=incident, household=household, actor=manager)
    incident_services.incident_note_add(incident=incident, text=f"โทรหา {PERSON['last_name']} แล้ว", actor=manager)
    # what the operator and the responder typed while handling it: the dispatch's instructions, a status note
    # and the outcome (each also copied into the timeline and the audit trail)
    incident_services.incident_dispatch(
        incident=incident, responders=[ResponderFactory()], actor=None, note=f"ไปบ้าน{PERSON['first_name']} ด่วน"
    )
    incident_services.incident_status_change(
        incident=incident, status="on_scene", actor=manager, note=f"ถึงบ้าน{PERSON['last_name']} แล้ว"
    )
    incident_services.incident_status_change(
        incident=incident, status="resolved", actor=manager, outcome=f"ส่ง{PERSON['first_name']} ไปโรงพยาบาล"
    )
    services.household_photo_add(
        household=household, file=png_upload(), caption=f"{PERSON['first_name']} {PERSON['last_name']} หน้าบ้าน",
        actor=volunteer,
    )  # fmt: skip
    helper = VolunteerFactory(user=volunteer)
    households_assign(
        household_ids=[household.pk], volunteer=helper, actor=None, reason=f"ดูแล{PERSON['first_name']} ผู้สูงอายุ"
    )
    visit_record(
        household=household,
        visited_on=timezone.localdate(),
        note=f"ยาย{PERSON['first_name']} ปวดเข่า เดินไม่ไหว",
        actor=volunteer,
    )
    # a note written by the first offline app (kept as it was sent)
    VisitNote.objects.create(
        household=household, author=volunteer, visited_on=timezone.localdate(), note=f"คุณ{PERSON['last_name']} ไม่อยู่"
    )
    # the household released from care, with a reason naming her (a release starts no assignment)
    households_release(household_ids=[household.pk], actor=manager, reason=f"คุณ{PERSON['last_name']} ย้ายไปอยู่กับลูก")
    return household, member


def test_the_persons_values_are_stored_before_erasure(volunteer, manager):
    # the scan itself finds them while they are kept (else the tests below would prove nothing)
    _person_with_a_history(volunteer, manager)
    stored = every_stored_text()
    found = [value for value in the_persons_values() if value in stored]
    assert set(found) >= {PERSON["first_name"], PERSON["last_name"], PERSON["occupation"], CONSENT_GIVER, "99/97"}
    assert PERSON["birth"] in stored


def test_withdrawing_consent_leaves_none_of_the_persons_values_in_any_table(volunteer, manager):
    # given
    household, member = _person_with_a_history(volunteer, manager)
    # when
    services.consent_withdraw(household=household, actor=volunteer, reason=f"{PERSON['first_name']} ไม่ประสงค์ให้เก็บข้อมูล")
    # then: the reason, typed after the erasure began, keeps its words but not the name
    assert Consent.objects.get(household=household).withdrawn_reason.endswith(" ไม่ประสงค์ให้เก็บข้อมูล")
    stored = every_stored_text()
    assert [value for value in the_persons_values() if value in stored] == []
    # and the statistics and the trail's who/what/when are intact
    member.refresh_from_db()
    assert (member.sex, member.birth_date, member.relation) == ("F", dt.date(1975, 7, 1), "head")
    assessment = Assessment.objects.get(household=household)
    assert assessment.answers["members"][str(member.pk)]["birth_date"] == "1975-07-01"
    assert assessment.dimension_results  # results kept
    assert ObjectChange.objects.filter(object_id=str(member.pk), user_name="vol").count() >= 2
    assert AccessLog.objects.filter(object_id=str(member.pk), user_name="mgr").exists()


def test_erasing_a_person_leaves_none_of_their_values_in_any_table(volunteer, manager, administrator):
    # given
    household, member = _person_with_a_history(volunteer, manager)
    # when
    privacy.person_erase(member=member, actor=administrator)
    # then
    stored = every_stored_text()
    assert [value for value in the_persons_values() if value in stored] == []
    member.refresh_from_db()
    assert (member.first_name, member.national_id_hash, member.birth_year_only) == ("", "", True)
    assert Household.objects.filter(pk=household.pk, house_no="", has_consent=False).exists()


def test_erasing_one_person_keeps_the_others_of_the_household(volunteer, manager, administrator):
    # given
    household, member = _person_with_a_history(volunteer, manager)
    other = services.member_add(
        household=household,
        data=MemberInput(first_name="คงอยู่", last_name="ต่อไป", sex="M", birth_date=dt.date(1970, 1, 2),
                         relation="spouse", no_id_reason="not_yet_registered"),
        actor=volunteer,
    )  # fmt: skip
    # when
    privacy.person_erase(member=member, actor=administrator)
    # then
    stored = every_stored_text()
    assert PERSON["first_name"] not in stored and PERSON["occupation"] not in stored and NATIONAL_ID not in stored
    assert PERSON["last_name"] not in stored  # nor in the photos of the home the others keep
    assert HouseholdPhoto.objects.get(household=household).caption == "— หน้าบ้าน"
    assert CONSENT_GIVER not in stored  # the consent was theirs, written by name
    other.refresh_from_db()
    assert other.first_name == "คงอยู่"
    assert Household.objects.get(pk=household.pk).house_no == "99/97"  # the household's own, others still live there


def test_the_export_holds_the_persons_data_and_is_logged(volunteer, manager, administrator):
    _household, member = _person_with_a_history(volunteer, manager)
    export = privacy.person_export(member=member, actor=administrator)
    assert export["member"]["first_name"] == PERSON["first_name"]
    assert export["member"]["national_id"] == NATIONAL_ID
    assert export["household"]["house_no"] == "99/97"
    assert export["assessments"][0]["facts"]["birth_date"] == PERSON["birth"]
    assert [visit["kind"] for visit in export["volunteer_visits"]] == ["assessment", "note"]
    assert PERSON["first_name"] in export["volunteer_visits"][1]["note"]
    assert PERSON["last_name"] in export["offline_visit_notes"][0]["note"]
    assert {"user": "mgr", "what": "national ID unmasked"}.items() <= export["read_by"][-1].items()
    assert AccessLog.objects.filter(object_id=str(member.pk), purpose="personal data exported").count() == 1


# --- the administrator's pages --------------------------------------------------------------------------------------


def test_the_administrator_downloads_a_persons_export(client, volunteer, manager, administrator):
    _household, member = _person_with_a_history(volunteer, manager)
    client.force_login(administrator)
    page = client.get(reverse("households:member_privacy", args=[member.pk]))
    assert page.status_code == 200
    response = client.post(reverse("households:member_export", args=[member.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="person-{member.pk}.json"'
    assert json.loads(response.content)["member"]["last_name"] == PERSON["last_name"]


def test_erasure_needs_the_confirmation_and_then_erases(client, volunteer, manager, administrator):
    _household, member = _person_with_a_history(volunteer, manager)
    client.force_login(administrator)
    url = reverse("households:member_erase", args=[member.pk])
    # without ticking the confirmation nothing happens
    refused = client.post(url, {})
    assert refused.status_code == 200
    member.refresh_from_db()
    assert member.first_name == PERSON["first_name"]
    # with it, the person is erased and the household page follows
    done = client.post(url, {"confirm": "on"})
    assert done.status_code == 302
    member.refresh_from_db()
    assert member.first_name == ""
    assert PERSON["first_name"] not in every_stored_text()


@pytest.mark.parametrize("who", ["volunteer", "social_worker", "manager", "other_province_worker", "analyst"])
def test_only_an_administrator_of_the_area_exports_or_erases(client, volunteer, manager, who, request):
    _household, member = _person_with_a_history(volunteer, manager)
    client.force_login(request.getfixturevalue(who))
    for name in ("member_privacy", "member_export", "member_erase"):
        response = client.post(reverse(f"households:{name}", args=[member.pk]), {"confirm": "on"})
        assert response.status_code in (403, 404), name
    member.refresh_from_db()
    assert member.first_name == PERSON["first_name"]
    assert not AccessLog.objects.filter(purpose="personal data exported").exists()


def test_an_administrator_of_another_province_gets_not_found(client, volunteer, manager):
    from pocketbook.accounts.tests.factories import UserFactory

    _household, member = _person_with_a_history(volunteer, manager)
    outsider = UserFactory(username="cm_admin", roles=["administrator"], areas=["50"], is_staff=True)
    client.force_login(outsider)
    assert client.post(reverse("households:member_erase", args=[member.pk]), {"confirm": "on"}).status_code == 404
    assert Member.objects.get(pk=member.pk).first_name == PERSON["first_name"]
