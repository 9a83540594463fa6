"""Who may see and do what: anonymous, wrong role, wrong area, right area; refusals write nothing."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from pocketbook.audit.models import ObjectChange
from pocketbook.cases import services
from pocketbook.cases.models import Case, CaseEvent, FollowUp, PlanItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(household, social_worker):
    return services.case_open(household=household, title="ดูแล", actor=social_worker)


def pages(case):
    return [
        reverse("cases:my_tasks"),
        reverse("cases:case_list"),
        reverse("cases:case_detail", args=[case.pk]),
        reverse("cases:case_open", args=[case.household_id]),
        reverse("cases:referral_create", args=[case.pk]),
        reverse("cases:assistance_record", args=[case.pk]),
        reverse("cases:agency_list"),
        reverse("cases:fund_list"),
    ]


def test_anonymous_is_sent_to_sign_in(client, case):
    for url in pages(case):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url
    assert client.get("/api/v1/cases").status_code == 401


def test_analyst_sees_none_of_it(client, case, analyst):
    client.force_login(analyst)
    for url in pages(case):
        assert client.get(url).status_code in (403, 404), url
    assert client.get("/api/v1/cases").status_code == 403
    assert client.get(f"/api/v1/cases/{case.pk}").status_code == 404


def test_other_province_gets_404_for_the_case_and_an_empty_list(client, case, other_province_worker):
    client.force_login(other_province_worker)
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("cases:case_open", args=[case.household_id])).status_code == 404
    assert client.get("/api/v1/cases?worker=").json() == []
    assert client.get(f"/api/v1/cases/{case.pk}").status_code == 404


def test_refused_writes_write_nothing(client, case, analyst, other_province_worker, volunteer):
    before = (ObjectChange.objects.count(), CaseEvent.objects.count(), PlanItem.objects.count())
    for user in (analyst, other_province_worker, volunteer):
        client.force_login(user)
        client.post(reverse("cases:case_close", args=[case.pk]), {"status": "helped"})
        client.post(reverse("cases:plan_item_add", args=[case.pk]), {"action": "x"})
        client.post(
            "/api/v1/cases",
            data=json.dumps({"household_id": case.household_id, "title": "x"}),
            content_type="application/json",
        )
    case.refresh_from_db()
    assert case.status == "open"
    assert (ObjectChange.objects.count(), CaseEvent.objects.count(), PlanItem.objects.count()) == before
    assert Case.objects.count() == 1


def test_volunteer_sees_own_households_case_and_plan_but_not_amounts(client, case, volunteer, social_worker, fund):
    from django.utils import timezone

    services.assistance_record(
        household=case.household,
        case=case,
        kind="goods",
        amount="1234.56",
        fund=fund,
        given_on=timezone.localdate(),
        actor=social_worker,
    )
    client.force_login(volunteer)
    page = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert page.status_code == 200
    assert "1,234.56" not in page.content.decode() and "1234.56" not in page.content.decode()
    # and may record a follow-up of their household's case
    response = client.post(
        reverse("cases:followup_record", args=[case.pk]),
        {
            "visited_on": f"{timezone.localdate().day}/{timezone.localdate().month}/{timezone.localdate().year + 543}",
            "note": "เยี่ยมแล้ว",
        },
    )
    assert response.status_code == 302
    assert FollowUp.objects.count() == 1


def test_right_area_social_worker_and_manager_see_the_case(client, case, social_worker, manager):
    for user in (social_worker, manager):
        client.force_login(user)
        assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 200
        assert client.get(f"/api/v1/cases/{case.pk}").json()["id"] == case.pk


def test_reply_page_needs_no_login_but_a_valid_token(client):
    assert client.get(reverse("cases:referral_reply", args=["nonsense"])).status_code == 404
