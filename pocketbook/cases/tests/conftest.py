"""Villages, a household with an open failure, an agency and the provincial fund for the cases tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from pocketbook.cases.models import Fund, FundBudget
from pocketbook.cases.tests.factories import AgencyFactory, make_assessment
from pocketbook.geo.models import Village
from pocketbook.households.models import Consent
from pocketbook.households.tests.factories import HouseholdFactory, MemberFactory, make_national_id


@pytest.fixture(autouse=True)
def villages(db):
    Village.objects.bulk_create(
        [
            Village(code="92010101", subdistrict_id="920101", number=1, name="บ้านทับเที่ยง"),
            Village(code="92010102", subdistrict_id="920101", number=2, name="บ้านนาตาล่วง"),
            Village(code="92010401", subdistrict_id="920104", number=1, name="บ้านนาพละ"),
            Village(code="50010101", subdistrict_id="500101", number=1, name="บ้านศรีภูมิ"),
        ]
    )


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages are asserted in English (pages choose their language per request)."""
    with translation.override("en"):
        yield


@pytest.fixture
def household(volunteer):
    """A consenting household of หมู่ 1 ทับเที่ยง looked after by the volunteer, head สมศรี."""
    home = HouseholdFactory(volunteer=volunteer)
    MemberFactory(
        household=home, first_name="สมศรี", last_name="ใจงาม", sex="F", national_id=make_national_id("110170020345")
    )
    Consent.objects.create(
        household=home, given_by_name="สมศรี ใจงาม", given_at=timezone.now(), purposes=["pocketbook", "assistance"]
    )
    return home


@pytest.fixture
def failing_household(household):
    """The household with a latest assessment failing bmn-04 (food) and passing bmn-19."""
    make_assessment(household, {"bmn-04": ("health", "fail"), "bmn-19": ("education", "pass")})
    return household


@pytest.fixture
def agency(db):
    return AgencyFactory()


@pytest.fixture
def fund(db):
    fund = Fund.objects.create(name="กองทุนส่งเสริมการจัดสวัสดิการสังคมจังหวัดตรัง", owner="พมจ.ตรัง", area_code="92")
    year = (dt.date.today().year + (1 if dt.date.today().month >= 10 else 0)) + 543
    FundBudget.objects.create(fund=fund, fiscal_year=year, amount=Decimal("10000.00"))
    return fund
