"""PDPA: a person's export holds their cases and assistance; erasing them leaves their names in no case text."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from pocketbook.audit.models import ObjectChange
from pocketbook.cases import services
from pocketbook.cases.models import Case, FollowUp, Referral
from pocketbook.households import privacy
from pocketbook.households.models import Consent
from pocketbook.households.tests.test_privacy import every_stored_text

pytestmark = pytest.mark.django_db

FIRST, LAST = "สมศรี", "ใจงาม"  # the household fixture's head


@pytest.fixture
def worked_case(household, social_worker, agency, fund):
    """A case about the head, her names written in every kind of free text a worker types."""
    head = household.members.get()
    case = services.case_open(
        household=household, member=head, title=f"ช่วยนาง{FIRST} {LAST} ซ่อมบ้าน", actor=social_worker
    )
    services.plan_item_add(case=case, action=f"พา{FIRST}ไปโรงพยาบาล", actor=social_worker)
    Consent.objects.filter(household=household).update(purposes=["pocketbook"])  # not shared: an override reason
    services.referral_create(
        case=case,
        agency=agency,
        request=f"ขอให้ตรวจสุขภาพคุณ{FIRST}",
        consent_override_reason=f"{FIRST} ป่วยหนัก เร่งด่วน",
        actor=social_worker,
        confirm_outside_area=True,
    )
    services.assistance_record(
        household=household, member=head, case=case, kind="cash_grant", amount="1500", fund=fund,
        given_on=timezone.localdate(), description=f"เงินสงเคราะห์ให้{LAST}", actor=social_worker,
    )  # fmt: skip
    services.followup_record(case=case, visited_on=timezone.localdate(), note=f"เยี่ยม{FIRST}แล้ว", actor=social_worker)
    services.case_close(case=case, status="helped", note=f"{FIRST} {LAST} ได้รับความช่วยเหลือ", actor=social_worker)
    return case


def test_the_export_holds_the_persons_cases_and_assistance(worked_case, administrator):
    # when
    data = privacy.person_export(member=worked_case.member, actor=administrator)
    # then
    assert data["cases"]["cases"] == [
        {
            "id": worked_case.pk,
            "opened_on": worked_case.opened_on.isoformat(),
            "status": "helped",
            "about_this_person": True,
            "summary": f"ช่วยนาง{FIRST} {LAST} ซ่อมบ้าน",
        }
    ]
    [entry] = data["cases"]["assistance"]
    assert (entry["to_this_person"], entry["amount"], entry["description"]) == (
        True,
        "1500.00",
        f"เงินสงเคราะห์ให้{LAST}",
    )


def test_erasing_the_person_leaves_their_names_in_no_case_text_nor_its_audit_copies(worked_case, administrator):
    # given the names are stored in the cases' tables and the trail (the scan would otherwise prove nothing)
    assert f"เยี่ยม{FIRST}แล้ว" in every_stored_text()
    # when
    privacy.person_erase(member=worked_case.member, actor=administrator)
    # then no column of any table holds either name; the records stay, with the names replaced
    stored = every_stored_text()
    assert FIRST not in stored
    assert LAST not in stored
    case = Case.objects.get(pk=worked_case.pk)
    assert case.title == "ช่วยนาง— ซ่อมบ้าน"
    assert case.close_note == "— ได้รับความช่วยเหลือ"
    assert FollowUp.objects.get(case=case).note == "เยี่ยม—แล้ว"
    referral = Referral.objects.get(case=case)
    assert (referral.request, referral.consent_override_reason) == ("ขอให้ตรวจสุขภาพคุณ—", "— ป่วยหนัก เร่งด่วน")
    # the trail still says why the referral went without consent, without the name
    audited = ObjectChange.objects.get(content_type__model="referral", object_id=str(referral.pk))
    assert audited.after["consent_override_reason"] == "— ป่วยหนัก เร่งด่วน"
    assert "request" not in audited.after


def test_the_administrator_erases_through_the_page_and_the_case_page_still_opens(
    client, worked_case, administrator, social_worker
):
    # when
    client.force_login(administrator)
    response = client.post(reverse("households:member_erase", args=[worked_case.member_id]), {"confirm": "on"})
    # then
    assert response.status_code == 302
    client.force_login(social_worker)
    page = client.get(reverse("cases:case_detail", args=[worked_case.pk])).content.decode()
    assert "ช่วยนาง— ซ่อมบ้าน" in page
    assert FIRST not in page
