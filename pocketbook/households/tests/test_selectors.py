import datetime as dt

import pytest

from pocketbook.audit.models import AccessLog
from pocketbook.households import selectors
from pocketbook.households.models import Household
from pocketbook.households.tests.factories import HouseholdFactory, MemberFactory, make_national_id

ID_A = make_national_id("110170020345")


@pytest.fixture
def trang_household():
    household = HouseholdFactory(area_code="92010101", house_no="45/2")
    MemberFactory(household=household, first_name="สมศักดิ์", last_name="รักดี", national_id=ID_A)
    MemberFactory(
        household=household, first_name="มาลี", last_name="รักดี", relation="spouse", birth_date=dt.date(1982, 1, 1)
    )
    return household


def test_household_list_is_limited_to_the_viewers_areas(trang_household, other_province_worker, volunteer, manager):
    # given
    HouseholdFactory(area_code="50010101")
    # then
    assert list(selectors.household_list(viewer=volunteer)) == [trang_household]
    assert list(selectors.household_list(viewer=manager)) == [trang_household]
    assert list(selectors.household_list(viewer=other_province_worker).filter(area_code__startswith="92")) == []


def test_analysts_and_anonymous_see_no_household(trang_household, analyst):
    assert list(selectors.household_list(viewer=analyst)) == []
    assert list(selectors.household_list(viewer=None)) == []


@pytest.mark.parametrize("search", ["สมศ", "รักดี", "มาลี รัก", "45/2", ID_A, "1-1017-00203-45-" + ID_A[-1]])
def test_household_list_searches_name_prefix_house_number_and_id(trang_household, volunteer, search):
    HouseholdFactory(area_code="92010101", house_no="9")
    assert list(selectors.household_list(viewer=volunteer, search=search)) == [trang_household]


def test_search_by_an_invalid_id_finds_nothing(trang_household, volunteer):
    assert list(selectors.household_list(viewer=volunteer, search="1101700203451")) == []


def test_household_get_outside_the_area_looks_missing(trang_household, other_province_worker):
    with pytest.raises(Household.DoesNotExist):
        selectors.household_get(viewer=other_province_worker, pk=trang_household.pk)


def test_household_open_logs_the_read(trang_household, social_worker):
    selectors.household_open(viewer=social_worker, pk=trang_household.pk)
    assert AccessLog.objects.get().purpose == "household page"


def test_member_by_national_id_uses_the_hash(trang_household, volunteer, other_province_worker):
    assert selectors.member_by_national_id(viewer=volunteer, number=ID_A).first_name == "สมศักดิ์"
    assert selectors.member_by_national_id(viewer=other_province_worker, number=ID_A) is None


def test_consent_selectors_answer_nothing_outside_the_viewers_areas(trang_household, volunteer, other_province_worker):
    # given a consent in force and a withdrawn one
    from pocketbook.households.models import Consent

    now = dt.datetime(2025, 1, 2, tzinfo=dt.UTC)
    given = Consent.objects.create(household=trang_household, given_by_name="มาลี รักดี", given_at=now)
    Consent.objects.create(
        household=trang_household, given_by_name="สมศักดิ์ รักดี", given_at=now - dt.timedelta(days=1), withdrawn_at=now
    )
    # then the viewer in the area sees them; one of another province sees none, as if there were none
    assert selectors.consent_current(viewer=volunteer, household=trang_household) == given
    assert [c.given_by_name for c in selectors.consent_history(viewer=volunteer, household=trang_household)] == [
        "มาลี รักดี",
        "สมศักดิ์ รักดี",
    ]
    assert selectors.consent_current(viewer=other_province_worker, household=trang_household) is None
    assert selectors.consent_history(viewer=other_province_worker, household=trang_household) == []
