"""The home household of ต.ทับเที่ยง that the neighbour-access tests try to reach, and its volunteer in charge."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pocketbook.assessments import services as assessment_services
from pocketbook.assessments.tests.factories import VISIT, answers_for
from pocketbook.geo.models import Village
from pocketbook.households import services
from pocketbook.households.services import ConsentInput, HouseholdInput, MemberInput
from pocketbook.volunteers import services as volunteer_services
from pocketbook.volunteers.tests.factories import VolunteerFactory
from tests.neighbours import HOME_VILLAGE, NATIONAL_ID


@pytest.fixture
def home(social_worker):
    """A household of ต.ทับเที่ยง with a member, consent and an assessment; villages for everyone."""
    Village.objects.bulk_create(
        [
            Village(code=HOME_VILLAGE, subdistrict_id="920101", number=1, name="บ้านทับเที่ยง"),
            Village(code="92010401", subdistrict_id="920104", number=1, name="บ้านนาพละ"),
            Village(code="92020101", subdistrict_id="920201", number=1, name="บ้านกันตัง"),
        ],
        ignore_conflicts=True,
    )
    household = services.household_create(
        data=HouseholdInput(area_code=HOME_VILLAGE, house_no="41/4", address="ถนนทับเที่ยง"),
        actor=social_worker,
        consent=ConsentInput("นางบ้านเดิม", ["pocketbook"]),
    )
    member = services.member_add(
        household=household,
        data=MemberInput(
            first_name="บ้านเดิมนาง", last_name="ทับเที่ยง", sex="F", birth_date=dt.date(1980, 2, 3),
            relation="head", national_id=NATIONAL_ID,
        ),
        actor=social_worker,
    )  # fmt: skip
    assessment = assessment_services.assessment_submit(
        household=household, assessed_on=VISIT, answers=answers_for(member), actor=social_worker
    )
    return {"household": household, "member": member, "assessment": assessment}


@pytest.fixture
def home_in_care(home, volunteer, social_worker):
    """The home household in the care of the home volunteer (registry entry, visit schedule) with one visit noted."""
    entry = VolunteerFactory(first_name="ทับเที่ยงอาสา", home_area_code=HOME_VILLAGE, user=volunteer)
    volunteer_services.household_assign(household=home["household"], volunteer=entry, actor=social_worker)
    visit = volunteer_services.visit_record(
        household=home["household"], visited_on=timezone.localdate(), note="เยี่ยมบ้านนางบ้านเดิม", actor=volunteer
    )
    home["household"].refresh_from_db()
    return home | {"volunteer": entry, "visit": visit}
