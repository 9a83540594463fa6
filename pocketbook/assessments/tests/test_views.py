"""The New assessment form, the result page and the history: steps, drafts, Thai messages, access."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from pocketbook.assessments import services
from pocketbook.assessments.models import Assessment, AssessmentDraft
from pocketbook.assessments.tests.factories import VISIT, answers_for, couple_household
from pocketbook.households.models import HouseholdEvent
from pocketbook.households.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
VISIT_BE = "15/6/2567"


def step_url(household, step):
    return reverse("assessments:assessment_new_step", args=[household.pk, step])


def members_post(*members, **overrides):
    data = {"assessed_on": VISIT_BE, "gps_lat": "7.556000", "gps_lng": "99.611000"}
    for m in members:
        data.update(
            {f"income_{m.pk}": "15000", f"work_{m.pk}": "yes", f"studying_{m.pk}": "no", f"education_{m.pk}": ""}
        )
    data.update(overrides)
    return data


YES_STEPS = {
    1: lambda ms: {
        "h_hygienic_food": "yes",
        "h_proper_medicine_use": "yes",
        **{f"m_{m.pk}_exercises": "yes" for m in ms},
    },
    2: lambda ms: {
        "h_secure_durable_house": "yes",
        "h_drinking_water_enough": "yes",
        "h_household_water_enough": "yes",
        "h_tidy_house": "no",
    },
    3: lambda ms: {f"m_{m.pk}_literate": "yes" for m in ms},
    4: lambda ms: {},
    5: lambda ms: {},
}


def test_a_volunteer_walks_through_every_step_and_lands_on_the_result(client, volunteer):
    # given a couple in the volunteer's subdistrict
    home, head, spouse = couple_household()
    client.force_login(volunteer)
    # when the members step is filled
    response = client.post(step_url(home, 0), members_post(head, spouse))
    assert response.status_code == 302
    assert response["Location"] == step_url(home, 1)
    draft = AssessmentDraft.objects.get()
    assert draft.step == 1
    assert draft.data["assessed_on"] == "2024-06-15"
    assert draft.data["members"][str(head.pk)]["has_occupation_and_income"] is True
    # and every dimension step
    for step in range(1, 6):
        response = client.post(step_url(home, step), YES_STEPS[step]([head, spouse]))
        assert response.status_code == 302, [
            line for line in response.content.decode().splitlines() if "error" in line
        ]
    # then the assessment is stored and the page shows the result in Thai
    assessment = Assessment.objects.get()
    assert response["Location"] == reverse("assessments:assessment_detail", args=[assessment.pk])
    assert assessment.dimension_results["living"] == "fail"
    assert str(assessment.gps_lat) == "7.556000"
    assert AssessmentDraft.objects.count() == 0
    page = client.get(response["Location"]).content.decode()
    assert "ครัวเรือนจัดบ้านเรือนเป็นระเบียบเรียบร้อย สะอาด และถูกสุขลักษณะ" in page
    assert "ครัวเรือนตอบว่า ไม่ใช่" in page


def test_a_step_with_missing_answers_shows_thai_messages_and_keeps_the_draft_step(client, volunteer):
    home, head, spouse = couple_household()
    client.force_login(volunteer)
    client.post(step_url(home, 0), members_post(head, spouse))
    # when the health step is sent empty
    response = client.post(step_url(home, 1), {})
    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("กรุณาตอบคำถามนี้") == 4
    assert AssessmentDraft.objects.get().step == 1
    assert Assessment.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("assessed_on", "15/6/2600", "เป็นวันในอนาคต"),
        ("assessed_on", "", "กรุณากรอกวันที่เยี่ยมบ้าน"),
        ("income", "-100", "ค่านี้ต้องไม่ต่ำกว่าศูนย์"),
        ("income", "abc", "กรุณากรอกเป็นตัวเลข เช่น 2500"),
        ("work", "", "กรุณาตอบคำถามนี้"),
    ],
)
def test_members_step_checks_every_field_in_thai(client, volunteer, field, value, message):
    home, head, spouse = couple_household()
    client.force_login(volunteer)
    key = field if field == "assessed_on" else f"{field}_{head.pk}"
    response = client.post(step_url(home, 0), members_post(head, spouse, **{key: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert AssessmentDraft.objects.count() == 0


def test_the_date_cannot_be_before_the_last_assessment(client, volunteer):
    home, head, spouse = couple_household()
    services.assessment_submit(household=home, assessed_on=VISIT, answers=answers_for(head, spouse), actor=volunteer)
    client.force_login(volunteer)
    response = client.post(step_url(home, 0), members_post(head, spouse, assessed_on="1/1/2567"))
    assert "การประเมินครั้งล่าสุดของครัวเรือนนี้คือวันที่ 15 มิถุนายน 2567" in response.content.decode()


def test_member_questions_are_asked_only_of_members_they_apply_to(client, volunteer):
    home, head, spouse = couple_household()
    grandmother = MemberFactory(household=home, first_name="ยาย", birth_date=dt.date(1950, 1, 1), relation="parent")
    client.force_login(volunteer)
    client.post(step_url(home, 0), members_post(head, spouse, grandmother))
    for step in (1, 2, 3, 4):
        post = YES_STEPS[step]([head, spouse, grandmother])
        post.pop(f"m_{grandmother.pk}_literate", None)
        client.post(step_url(home, step), post)
    page = client.get(step_url(home, 5)).content.decode()
    assert f'name="m_{grandmother.pk}_cared_for"' in page
    assert f'name="m_{head.pk}_cared_for"' not in page


def test_a_later_step_cannot_be_skipped_to(client, volunteer):
    home, *_ = couple_household()
    client.force_login(volunteer)
    response = client.get(step_url(home, 3))
    assert response.status_code == 302
    assert response["Location"] == step_url(home, 0)


def test_back_and_discard(client, volunteer):
    home, head, spouse = couple_household()
    client.force_login(volunteer)
    client.post(step_url(home, 0), members_post(head, spouse))
    response = client.post(step_url(home, 1), {"back": "1"})
    assert response["Location"] == step_url(home, 0)
    page = client.get(step_url(home, 0)).content.decode()
    assert 'value="15/6/2567"' in page
    response = client.post(reverse("assessments:assessment_discard", args=[home.pk]))
    assert response["Location"] == reverse("households:household_detail", args=[home.pk])
    assert AssessmentDraft.objects.count() == 0


# --- access -------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in_and_nothing_is_written(client):
    home, head, spouse = couple_household()
    for url in (step_url(home, 0), reverse("assessments:assessment_history", args=[home.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]
    client.post(step_url(home, 0), members_post(head, spouse))
    assert AssessmentDraft.objects.count() == 0


def test_wrong_area_gets_404_everywhere_and_writes_nothing(client, volunteer, other_province_worker):
    home, head, spouse = couple_household()
    assessment = services.assessment_submit(
        household=home, assessed_on=VISIT, answers=answers_for(head, spouse), actor=volunteer
    )
    client.force_login(other_province_worker)
    for url in (
        step_url(home, 0),
        reverse("assessments:assessment_history", args=[home.pk]),
        reverse("assessments:assessment_detail", args=[assessment.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(step_url(home, 0), members_post(head, spouse)).status_code == 404
    assert client.post(reverse("assessments:assessment_discard", args=[home.pk])).status_code == 404
    assert AssessmentDraft.objects.count() == 0


def test_wrong_role_cannot_open_the_form_or_the_result(client, volunteer, analyst, manager):
    home, head, spouse = couple_household()
    assessment = services.assessment_submit(
        household=home, assessed_on=VISIT, answers=answers_for(head, spouse), actor=volunteer
    )
    client.force_login(analyst)
    assert client.get(step_url(home, 0)).status_code == 404
    assert client.get(reverse("assessments:assessment_detail", args=[assessment.pk])).status_code == 404
    # a manager may read but not assess
    client.force_login(manager)
    assert client.get(reverse("assessments:assessment_detail", args=[assessment.pk])).status_code == 200
    assert client.post(step_url(home, 0), members_post(head, spouse)).status_code == 403
    assert AssessmentDraft.objects.count() == 0


def test_right_area_sees_result_progress_and_history(client, volunteer, social_worker):
    home, head, spouse = couple_household()
    first = services.assessment_submit(
        household=home, assessed_on=VISIT, answers=answers_for(head, spouse, household={"tidy_house": False}),
        actor=volunteer,
    )  # fmt: skip
    second = services.assessment_submit(
        household=home, assessed_on=VISIT + dt.timedelta(days=90), answers=answers_for(head, spouse), actor=volunteer
    )
    client.force_login(social_worker)
    page = client.get(reverse("assessments:assessment_detail", args=[second.pk])).content.decode()
    assert "ดีขึ้น" in page
    assert "สิ่งที่เปลี่ยนไปตั้งแต่การเยี่ยมครั้งก่อน" in page
    history = client.get(reverse("assessments:assessment_history", args=[home.pk])).content.decode()
    assert reverse("assessments:assessment_detail", args=[first.pk]) in history


def test_the_household_page_shows_the_panel_and_the_list_shows_badges(client, volunteer):
    home, head, spouse = couple_household()
    services.assessment_submit(
        household=home, assessed_on=VISIT, answers=answers_for(head, spouse, household={"tidy_house": False}),
        actor=volunteer,
    )  # fmt: skip
    client.force_login(volunteer)
    page = client.get(reverse("households:household_detail", args=[home.pk])).content.decode()
    assert 'data-testid="assessment-panel"' in page
    assert "ครัวเรือนจัดบ้านเรือนเป็นระเบียบเรียบร้อย สะอาด และถูกสุขลักษณะ" in page
    assert reverse("assessments:assessment_new", args=[home.pk]) in page
    listing = client.get(reverse("households:household_list") + "?all=1").content.decode()
    assert listing.count("as-badge--pass") == 4
    assert listing.count("as-badge--fail") == 1


def _badges(html):
    """(dimension key, mark, short word) of each badge, in page order."""
    import re

    pattern = (
        r'<span class="as-badge as-badge--(\w+)"[^>]*data-dimension="(\w+)">'
        r'<span class="as-badge__mark" aria-hidden="true">(.)</span>([^<]+)<'
    )
    return [(key, mark, word, result) for result, key, mark, word in re.findall(pattern, html)]


EXPECTED_BADGES = [
    ("health", "✓", "สุขภาพ", "pass"),
    ("living", "✗", "ที่อยู่อาศัย", "fail"),
    ("education", "✓", "การศึกษา", "pass"),
    ("income", "✓", "รายได้", "pass"),
    ("access", "✓", "บริการรัฐ", "pass"),
]


def test_the_badges_have_distinct_words_and_a_mark_beside_the_colour_in_list_and_history(client, volunteer):
    # given one visit failing the living dimension
    home, head, spouse = couple_household()
    services.assessment_submit(
        household=home, assessed_on=VISIT, answers=answers_for(head, spouse, household={"tidy_house": False}),
        actor=volunteer,
    )  # fmt: skip
    client.force_login(volunteer)

    # when
    listing = client.get(reverse("households:household_list") + "?all=1").content.decode()
    history = client.get(reverse("assessments:assessment_history", args=[home.pk])).content.decode()

    # then
    assert _badges(listing) == EXPECTED_BADGES
    assert _badges(history) == EXPECTED_BADGES
    assert len({word for _key, _mark, word, _result in EXPECTED_BADGES}) == 5


def test_the_timeline_shows_the_day_of_the_visit_not_the_day_it_was_entered(client, volunteer):
    # given a visit of 15 June 2024 entered today
    home, head, spouse = couple_household()
    services.assessment_submit(household=home, assessed_on=VISIT, answers=answers_for(head, spouse), actor=volunteer)
    client.force_login(volunteer)

    # when
    page = client.get(reverse("households:household_detail", args=[home.pk])).content.decode()

    # then
    event = HouseholdEvent.objects.get(household=home, kind="assessment_submitted")
    assert event.params["occurred_on"] == "2024-06-15"
    assert timezone.localtime(event.time).date() == VISIT
    assert '<time datetime="2024-06-15">15 มิถุนายน 2567</time>' in page


def test_a_visit_entered_on_its_day_keeps_its_time(volunteer):
    home, head, spouse = couple_household()
    today = timezone.localdate()

    services.assessment_submit(household=home, assessed_on=today, answers=answers_for(head, spouse), actor=volunteer)

    event = HouseholdEvent.objects.get(household=home, kind="assessment_submitted")
    assert "occurred_on" not in event.params
    assert timezone.now() - event.time < dt.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("grams", "message"),
    [
        ("0", "ค่านี้น้อยกว่า 500 กรุณาตรวจสอบตัวเลข"),
        ("499", "ค่านี้น้อยกว่า 500 กรุณาตรวจสอบตัวเลข"),
        ("500", None),
        ("7000", None),
        ("7001", "ค่านี้มากกว่า 7,000 กรุณาตรวจสอบตัวเลข"),
        ("99999", "ค่านี้มากกว่า 7,000 กรุณาตรวจสอบตัวเลข"),
    ],
)
def test_a_birth_weight_on_the_page_is_grams_a_newborn_can_weigh(client, volunteer, grams, message):
    # given: a baby born three months before the visit, so the health step asks its birth weight
    home, head, spouse = couple_household()
    baby = MemberFactory(household=home, first_name="น้องใหม่", birth_date=dt.date(2024, 3, 1), relation="child")
    client.force_login(volunteer)
    client.post(step_url(home, 0), members_post(head, spouse, baby))
    assert AssessmentDraft.objects.get().step == 1

    # when
    answers = YES_STEPS[1]([head, spouse]) | {f"m_{baby.pk}_birth_weight_grams": grams}
    response = client.post(step_url(home, 1), answers)

    # then: a weight outside 500–7,000 g is refused in Thai beside the field, and the draft stays on the step
    draft = AssessmentDraft.objects.get()
    if message is None:
        assert response.status_code == 302
        assert draft.step == 2
        assert draft.data["members"][str(baby.pk)]["birth_weight_grams"] == int(grams)
    else:
        assert response.status_code == 200
        field_errors = re.search(
            rf'id="id_m_{baby.pk}_birth_weight_grams_error"><li>([^<]*)</li>', response.content.decode()
        )
        assert field_errors is not None
        assert field_errors.group(1) == message
        assert draft.step == 1
        assert "birth_weight_grams" not in draft.data["members"].get(str(baby.pk), {})
