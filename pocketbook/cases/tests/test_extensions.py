"""Cases plugs into the lower apps' registries: household section and timeline, menu, assessments, incidents."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pocketbook.assessments import services as assessment_services
from pocketbook.assessments.tests.factories import VISIT, answers_for
from pocketbook.cases import services
from pocketbook.cases.models import Case, Need
from pocketbook.core.menu import menu_for
from pocketbook.households.models import Member
from pocketbook.incidents.extensions import incident_actions_for
from pocketbook.incidents.tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db


def test_submitting_an_assessment_suggests_a_need_per_failed_indicator(household, volunteer):
    head = Member.objects.get(household=household)
    answers = answers_for(head, household={"hygienic_food": False, "tidy_house": False})
    assessment = assessment_services.assessment_submit(
        household=household, assessed_on=VISIT, answers=answers, actor=volunteer
    )
    failed = sorted(code for code, result in assessment.indicator_results.items() if result["status"] == "fail")
    assert sorted(Need.objects.filter(household=household).values_list("indicator_code", flat=True)) == failed
    assert "bmn-04" in failed


def test_the_household_page_shows_the_cases_section(client, household, social_worker, volunteer, analyst):
    case = services.case_open(household=household, title="ดูแลผู้สูงอายุ", actor=social_worker)
    for user in (social_worker, volunteer):
        client.force_login(user)
        page = client.get(reverse("households:household_detail", args=[household.pk])).content.decode()
        assert 'data-testid="cases-section"' in page and f"/cases/{case.pk}/" in page
    history = client.get(reverse("households:household_detail", args=[household.pk])).content.decode()
    assert "เปิดเคส" in history


def test_menu_shows_my_tasks_with_the_overdue_count(household, social_worker, analyst):
    case = services.case_open(household=household, title="x", actor=social_worker)
    Case.objects.filter(pk=case.pk).update(attention_on="2020-01-01")
    entries = {entry["name"]: entry for entry in menu_for(social_worker)}
    assert entries["cases:my_tasks"]["count"] == 1
    assert {"cases:case_list", "cases:agency_list", "cases:fund_list"} <= set(entries)
    assert not {name for name in (entry["name"] for entry in menu_for(analyst)) if name.startswith("cases:")}


def test_the_incident_page_offers_open_a_case_when_it_names_a_household(household, manager, ess_operator):
    incident = IncidentFactory(household=household)
    actions = incident_actions_for(viewer=manager, incident=incident)
    assert [a["url"] for a in actions if a["key"] == "cases_open"] == [
        reverse("cases:case_open", args=[household.pk]) + f"?incident={incident.pk}"
    ]
    assert not [a for a in incident_actions_for(viewer=ess_operator, incident=incident) if a["key"] == "cases_open"]
    assert not [
        a for a in incident_actions_for(viewer=manager, incident=IncidentFactory()) if a["key"] == "cases_open"
    ]


def test_open_a_case_from_an_incident(client, household, manager):
    incident = IncidentFactory(household=household)
    client.force_login(manager)
    url = reverse("cases:case_open", args=[household.pk]) + f"?incident={incident.pk}"
    assert incident.number in client.get(url).content.decode()
    response = client.post(url, {"title": "เหตุทะเลาะวิวาท", "incident": incident.pk})
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.incident == incident
    need = Need.objects.get(case=case)
    assert (need.source, need.incident, need.status) == ("incident", incident, "accepted")
    assert need.description.endswith("มีคนทะเลาะวิวาท")
