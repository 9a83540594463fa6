"""assessment_submit, drafts and loading indicator sets: stored results, timeline, audit, refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pocketbook.assessments import selectors, services
from pocketbook.assessments.loading import SHIPPED_SET, read_set_file
from pocketbook.assessments.models import Assessment, AssessmentDraft, IndicatorSet
from pocketbook.assessments.tests.factories import VISIT, answers_for, couple_household
from pocketbook.audit.models import ObjectChange
from pocketbook.households.models import HouseholdEvent
from pocketbook.households.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_the_migration_ships_the_tpmap_set_as_current():
    current = selectors.indicator_set_current()
    assert current.code == "bmn-2560-2564-tpmap17"
    assert current.indicators.count() == 17
    assert current.thresholds["poor_income_per_person_per_year"] == 38000


def test_submit_stores_answers_results_statuses_timeline_and_audit(volunteer):
    # given a working couple and complete answers
    home, head, spouse = couple_household()
    # when the volunteer submits
    assessment = services.assessment_submit(
        household=home, assessed_on=VISIT, answers=answers_for(head, spouse), actor=volunteer,
        gps_lat=Decimal("7.556"), gps_lng=Decimal("99.611"),
    )  # fmt: skip
    # then results are stored
    assessment.refresh_from_db()
    assert assessment.dimension_results == {
        "health": "pass", "living": "pass", "education": "pass", "income": "pass", "access": "pass"
    }  # fmt: skip
    assert assessment.failed_dimensions == 0
    assert assessment.income_per_person_per_year == Decimal("180000.00")
    assert assessment.statuses == {
        "poor": False, "targeted_poor": False, "vulnerable": False, "vulnerable_reasons": [], "self_reliant": False
    }  # fmt: skip
    assert assessment.indicator_results["bmn-19"] == {
        "dimension": "education", "status": "pass", "reason": "all_members_meet", "params": {"count": 2}
    }  # fmt: skip
    assert assessment.answers["members"][str(head.pk)]["has_occupation_and_income"] is True
    assert assessment.answers["members"][str(head.pk)]["birth_date"] == "1984-01-01"
    assert "first_name" not in assessment.answers["members"][str(head.pk)]
    assert (assessment.assessor, assessment.is_latest, assessment.previous) == (volunteer, True, None)
    assert assessment.gps_lat == Decimal("7.556000")
    # and the timeline and the audit trail have it
    event = HouseholdEvent.objects.get(household=home, kind="assessment_submitted")
    assert event.params["assessment_id"] == assessment.pk
    assert event.params["failed_dimensions"] == 0
    assert event.actor == volunteer
    change = ObjectChange.objects.get(object_id=str(assessment.pk), content_type__model="assessment")
    assert change.action == "create"
    assert change.user == volunteer


def test_second_visit_links_the_previous_and_decides_self_reliance(volunteer):
    home, head, spouse = couple_household()
    first = services.assessment_submit(
        household=home, assessed_on=VISIT, answers=answers_for(head, spouse), actor=volunteer
    )
    second = services.assessment_submit(
        household=home, assessed_on=VISIT + dt.timedelta(days=180), answers=answers_for(head, spouse), actor=volunteer
    )
    first.refresh_from_db()
    assert (first.is_latest, second.is_latest, second.previous_id) == (False, True, first.pk)
    assert second.is_self_reliant is True
    assert first.is_self_reliant is False


def test_visit_corrections_override_the_member_record_for_this_assessment_only(volunteer):
    # given the spouse lost her job since the member record was made
    home, head, spouse = couple_household()
    answers = answers_for(head, spouse)
    answers["members"][str(spouse.pk)].update(monthly_income="0", has_occupation_and_income=False)
    # when submitted
    assessment = services.assessment_submit(household=home, assessed_on=VISIT, answers=answers, actor=volunteer)
    # then income per person halves and indicator 20 fails naming her id
    assert assessment.income_per_person_per_year == Decimal("90000.00")
    assert assessment.indicator_results["bmn-20"]["params"] == {"members": [str(spouse.pk)], "count": 1}
    assert assessment.is_vulnerable is True
    assert assessment.vulnerable_reasons == ["low_income"]
    spouse.refresh_from_db()
    assert spouse.monthly_income == Decimal("15000.00")


def test_targeted_poor_with_a_welfare_card_and_a_failed_dimension(volunteer):
    home, head, spouse = couple_household()
    head.has_welfare_card = True
    head.save()
    answers = answers_for(head, spouse, household={"tidy_house": False})
    assessment = services.assessment_submit(household=home, assessed_on=VISIT, answers=answers, actor=volunteer)
    assert (assessment.is_poor, assessment.is_targeted_poor, assessment.failed_dimensions) == (True, True, 1)
    assert assessment.dimension_results["living"] == "fail"


def test_missing_and_wrong_answers_are_refused_naming_each_and_nothing_is_written(volunteer):
    # given a grandmother whose care was not asked, and a household answer of the wrong kind
    home, head, spouse = couple_household()
    grandmother = MemberFactory(household=home, birth_date=dt.date(1950, 1, 1), relation="parent", sex="F")
    answers = answers_for(head, spouse, household={"tidy_house": "yes"})
    answers["members"][str(grandmother.pk)] = {"exercises": True}
    answers["household"].pop("hygienic_food")
    # when submitted
    with pytest.raises(ValidationError) as error:
        services.assessment_submit(household=home, assessed_on=VISIT, answers=answers, actor=volunteer)
    # then
    assert error.value.message_dict == {
        "answers.household.hygienic_food": ["กรุณาตอบคำถามนี้"],
        "answers.household.tidy_house": ["กรุณาตอบ ใช่ หรือ ไม่ใช่"],
        f"answers.members.{grandmother.pk}.cared_for": ["กรุณาตอบคำถามนี้"],
    }
    assert Assessment.objects.count() == 0
    assert HouseholdEvent.objects.filter(kind="assessment_submitted").count() == 0


@pytest.mark.parametrize(
    ("facts", "field", "message"),
    [
        ({"monthly_income": "-5"}, "monthly_income", "รายได้ต้องอยู่ระหว่าง 0 ถึง 10,000,000 บาทต่อเดือน"),
        ({"monthly_income": "lots"}, "monthly_income", "กรุณากรอกรายได้เป็นตัวเลข (บาท)"),
        ({"is_studying": "maybe"}, "is_studying", "กรุณาตอบ ใช่ หรือ ไม่ใช่"),
    ],
)
def test_bad_member_facts_are_refused(volunteer, facts, field, message):
    home, head, spouse = couple_household()
    answers = answers_for(head, spouse)
    answers["members"][str(head.pk)].update(facts)
    with pytest.raises(ValidationError) as error:
        services.assessment_submit(household=home, assessed_on=VISIT, answers=answers, actor=volunteer)
    assert error.value.message_dict == {f"answers.members.{head.pk}.{field}": [message]}
    assert Assessment.objects.count() == 0


def test_answers_for_someone_who_is_not_a_member_are_refused(volunteer):
    home, head, spouse = couple_household()
    stranger = MemberFactory()
    answers = answers_for(head, spouse, stranger)
    with pytest.raises(ValidationError) as error:
        services.assessment_submit(household=home, assessed_on=VISIT, answers=answers, actor=volunteer)
    assert list(error.value.message_dict) == [f"answers.members.{stranger.pk}"]


def test_a_future_date_and_a_date_before_the_last_visit_are_refused(volunteer):
    home, head, spouse = couple_household()
    with pytest.raises(ValidationError) as error:
        services.assessment_submit(
            household=home, assessed_on=dt.date(2600, 1, 1), answers=answers_for(head, spouse), actor=volunteer
        )
    assert list(error.value.message_dict) == ["assessed_on"]
    services.assessment_submit(household=home, assessed_on=VISIT, answers=answers_for(head, spouse), actor=volunteer)
    with pytest.raises(ValidationError) as error:
        services.assessment_submit(
            household=home,
            assessed_on=VISIT - dt.timedelta(days=1),
            answers=answers_for(head, spouse),
            actor=volunteer,
        )
    assert error.value.message_dict == {
        "assessed_on": ["การประเมินครั้งล่าสุดของครัวเรือนนี้คือวันที่ 15 มิถุนายน 2567 การประเมินใหม่ต้องไม่ลงวันที่ก่อนหน้านั้น"]
    }
    assert Assessment.objects.count() == 1


def test_gps_out_of_range_is_refused(volunteer):
    home, head, spouse = couple_household()
    with pytest.raises(ValidationError) as error:
        services.assessment_submit(
            household=home,
            assessed_on=VISIT,
            answers=answers_for(head, spouse),
            actor=volunteer,
            gps_lat=Decimal("91"),
        )
    assert list(error.value.message_dict) == ["gps_lat"]
    assert Assessment.objects.count() == 0


def test_a_role_without_the_permission_cannot_submit(analyst):
    home, head, spouse = couple_household()
    with pytest.raises(PermissionDenied):
        services.assessment_submit(household=home, assessed_on=VISIT, answers=answers_for(head, spouse), actor=analyst)
    assert Assessment.objects.count() == 0


def test_draft_is_kept_per_household_and_person_and_removed_on_submit(volunteer):
    home, head, spouse = couple_household()
    current = selectors.indicator_set_current()
    services.draft_save(household=home, actor=volunteer, indicator_set=current, step=1, data={"a": 1})
    services.draft_save(household=home, actor=volunteer, indicator_set=current, step=2, data={"a": 2})
    draft = AssessmentDraft.objects.get()
    assert (draft.step, draft.data) == (2, {"a": 2})
    services.assessment_submit(household=home, assessed_on=VISIT, answers=answers_for(head, spouse), actor=volunteer)
    assert AssessmentDraft.objects.count() == 0


def test_loading_the_same_set_again_changes_nothing():
    spec = read_set_file(SHIPPED_SET)
    indicator_set, created = services.indicator_set_load(spec=spec, actor=None)
    assert created is False
    assert IndicatorSet.objects.count() == 1
    assert indicator_set.indicators.count() == 17


def test_a_used_set_cannot_change_but_a_new_code_loads_and_old_assessments_keep_their_set(volunteer, tmp_path):
    # given an assessment under the shipped set
    home, head, spouse = couple_household()
    old = services.assessment_submit(
        household=home, assessed_on=VISIT, answers=answers_for(head, spouse), actor=volunteer
    )
    text = SHIPPED_SET.read_text(encoding="utf-8").replace(
        "poor_income_per_person_per_year: 38000", "poor_income_per_person_per_year: 200000"
    )
    changed = tmp_path / "changed.yaml"
    changed.write_text(text, encoding="utf-8")
    # when the changed file is loaded under the same code
    with pytest.raises(ValidationError) as error:
        services.indicator_set_load(spec=read_set_file(changed), actor=None)
    assert list(error.value.message_dict) == ["code"]
    # when it is loaded under a new code and made current
    changed.write_text(text.replace("code: bmn-2560-2564-tpmap17", "code: bmn-2566-2570-test"), encoding="utf-8")
    new_set, created = services.indicator_set_load(spec=read_set_file(changed), actor=None, make_current=True)
    # then new assessments use it and the old one stays under its set
    assert created is True
    assert selectors.indicator_set_current() == new_set
    newer = services.assessment_submit(
        household=home, assessed_on=VISIT + dt.timedelta(days=1), answers=answers_for(head, spouse), actor=volunteer
    )
    old.refresh_from_db()
    assert old.indicator_set.code == "bmn-2560-2564-tpmap17"
    assert old.indicator_results["bmn-22"]["status"] == "pass"
    assert newer.indicator_set == new_set
    assert newer.indicator_results["bmn-22"]["status"] == "fail"


def test_a_household_outside_the_actors_areas_is_refused_like_a_missing_one(other_province_worker):
    from pocketbook.households.models import Household

    home, head, spouse = couple_household()
    with pytest.raises(Household.DoesNotExist):
        services.assessment_submit(
            household=home, assessed_on=VISIT, answers=answers_for(head, spouse), actor=other_province_worker
        )
    assert Assessment.objects.count() == 0
