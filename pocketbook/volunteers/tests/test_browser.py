"""A real Chromium on a phone: check-in by QR (the scanner's own code path) and by ticking, offline, and the report."""

import pytest

from pocketbook.core.tests.browser import shot, sign_in
from pocketbook.volunteers import training_services
from pocketbook.volunteers.models import Attendance
from pocketbook.volunteers.tests.factories import ParticipantFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _wait(page, expression: str, seconds: float = 15) -> None:
    """Wait until `expression` is true in the page (wait_for_function would need eval, which the CSP forbids)."""
    for _ in range(int(seconds * 10)):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {expression}")


def _scan(page, text: str) -> None:
    """What the camera does on a decoded QR: hand the text to the page's scan handler (manual entry box)."""
    page.fill("[data-manual] input[name=token]", text)
    page.click("[data-manual] button[type=submit]")


def test_staff_check_in_by_qr_and_by_ticking_then_the_report_counts(browser_page, social_worker, villages):
    # given: a project with 3 volunteers, 1 speaker, 1 staff member
    session = SessionFactory()
    project = session.project
    people = [ParticipantFactory(project=project, role="volunteer", first_name=f"อาสา{i}") for i in range(3)]
    speaker = ParticipantFactory(project=project, role="speaker", first_name="วิทยากร", last_name="หนึ่ง")
    staff = ParticipantFactory(project=project, role="staff", first_name="เจ้าหน้าที่", last_name="สอง")
    page = browser_page
    sign_in(page, "sw")
    page.goto(f"/volunteers/training/sessions/{session.pk}/check-in/")
    page.wait_for_selector("[data-testid=live-counts]")
    shot(page, "check-in-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # when: two QR scans
    _scan(page, training_services.check_in_qr_text(people[0]))
    _wait(page, "document.querySelector('[data-testid=scan-result]').textContent.includes('อาสา0')")
    assert "ลงทะเบียนแล้ว" in page.inner_text("[data-testid=scan-result]")
    _scan(page, training_services.check_in_qr_text(speaker))
    _wait(page, "document.querySelector('[data-testid=scan-result]').textContent.includes('วิทยากร')")
    # when: the first QR again (shared or photographed)
    _scan(page, training_services.check_in_qr_text(people[0]))
    _wait(page, "document.querySelector('[data-testid=scan-result]').textContent.includes('ลงทะเบียนเข้าร่วมแล้วเมื่อเวลา')")
    refused = page.inner_text("[data-testid=scan-result]")
    assert refused.startswith("อาสา0 ตรังดี ลงทะเบียนเข้าร่วมแล้วเมื่อเวลา")
    assert "ทดสอบ ผู้ใช้" in refused
    shot(page, "check-in-second-scan-360")
    # when: the signal drops, a scan waits in the phone and goes when it is back
    page.context.set_offline(True)
    _scan(page, training_services.check_in_qr_text(people[1]))
    _wait(page, "document.querySelector('[data-testid=pending]').textContent.includes('1')")
    assert not Attendance.objects.filter(participant=people[1]).exists()
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    _wait(page, "document.querySelector('[data-testid=pending]').textContent === ''")
    # when: tick the staff member on the searchable list
    page.fill("input[name=q]", "เจ้าหน้าที่")
    _wait(page, "document.querySelectorAll('[data-testid=tick-row]').length === 1")
    page.click("[data-testid=tick]")
    page.wait_for_selector("[data-testid=checked-in]")
    # then: the live count by role
    _wait(
        page,
        "document.querySelector('[data-role=volunteer] strong').textContent === '2'"
        " && document.querySelector('[data-role=staff] strong').textContent === '1'",
    )
    assert page.inner_text("[data-role=speaker]").startswith("1/1")
    assert Attendance.objects.filter(session=session).count() == 4
    assert Attendance.objects.get(participant=staff).method == "tick"
    shot(page, "check-in-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "check-in-1280")
    page.set_viewport_size({"width": 360, "height": 740})
    # then: the project report counts right
    page.goto(f"/volunteers/training/{project.pk}/report/")
    rows = {
        role: page.inner_text(f"[data-testid=report-roles] tr[data-role={role}]")
        for role in ("volunteer", "speaker", "staff", "total")
    }
    assert rows["volunteer"].split() == ["อาสาสมัคร", "3", "2"]
    assert rows["speaker"].split() == ["วิทยากร", "1", "1"]
    assert rows["staff"].split() == ["เจ้าหน้าที่", "1", "1"]
    assert rows["total"].split() == ["รวม", "5", "4"]
    assert "4/5" in page.inner_text("[data-testid=report-sessions]")
    shot(page, "report-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "report-1280")


def test_the_pages_fit_a_phone(browser_page, social_worker, volunteer, villages):
    from pocketbook.households.tests.factories import HouseholdFactory
    from pocketbook.volunteers import services
    from pocketbook.volunteers.tests.factories import VolunteerFactory

    # given: a volunteer (the phone's user) with two households, one visit overdue
    linked = VolunteerFactory(user=volunteer, first_name="สมศรี", last_name="ใจดี", skills=["ปฐมพยาบาล"])
    households = HouseholdFactory.create_batch(2)
    services.households_assign(household_ids=[h.pk for h in households], volunteer=linked, actor=social_worker)
    from django.utils import timezone

    services.visit_record(
        household=households[0],
        visited_on=timezone.localdate() - timezone.timedelta(days=100),
        note="เยี่ยมบ้าน",
        actor=social_worker,
    )
    session = SessionFactory()
    page = browser_page
    sign_in(page, "vol")
    page.goto("/volunteers/visits/")
    assert "เกินกำหนด (1)" in page.inner_text("main")
    shot(page, "my-visits-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert "หมู่ 1 บ้านทับเที่ยง" in page.inner_text("main")
    page.click("[data-testid=record-visit] >> nth=0")
    page.fill("textarea[name=note]", "ติดตามผู้สูงอายุ")
    page.click("[data-testid=save]")
    page.wait_for_selector("h1")
    assert "สัปดาห์นี้ (0)" in page.inner_text("main") or "เกินกำหนด (0)" in page.inner_text("main")
    page.context.clear_cookies()
    sign_in(page, "sw")
    for name, url in (
        ("profile", f"/volunteers/{linked.pk}/"),
        ("coverage", "/volunteers/coverage/?area=920101"),
        ("assign", "/volunteers/assign/?area=92010101"),
        ("project", f"/volunteers/training/{session.project_id}/"),
    ):
        page.goto(url)
        shot(page, f"{name}-360")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/volunteers/coverage/?area=920101")
    shot(page, "coverage-1280")
