"""The list pages offer their export buttons, each carrying the filters on screen, and the file follows them
(a search stays encrypted); an analyst is offered the dashboard's tables only."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from pocketbook.cases.services import case_open
from pocketbook.core import crypto
from pocketbook.households.tests.factories import HouseholdFactory, MemberFactory
from pocketbook.reports.export_models import ExportJob
from pocketbook.reports.tests.exporting import csv_rows, export_now
from pocketbook.volunteers.tests.factories import ProjectFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("exports_dir")]


def test_the_households_page_buttons_carry_its_search_and_the_export_follows_it(client, social_worker):
    # given
    wanted = MemberFactory(first_name="มานี").household
    MemberFactory(first_name="ปิติ")
    client.force_login(social_worker)
    token = crypto.encrypt("มานี")
    # when
    page = client.get(reverse("households:household_list") + "?s=" + token)
    job = export_now(social_worker, "households", s=token)
    # then
    html = page.content.decode()
    assert 'data-testid="export-households"' in html
    assert 'data-testid="export-members"' in html
    assert 'name="f_s"' in html
    assert "มานี" not in html.split('data-testid="export-households"')[1].split("</form>")[0]
    assert [int(row[0]) for row in csv_rows(job)[1:]] == [wanted.pk]


def test_the_case_list_buttons_carry_its_filters(client, social_worker):
    # given
    client.force_login(social_worker)
    # when
    page = client.get(reverse("cases:case_list") + "?status=closed&worker=&area=920101")
    # then
    html = page.content.decode()
    form = html.split('data-testid="export-cases"')[1].split("</form>")[0]
    assert 'name="f_status" value="closed"' in form
    assert 'name="f_area" value="920101"' in form
    assert 'name="f_worker" value=""' in form
    assert 'data-testid="export-referrals"' in html
    assert 'data-testid="export-assistance"' in html


def test_an_analyst_sees_only_the_dashboards_table_exports(client, analyst):
    # given
    client.force_login(analyst)
    # when
    page = client.get(reverse("reports:index"), follow=True)
    # then: the tables of aggregates, never a list of people
    offered = re.findall(r'<input type="hidden" name="list" value="([a-z_]+)">', page.content.decode())
    assert offered == ["households_dimensions", "households_indicators"]


def test_the_cases_export_follows_the_pages_village_and_its_encrypted_search(client, social_worker):
    # given three open cases: two in หมู่ 1, one of them about a named person, and one in หมู่ 2
    wanted = case_open(
        household=HouseholdFactory(area_code="92010101"), title="ช่วยนางสมศรี", actor=social_worker, worker=social_worker
    )
    case_open(household=HouseholdFactory(area_code="92010101"), title="ซ่อมบ้าน", actor=social_worker)
    case_open(household=HouseholdFactory(area_code="92010102"), title="ช่วยนางสมศรี", actor=social_worker)
    client.force_login(social_worker)
    # when the worker filters My cases by village and by a name, then presses CSV
    filters = {"status": "open", "worker": "", "village": "92010101", "q": "สมศรี"}
    page = client.post(reverse("cases:case_list"), filters, HTTP_HX_REQUEST="true")
    form = page.content.decode().split('data-testid="export-cases"')[1].split("</form>")[0]
    posted = dict(re.findall(r'name="(f_[a-z]+)" value="([^"]*)"', form))
    job = export_now(social_worker, "cases", **{name.removeprefix("f_"): value for name, value in posted.items()})
    # then the file holds what the screen showed, and the name travelled only encrypted
    assert [int(row[0]) for row in csv_rows(job)[1:]] == [wanted.pk]
    assert "สมศรี" not in form
    assert "สมศรี" not in json.dumps(ExportJob.objects.get(pk=job.pk).filters, ensure_ascii=False)


def test_the_board_the_registry_and_a_project_offer_their_exports(client, manager):
    # given
    project = ProjectFactory()
    client.force_login(manager)
    # when
    board = client.get(reverse("incidents:board")).content.decode()
    registry = client.get(reverse("volunteers:volunteer_list") + "?status=active").content.decode()
    project_page = client.get(reverse("volunteers:project_detail", args=[project.pk])).content.decode()
    # then
    assert 'name="f_state" value="open"' in board.split('data-testid="export-incidents"')[1].split("</form>")[0]
    assert 'name="f_status" value="active"' in registry.split('data-testid="export-volunteers"')[1].split("</form>")[0]
    participants_form = project_page.split('data-testid="export-participants"')[1].split("</form>")[0]
    assert f'name="f_project" value="{project.pk}"' in participants_form
