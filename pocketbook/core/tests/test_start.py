"""Start pages: the home page sends each role to the page its day starts on; the rest see the overview."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from pocketbook.accounts.roles import HoldsRole, Role
from pocketbook.accounts.tests.factories import UserFactory
from pocketbook.core.start import StartPage, start_page_register, start_page_unregister, start_pages, start_url_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def extra_page():
    """A start page a test app registers, removed again afterwards."""
    registered: list[str] = []

    def register(page: StartPage) -> StartPage:
        start_page_register(page)
        registered.append(page.key)
        return page

    yield register
    for key in registered:
        start_page_unregister(key)


def test_the_apps_register_their_start_pages_in_order():
    assert [(page.key, page.url_name, page.order) for page in start_pages()] == [
        ("cases_my_tasks", "cases:my_tasks", 10),
        ("incidents_board", "incidents:board", 20),
        ("incidents_assignments", "incidents:assignment_list", 30),
        ("volunteers_my_visits", "volunteers:my_visits", 40),
        ("reports_dashboard", "reports:index", 50),
    ]


@pytest.mark.parametrize(
    ("role_fixture", "landing"),
    [
        ("social_worker", "/cases/tasks/"),
        ("volunteer", "/volunteers/visits/"),
        ("ess_operator", "/ess/"),
        ("responder", "/ess/assignments/"),
    ],
)
def test_each_field_role_lands_on_its_start_page(client, request, role_fixture, landing):
    # given a user of the role
    user = request.getfixturevalue(role_fixture)
    client.force_login(user)
    # when they open the home page
    response = client.get("/")
    # then they are sent to their start page, which opens
    assert response.status_code == 302
    assert response["Location"] == landing
    assert client.get(landing).status_code == 200


@pytest.mark.parametrize("role_fixture", ["manager", "analyst"])
def test_managers_and_analysts_land_on_the_reports_dashboard(client, request, role_fixture):
    # given a manager or an analyst
    client.force_login(request.getfixturevalue(role_fixture))
    # when they open the home page
    response = client.get("/")
    # then they are sent to the reports, which open on the households of their area
    assert response.status_code == 302
    assert response["Location"] == "/reports/"
    assert client.get("/reports/", follow=True).redirect_chain == [("/reports/households/", 302)]
    assert client.get("/reports/households/").status_code == 200


def test_an_administrator_without_a_start_page_sees_the_overview(client, administrator):
    # given an administrator (no start page applies to them)
    client.force_login(administrator)
    # when
    response = client.get("/")
    # then the home page itself: their roles and areas
    assert response.status_code == 200
    assert "บทบาทของคุณ" in response.content.decode()


def test_a_superuser_is_not_taken_for_a_social_worker(client, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", password="x")
    assert start_url_for(superuser) is None


def test_a_user_with_two_roles_lands_on_the_first_page_in_order(client, django_user_model):
    # given a volunteer who is also a social worker
    user = UserFactory(username="both", roles=[Role.VOLUNTEER, Role.SOCIAL_WORKER], areas=["920101"])
    # then My tasks (order 10) comes before My visits (order 40)
    assert start_url_for(user) == reverse("cases:my_tasks")


def test_a_manager_who_is_also_a_social_worker_starts_on_my_tasks(django_user_model):
    # given a manager who also carries a caseload
    user = UserFactory(username="mgr_sw", roles=[Role.MANAGER, Role.SOCIAL_WORKER], areas=["92"])
    # then My tasks (order 10) comes before the reports (order 50)
    assert start_url_for(user) == reverse("cases:my_tasks")


def test_the_overview_stays_reachable_from_the_account_menu(client, social_worker):
    client.force_login(social_worker)
    page = client.get(reverse("core:overview"))
    assert page.status_code == 200
    assert f'<a href="{reverse("core:overview")}" data-testid="overview">' in page.content.decode()


def test_a_registered_page_comes_in_its_order_and_an_unresolvable_one_is_skipped(extra_page, volunteer):
    # given a page that does not resolve first, then one for volunteers before My visits
    extra_page(StartPage("broken", "nowhere:page", HoldsRole((Role.VOLUNTEER,)), order=1))
    extra_page(StartPage("about", "core:about", HoldsRole((Role.VOLUNTEER,)), order=2))
    # then the volunteer starts on the second
    assert start_url_for(volunteer) == reverse("core:about")


def test_another_page_under_a_registered_key_is_refused_and_the_same_one_is_harmless():
    with pytest.raises(ImproperlyConfigured, match="cases_my_tasks"):
        start_page_register(StartPage("cases_my_tasks", "core:about", HoldsRole((Role.MANAGER,))))
    before = start_pages()
    for label in ("cases", "volunteers", "reports"):
        apps.get_app_config(label).ready()
    assert start_pages() == before
