"""A training project paid by a fund of the funding sources registry (cases' funds), or by a free-text source."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pocketbook.core.funding import (
    FundingProvider,
    FundingSource,
    funding_provider_register,
    funding_provider_unregister,
    funding_providers,
)
from pocketbook.volunteers import training_services
from pocketbook.volunteers.forms import ProjectForm
from pocketbook.volunteers.models import TrainingProject
from pocketbook.volunteers.tests.factories import project_input as _input

pytestmark = pytest.mark.django_db

TRANG_FUND = FundingSource("trainfunds.fund:1", "กองทุนส่งเสริมการจัดสวัสดิการสังคมจังหวัดตรัง")


def _choices(*, viewer):
    return [TRANG_FUND] if viewer.has_perm("volunteers.add_trainingproject") else []


def _get(*, viewer, reference):
    return next((s for s in _choices(viewer=viewer) if s.reference == reference), None)


@pytest.fixture
def funds():
    """A provider standing for the cases app's funds: only training staff may choose the Trang fund."""
    provider = FundingProvider("trainfunds", _choices, _get, lambda *, name: None)
    funding_provider_register(provider)
    yield provider
    funding_provider_unregister("trainfunds")


def test_a_project_paid_by_a_fund_keeps_its_reference_and_name(funds, manager):
    # when
    project = training_services.project_create(data=_input(budget_fund="trainfunds.fund:1"), actor=manager)
    # then
    assert (project.budget_fund, project.budget_source) == (
        "trainfunds.fund:1",
        "กองทุนส่งเสริมการจัดสวัสดิการสังคมจังหวัดตรัง",
    )


def test_a_fund_the_actor_may_not_choose_is_refused_and_nothing_is_stored(funds, manager):
    # when / then
    with pytest.raises(ValidationError) as refused:
        training_services.project_create(data=_input(budget_fund="trainfunds.fund:999"), actor=manager)
    assert refused.value.message_dict == {"budget_fund": ["Choose a fund from the list."]}
    assert TrainingProject.objects.count() == 0


def test_the_form_offers_the_viewers_funds_and_keeps_the_free_text(funds, manager):
    # when
    form = ProjectForm(viewer=manager)
    # then
    assert list(form.fields["budget_fund"].choices)[1:] == [
        ("trainfunds.fund:1", "กองทุนส่งเสริมการจัดสวัสดิการสังคมจังหวัดตรัง")
    ]
    assert "budget_source" in form.fields


def test_without_a_provider_the_budget_source_is_free_text(manager, client):
    # given: only the providers of installed apps; remove cases' for this test
    registered = funding_providers()
    for provider in registered:
        funding_provider_unregister(provider.key)
    try:
        # when
        form = ProjectForm(viewer=manager)
        project = training_services.project_create(data=_input(budget_source="งบประมาณจังหวัด"), actor=manager)
        client.force_login(manager)
        page = client.get(reverse("volunteers:project_create")).content.decode()
    finally:
        for provider in registered:
            funding_provider_register(provider)
    # then
    assert "budget_fund" not in form.fields
    assert (project.budget_fund, project.budget_source) == ("", "งบประมาณจังหวัด")
    assert 'name="budget_fund"' not in page and 'name="budget_source"' in page


FORM_DATA = {
    "title": "การพัฒนาศักยภาพอาสาสมัคร",
    "organiser": "ชมรมอาสาสมัคร",
    "venue": "ห้องประชุม",
    "area_code": "92",
    "starts_on": "2/6/2566",
    "ends_on": "2/6/2566",
    "fiscal_year": "2566",
    "budget_source": "งบประมาณจังหวัด",
    "status": "planned",
}


@pytest.mark.parametrize(
    ("typed", "read"),
    [("5,000", Decimal("5000")), ("๕๐๐๐", Decimal("5000")), ("5000.50", Decimal("5000.50")), ("", None)],
)
def test_the_training_budget_is_read_as_thai_users_write_it(manager, typed, read):
    # when the budget is typed with thousands commas or Thai digits
    form = ProjectForm({**FORM_DATA, "planned_amount": typed, "spent_amount": typed}, viewer=manager)
    # then it is the number meant
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["planned_amount"], form.cleaned_data["spent_amount"]) == (read, read)


def test_a_training_budget_that_is_not_a_number_is_refused_clearly(manager):
    form = ProjectForm({**FORM_DATA, "planned_amount": "ห้าพัน", "spent_amount": "-5"}, viewer=manager)
    assert form.errors["planned_amount"] == ["Write a number in digits, for example 5000 or 5,000."]
    assert form.errors["spent_amount"] == ["Ensure this value is greater than or equal to 0."]


def test_the_api_reads_the_training_budget_as_thai_users_write_it(client, manager):
    client.force_login(manager)
    body = {k: v for k, v in _input().__dict__.items() if v is not None} | {"planned_amount": "๑๒๐,๐๐๐"}
    response = client.post("/api/v1/training-projects", json.dumps(body, default=str), content_type="application/json")
    assert response.status_code == 201, response.content
    assert TrainingProject.objects.get().planned_amount == Decimal("120000")
    bad = client.post(
        "/api/v1/training-projects",
        json.dumps(body | {"planned_amount": "NaN"}, default=str),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"] == [
        {"path": "body.payload.planned_amount", "message": "กรอกเป็นตัวเลข เช่น 5000 หรือ 5,000"}
    ]
    assert TrainingProject.objects.count() == 1
