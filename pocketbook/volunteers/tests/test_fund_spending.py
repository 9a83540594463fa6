"""#11: a training project paid by a fund spends that fund's budget for its fiscal year, beside the assistance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from pocketbook.cases import selectors as case_selectors
from pocketbook.cases import services as case_services
from pocketbook.cases.models import Assistance, Fund, FundBudget, FundSpending
from pocketbook.households.tests.factories import HouseholdFactory
from pocketbook.volunteers import training_services
from pocketbook.volunteers.models import TrainingProject
from pocketbook.volunteers.tests.factories import project_input

pytestmark = pytest.mark.django_db

YEAR = 2566  # fiscal year 2566: 1 October 2022 – 30 September 2023


@pytest.fixture
def fund():
    """The provincial fund with 200,000 baht for 2566, of which 50,000 already went to a household."""
    fund = Fund.objects.create(name="กองทุนส่งเสริมการจัดสวัสดิการสังคมจังหวัดตรัง", owner="พมจ.ตรัง", area_code="92")
    FundBudget.objects.create(fund=fund, fiscal_year=YEAR, amount=Decimal("200000.00"))
    Assistance.objects.create(
        household=HouseholdFactory(), kind="cash_grant", amount=Decimal("50000.00"), fund=fund, fiscal_year=YEAR,
        given_on=dt.date(2023, 1, 10),
    )  # fmt: skip
    return fund


def _input(fund, **changes):
    paid = {
        "budget_fund": f"cases.fund:{fund.pk}",
        "planned_amount": Decimal("150000"),
        "spent_amount": Decimal("120000"),
    }
    return project_input(**{**paid, **changes})


def _used(manager, fund):
    return {(line.fund.pk, line.fiscal_year): line.used for line in case_selectors.fund_totals(viewer=manager)}[
        (fund.pk, YEAR)
    ]


def test_what_a_project_spends_counts_against_the_funds_budget_of_its_year(fund, manager):
    # when
    project = training_services.project_create(data=_input(fund), actor=manager)
    # then
    spending = FundSpending.objects.get()
    assert (spending.fund_id, spending.fiscal_year, spending.amount) == (fund.pk, YEAR, Decimal("120000.00"))
    assert spending.spender == f"volunteers.trainingproject:{project.pk}"
    assert _used(manager, fund) == Decimal("170000.00")
    assert case_services.fund_used(fund=fund, fiscal_year=YEAR) == Decimal("170000.00")


def test_spending_over_the_remaining_budget_is_refused_in_thai_and_nothing_changes(fund, manager):
    # given
    project = training_services.project_create(data=_input(fund), actor=manager)
    # when: 160,000 spent, but only 150,000 remain beside the 50,000 of assistance
    with translation.override("th"), pytest.raises(ValidationError) as refused:
        training_services.project_update(
            project=project, data=_input(fund, spent_amount=Decimal("160000")), actor=manager
        )
    # then
    assert refused.value.message_dict == {
        "spent_amount": [
            "เกินงบประมาณ: กองทุนส่งเสริมการจัดสวัสดิการสังคมจังหวัดตรัง มีงบประมาณปี 2566 จำนวน 200,000.00 บาท "
            "จ่ายหรือใช้ไปแล้ว 50,000.00 บาท คงเหลือ 150,000.00 บาท แต่โครงการนี้ใช้ 160,000.00 บาท"
        ]
    }
    assert TrainingProject.objects.get(pk=project.pk).spent_amount == Decimal("120000.00")
    assert FundSpending.objects.get().amount == Decimal("120000.00")
    # and exactly what remains fits
    training_services.project_update(project=project, data=_input(fund, spent_amount=Decimal("150000")), actor=manager)
    assert _used(manager, fund) == Decimal("200000.00")


def test_assistance_no_longer_fits_where_the_training_spent_the_budget(fund, manager, social_worker):
    # given 120,000 spent by the project: 30,000 remain
    training_services.project_create(data=_input(fund), actor=manager)
    # when / then
    with pytest.raises(ValidationError) as refused:
        case_services.assistance_record(
            household=HouseholdFactory(), kind="cash_grant", amount="30000.01", fund=fund,
            given_on=dt.date(2023, 3, 1), actor=social_worker,
        )  # fmt: skip
    assert list(refused.value.message_dict) == ["amount"]
    assert "170,000.00" in refused.value.message_dict["amount"][0]
    assert Assistance.objects.count() == 1


def test_a_project_moved_to_a_free_text_source_or_another_year_moves_its_spending(fund, manager):
    # given
    project = training_services.project_create(data=_input(fund), actor=manager)
    # when: paid by another year's budget, which the fund does not have
    with pytest.raises(ValidationError) as refused:
        training_services.project_update(project=project, data=_input(fund, fiscal_year=2567), actor=manager)
    assert list(refused.value.message_dict) == ["spent_amount"]
    assert FundSpending.objects.get().fiscal_year == YEAR
    # when: paid by a source outside the funds
    training_services.project_update(
        project=project, data=_input(fund, budget_fund="", budget_source="งบจังหวัด"), actor=manager
    )
    # then the fund gets its money back
    assert FundSpending.objects.count() == 0
    assert _used(manager, fund) == Decimal("50000.00")


def test_the_project_form_shows_the_refusal_beside_the_amount_spent(client, fund, manager):
    # given
    client.force_login(manager)
    # when
    response = client.post(
        reverse("volunteers:project_create"),
        {
            "title": "อบรม", "organiser": "ชมรม", "venue": "ห้องประชุม", "area_code": "92",
            "starts_on": "02/06/2566", "ends_on": "02/06/2566", "fiscal_year": "2566",
            "budget_fund": f"cases.fund:{fund.pk}", "planned_amount": "1", "spent_amount": "150000.01",
            "status": "planned",
        },
    )  # fmt: skip
    # then
    assert response.status_code == 200
    assert "เกินงบประมาณ" in response.content.decode()
    assert TrainingProject.objects.count() == 0
    assert FundSpending.objects.count() == 0
