"""Who may open the reports pages and API: anonymous, wrong role, wrong area, right area; analysts see no person."""

from __future__ import annotations

import datetime as dt

import pytest

from pocketbook.assessments import services as assessment_services
from pocketbook.assessments.tests.factories import answers_for, couple_household
from pocketbook.reports.household_counts import rebuild_households, rebuild_poverty
from pocketbook.reports.models import Tally

pytestmark = pytest.mark.django_db

PAGES = ["/reports/households/", "/reports/poverty/"]
API = "/api/v1/reports/poverty"


@pytest.fixture
def assessed(volunteer):
    """Three households of one subdistrict with names and addresses, two failing the living dimension."""
    homes = []
    for number in range(3):
        home, head, spouse = couple_household(area_code="920101", house_no=f"77/{number}", address="ถนนพิเศษสุข")
        answers = answers_for(head, spouse, household={"tidy_house": number == 2})
        assessment_services.assessment_submit(
            household=home, assessed_on=dt.date(2026, 10, 1), answers=answers, actor=volunteer
        )
        homes.append(home)
    rebuild_households()
    rebuild_poverty()
    return homes


@pytest.mark.parametrize("url", [*PAGES, "/reports/"])
def test_anonymous_is_sent_to_sign_in(client, url):
    # given / when
    response = client.get(url)
    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_anonymous_api_caller_is_refused(client):
    # given / when / then
    assert client.get(API).status_code == 401


@pytest.mark.parametrize("url", [*PAGES, "/reports/", API])
def test_a_role_without_reports_is_refused_and_nothing_is_written(client, volunteer, assessed, url):
    # given
    client.force_login(volunteer)
    before = Tally.objects.count()
    # when
    response = client.get(url)
    # then
    assert response.status_code == 403
    assert Tally.objects.count() == before


@pytest.mark.parametrize("url", [*PAGES, API])
def test_an_area_outside_the_scope_is_not_found(client, other_province_worker, assessed, url):
    # given
    client.force_login(other_province_worker)
    # when
    response = client.get(url + "?area=92")
    # then
    assert response.status_code == 404


def test_a_manager_sees_the_province_with_the_real_small_counts(client, manager, assessed):
    # given
    client.force_login(manager)
    # when
    page = client.get("/reports/households/").content.decode()
    api = client.get(API + "?area=9201&k=1").json()
    # then
    assert 'data-testid="figure-assessed">3<' in page
    assert api["area"] == "9201"
    assert (api["households"], api["poor"], api["H"]) == (3, 2, pytest.approx(2 / 3))
    assert api["children"] == [
        {
            "area": "920101",
            "households": 3,
            "poor": 2,
            "H": pytest.approx(2 / 3),
            "A": 0.2,
            "M0": pytest.approx(0.2 * 2 / 3),
        }
    ]


@pytest.mark.parametrize("url", [*PAGES, *(page + "?area=920101" for page in PAGES)])
def test_an_analyst_sees_aggregates_with_small_cells_suppressed_and_no_person(client, analyst, assessed, url):
    # given
    client.force_login(analyst)
    # when
    response = client.get(url)
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "&lt; 5" in page
    for personal in ("สมชาย", "สมหญิง", "77/0", "ถนนพิเศษสุข", f"/households/{assessed[0].pk}"):
        assert personal not in page


def test_an_analyst_gets_suppressed_figures_from_the_api(client, analyst, assessed):
    # given
    client.force_login(analyst)
    # when
    body = client.get(API + "?area=920101&k=1&weights=dimensions").json()
    # then
    assert (body["households"], body["poor"], body["H"], body["A"], body["M0"]) == ("< 5", "< 5", None, None, None)
    assert all(value == {"censored_headcount": None, "contribution": None} for value in body["contributions"].values())


@pytest.mark.parametrize("query", ["k=0", "k=6", "k=x", "weights=people", "area=92x"])
def test_bad_api_input_answers_422_or_404_never_500(client, manager, query):
    # given
    client.force_login(manager)
    # when
    response = client.get(f"{API}?{query}")
    # then
    assert response.status_code == (404 if query.startswith("area") else 422)


def test_a_bad_k_on_the_page_falls_back_with_a_message(client, manager, assessed):
    # given
    client.force_login(manager)
    # when
    response = client.get("/reports/poverty/?k=9&weights=x")
    # then
    assert response.status_code == 200
    assert response.context["k"] == 1
    assert response.context["weights"] == "dimensions"
    assert len(list(response.context["messages"])) == 1
