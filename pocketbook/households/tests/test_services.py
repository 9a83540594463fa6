import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pocketbook.audit.models import AccessLog, ObjectChange
from pocketbook.households import services, timeline
from pocketbook.households.models import Consent, DuplicateOverride, Household, HouseholdEvent, Member, MemberMove
from pocketbook.households.services import ConsentInput, HouseholdInput, MemberInput
from pocketbook.households.tests.factories import HouseholdFactory, MemberFactory, make_national_id

ID_A = make_national_id("110170020345")
ID_ZERO = make_national_id("012345678901")


def consent() -> ConsentInput:
    return ConsentInput(given_by_name="นางสมศรี ใจดี", purposes=["pocketbook", "assistance"])


def person(**overrides) -> MemberInput:
    values = {
        "title": "นาย",
        "first_name": "สมชาย",
        "last_name": "ใจดี",
        "sex": "M",
        "birth_date": dt.date(1975, 3, 1),
        "relation": "head",
        "national_id": ID_A,
        "monthly_income": Decimal("9000"),
    }
    values.update(overrides)
    return MemberInput(**values)


@pytest.fixture
def household(volunteer):
    return services.household_create(
        data=HouseholdInput(area_code="92010101", house_no="12/3", phone="0812345678"),
        actor=volunteer,
        consent=consent(),
    )


def test_household_create_with_consent_keeps_details_and_writes_timeline_and_audit(volunteer):
    # when
    household = services.household_create(
        data=HouseholdInput(area_code="92010101", house_no="12/3", address="ถนนพระราม 6"),
        actor=volunteer,
        consent=consent(),
    )
    # then
    assert household.has_consent is True
    assert household.house_no == "12/3"
    assert household.volunteer == volunteer
    assert list(household.events.order_by("id").values_list("kind", flat=True)) == ["created", "consent_given"]
    assert Consent.objects.get(household=household).purposes == ["pocketbook", "assistance"]
    assert ObjectChange.objects.filter(object_id=str(household.pk), content_type__model="household").count() == 1


def test_household_without_consent_is_anonymous_and_keeps_nothing_personal(volunteer):
    # when
    household = services.household_create(
        data=HouseholdInput(
            area_code="92010101", house_no="12/3", phone="0812345678", gps_lat=Decimal("7.5"), gps_lng=Decimal("99.6")
        ),
        actor=volunteer,
        consent=None,
    )
    member = services.member_add(household=household, data=person(), actor=volunteer)
    # then
    household.refresh_from_db()
    assert (household.house_no, household.phone, household.gps_lat, household.has_consent) == ("", "", None, False)
    assert (member.first_name, member.last_name, member.title, member.national_id_hash) == ("", "", "", "")
    assert member.birth_date == dt.date(1975, 7, 1)
    assert member.birth_year_only is True
    assert member.monthly_income == Decimal("9000")


def test_household_in_an_unknown_area_is_refused_naming_the_field(volunteer):
    with pytest.raises(ValidationError) as error:
        services.household_create(data=HouseholdInput(area_code="92999999"), actor=volunteer, consent=None)
    assert list(error.value.message_dict) == ["area_code"]
    assert Household.objects.count() == 0


def test_household_outside_the_actors_areas_is_refused(volunteer):
    with pytest.raises(ValidationError) as error:
        services.household_create(data=HouseholdInput(area_code="50010101"), actor=volunteer, consent=None)
    assert error.value.message_dict == {"area_code": ["This area is outside your areas."]}
    assert Household.objects.count() == 0


def test_member_add_stores_the_id_encrypted_with_hash_and_last_digit(household, volunteer):
    # when
    member = services.member_add(household=household, data=person(), actor=volunteer)
    # then
    member.refresh_from_db()
    assert ID_A not in member.national_id_encrypted
    assert member.national_id_masked == "x-xxxx-xxxxx-xx-" + ID_A[-1]
    assert member.national_id_hash != ""
    assert household.events.filter(kind="member_added").count() == 1
    change = ObjectChange.objects.get(object_id=str(member.pk), content_type__model="member")
    assert "national_id_encrypted" not in change.after and "national_id_hash" not in change.after


def test_an_id_starting_with_zero_is_accepted(household, volunteer):
    member = services.member_add(household=household, data=person(national_id=ID_ZERO), actor=volunteer)
    assert member.national_id_last_digit == ID_ZERO[-1]


def test_a_wrong_check_digit_is_refused_and_nothing_saved(household, volunteer):
    wrong = ID_A[:-1] + str((int(ID_A[-1]) + 1) % 10)
    with pytest.raises(ValidationError) as error:
        services.member_add(household=household, data=person(national_id=wrong), actor=volunteer)
    assert list(error.value.message_dict) == ["national_id"]
    assert Member.objects.count() == 0


def test_a_person_is_an_active_member_of_one_household_at_a_time(household, volunteer):
    # given
    services.member_add(household=household, data=person(), actor=volunteer)
    other = HouseholdFactory(area_code="92010102")
    # when
    with pytest.raises(ValidationError) as error:
        services.member_add(household=other, data=person(), actor=volunteer)
    # then
    assert "another household" in error.value.message_dict["national_id"][0]
    assert other.members.count() == 0


def test_a_birth_year_in_the_future_points_at_a_be_ce_mix_up(household, volunteer):
    with pytest.raises(ValidationError) as error:
        services.member_add(household=household, data=person(birth_date=dt.date(2600, 1, 1)), actor=volunteer)
    assert "Buddhist Era" in error.value.message_dict["birth_date"][0]


def test_an_age_of_130_points_at_a_be_ce_mix_up(household, volunteer):
    born = dt.date.today().replace(year=dt.date.today().year - 130, month=1, day=1)
    with pytest.raises(ValidationError) as error:
        services.member_add(household=household, data=person(birth_date=born), actor=volunteer)
    assert "wrong era" in error.value.message_dict["birth_date"][0]


def test_a_negative_income_is_refused(household, volunteer):
    with pytest.raises(ValidationError) as error:
        services.member_add(household=household, data=person(monthly_income=Decimal("-1")), actor=volunteer)
    assert error.value.message_dict["monthly_income"] == ["Income cannot be negative."]


def test_a_child_older_than_the_head_is_refused(household, volunteer):
    # given: the head was born in 1975
    services.member_add(household=household, data=person(), actor=volunteer)
    # when
    child = person(
        first_name="ลูก",
        national_id="",
        no_id_reason="not_yet_registered",
        relation="child",
        birth_date=dt.date(1970, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        services.member_add(household=household, data=child, actor=volunteer)
    # then
    assert "at least 12 years younger" in error.value.message_dict["relation"][0]
    assert household.members.count() == 1


def test_a_second_head_is_refused(household, volunteer):
    services.member_add(household=household, data=person(), actor=volunteer)
    with pytest.raises(ValidationError) as error:
        services.member_add(
            household=household, data=person(national_id="", no_id_reason="other", first_name="ก"), actor=volunteer
        )
    assert error.value.message_dict["relation"] == ["This household already has a head. Change that first."]


def test_a_person_without_id_needs_a_reason(household, volunteer):
    with pytest.raises(ValidationError) as error:
        services.member_add(household=household, data=person(national_id=""), actor=volunteer)
    assert list(error.value.message_dict) == ["no_id_reason"]


def test_a_person_without_id_matching_name_and_birth_date_in_the_subdistrict_is_a_possible_duplicate(volunteer):
    # given: the same name and birth date in another village of the same subdistrict
    first = HouseholdFactory(area_code="92010101")
    existing = MemberFactory(household=first, first_name="มานี", last_name="มีนา", birth_date=dt.date(1990, 1, 2))
    second = HouseholdFactory(area_code="92010102")
    data = person(
        first_name="มานี", last_name="มีนา", birth_date=dt.date(1990, 1, 2), national_id="", no_id_reason="stateless"
    )
    # when
    with pytest.raises(services.PossibleDuplicate) as warning:
        services.member_add(household=second, data=data, actor=volunteer)
    # then
    assert warning.value.matches == [existing]
    assert second.members.count() == 0
    # and when the user overrides with a reason
    member = services.member_add(
        household=second, data=data, actor=volunteer, duplicate_override_reason="คนละคน ชื่อซ้ำกัน"
    )
    override = DuplicateOverride.objects.get(member=member)
    assert (override.matched_member_ids, override.reason) == ([existing.pk], "คนละคน ชื่อซ้ำกัน")


def test_the_same_name_in_another_subdistrict_is_not_a_duplicate(volunteer):
    MemberFactory(
        household=HouseholdFactory(area_code="92010401"),
        first_name="มานี",
        last_name="มีนา",
        birth_date=dt.date(1990, 1, 2),
    )
    target = HouseholdFactory(area_code="92010101")
    data = person(
        first_name="มานี", last_name="มีนา", birth_date=dt.date(1990, 1, 2), national_id="", no_id_reason="stateless"
    )
    assert services.member_add(household=target, data=data, actor=volunteer).pk is not None


def test_member_move_ends_the_old_membership_starts_a_new_one_and_writes_both_timelines(household, volunteer):
    # given
    member = services.member_add(household=household, data=person(), actor=volunteer)
    target = HouseholdFactory(area_code="92010102")
    MemberFactory(household=target, birth_date=dt.date(1950, 1, 1))
    # when
    new_member = services.member_move(member=member, to_household=target, actor=volunteer, reason="แต่งงาน")
    # then
    member.refresh_from_db()
    assert (member.status, member.moved_to) == ("moved", new_member)
    assert (new_member.household, new_member.status, new_member.relation) == (target, "active", "relative")
    assert new_member.national_id_hash == member.national_id_hash
    assert MemberMove.objects.get(from_member=member).reason == "แต่งงาน"
    assert household.events.filter(kind="member_moved_out", params__member_id=member.pk).count() == 1
    assert target.events.filter(kind="member_moved_in", params__member_id=new_member.pk).count() == 1


def test_member_move_needs_a_reason(household, volunteer):
    member = services.member_add(household=household, data=person(), actor=volunteer)
    target = HouseholdFactory(area_code="92010102")
    with pytest.raises(ValidationError) as error:
        services.member_move(member=member, to_household=target, actor=volunteer, reason=" ")
    assert list(error.value.message_dict) == ["reason"]
    member.refresh_from_db()
    assert member.status == "active"


def test_member_end_records_a_death_on_the_timeline(household, volunteer):
    member = services.member_add(household=household, data=person(), actor=volunteer)
    services.member_end(member=member, status="died", on=dt.date(2024, 1, 5), actor=volunteer)
    assert household.events.filter(kind="member_died").get().params == {"member_id": member.pk, "on": "2024-01-05"}


def test_member_update_keeps_the_id_unless_asked_to_change_it(household, volunteer):
    member = services.member_add(household=household, data=person(), actor=volunteer)
    old_hash = member.national_id_hash
    services.member_update(member=member, data=person(national_id="", occupation="ชาวสวน"), actor=volunteer)
    member.refresh_from_db()
    assert (member.national_id_hash, member.occupation) == (old_hash, "ชาวสวน")
    assert household.events.filter(kind="member_updated").get().params["fields"] == ["occupation"]


def test_national_id_reveal_is_for_allowed_roles_and_is_logged(household, volunteer, social_worker):
    member = services.member_add(household=household, data=person(), actor=volunteer)
    # when a volunteer tries
    with pytest.raises(PermissionDenied):
        services.national_id_reveal(member=member, actor=volunteer)
    assert AccessLog.objects.count() == 0
    # when a social worker unmasks
    shown = services.national_id_reveal(member=member, actor=social_worker)
    # then
    assert shown.replace("-", "") == ID_A
    log = AccessLog.objects.get()
    assert (log.user, log.object_id, log.purpose) == (social_worker, str(member.pk), "national ID unmasked")


def test_consent_withdraw_erases_personal_data_but_keeps_the_record(household, volunteer):
    member = services.member_add(household=household, data=person(), actor=volunteer)
    # when
    services.consent_withdraw(household=household, actor=volunteer, reason="ไม่ประสงค์")
    # then
    household.refresh_from_db()
    member.refresh_from_db()
    assert (household.has_consent, household.house_no, household.phone) == (False, "", "")
    assert (member.first_name, member.national_id_encrypted, member.national_id_hash) == ("", "", "")
    assert member.sex == "M" and member.birth_date == dt.date(1975, 7, 1)
    consent_row = Consent.objects.get(household=household)
    assert consent_row.withdrawn_at is not None and consent_row.given_by_name == "-"
    assert household.events.filter(kind="consent_withdrawn").count() == 1


def test_consent_record_turns_an_anonymous_household_into_a_named_one(volunteer):
    household = services.household_create(data=HouseholdInput(area_code="92010101"), actor=volunteer, consent=None)
    services.consent_record(household=household, consent=consent(), actor=volunteer)
    household.refresh_from_db()
    assert household.has_consent is True


def test_consent_must_cover_the_pocketbook(volunteer):
    with pytest.raises(ValidationError) as error:
        services.household_create(
            data=HouseholdInput(area_code="92010101"),
            actor=volunteer,
            consent=ConsentInput(given_by_name="ก", purposes=["contact"]),
        )
    assert list(error.value.message_dict) == ["purposes"]
    assert Household.objects.count() == 0


def test_timeline_record_is_the_public_hook_for_other_apps(household, volunteer):
    event = timeline.timeline_record(
        household=household, kind="assessment_submitted", params={"assessment_id": 7}, actor=volunteer
    )
    assert HouseholdEvent.objects.get(pk=event.pk).params == {"assessment_id": 7}
    assert timeline.describe(event) == "ส่งผลการประเมินแล้ว" or timeline.describe(event) == "Assessment submitted"
