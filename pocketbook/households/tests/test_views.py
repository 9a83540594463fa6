import datetime as dt

import pytest
from django.urls import reverse

from pocketbook.audit.models import AccessLog
from pocketbook.households.models import Household, Member
from pocketbook.households.tests.factories import HouseholdFactory, MemberFactory, make_national_id

ID_A = make_national_id("110170020345")


@pytest.fixture
def household(volunteer):
    household = HouseholdFactory(area_code="92010101", house_no="7/1", volunteer=volunteer)
    MemberFactory(household=household, first_name="สมศักดิ์", last_name="รักดี", national_id=ID_A)
    return household


def login(client, user):
    client.force_login(user)
    return client


# ------------------------------------------------------------------ access


@pytest.mark.parametrize(
    "name,needs_pk",
    [
        ("household_list", False),
        ("household_detail", True),
        ("household_create", False),
        ("household_edit", True),
        ("consent_edit", True),
        ("member_create", True),
    ],
)
def test_anonymous_users_are_sent_to_login(client, household, name, needs_pk):
    url = reverse(f"households:{name}", args=[household.pk] if needs_pk else [])
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]


def test_analyst_may_not_open_households(client, analyst, household):
    login(client, analyst)
    assert client.get(reverse("households:household_list")).status_code == 403
    assert client.get(reverse("households:household_detail", args=[household.pk])).status_code == 404


def test_other_province_worker_sees_nothing_and_gets_404(client, other_province_worker, household):
    login(client, other_province_worker)
    response = client.get(reverse("households:household_list"))
    assert response.status_code == 200
    assert "สมศักดิ์" not in response.content.decode()
    for name in ("household_detail", "household_edit", "consent_edit", "member_create"):
        assert client.get(reverse(f"households:{name}", args=[household.pk])).status_code == 404
    member = household.members.get()
    for name in ("member_edit", "member_move", "member_end"):
        assert client.get(reverse(f"households:{name}", args=[member.pk])).status_code == 404


def test_other_province_worker_cannot_add_a_member(client, other_province_worker, household):
    login(client, other_province_worker)
    response = client.post(reverse("households:member_create", args=[household.pk]), {"sex": "F"})
    assert response.status_code == 404
    assert household.members.count() == 1


def test_volunteer_sees_the_caseload_with_head_names(client, volunteer, household):
    response = login(client, volunteer).get(reverse("households:household_list"))
    assert response.status_code == 200
    assert "สมศักดิ์ รักดี" in response.content.decode()


def test_search_by_national_id_finds_the_household_and_never_puts_the_id_in_a_url(client, volunteer, household):
    HouseholdFactory(area_code="92010101", house_no="99", volunteer=volunteer)
    # when the search form is posted, the answer is a redirect to an encrypted search token
    response = login(client, volunteer).post(reverse("households:household_list"), {"q": ID_A})
    assert response.status_code == 302
    assert ID_A not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert page.count('class="hh-card"') == 1
    # and the live search (htmx) answers the rows and pushes a URL without the ID
    live = client.post(reverse("households:household_list"), {"q": ID_A}, HTTP_HX_REQUEST="true")
    assert live.content.decode().count('class="hh-card"') == 1
    assert ID_A not in live["HX-Push-Url"]


def test_a_tampered_search_token_is_an_empty_search(client, volunteer, household):
    response = login(client, volunteer).get(reverse("households:household_list"), {"s": "not-a-token"})
    assert response.status_code == 200


def test_household_page_shows_masked_id_and_logs_the_read(client, social_worker, household):
    response = login(client, social_worker).get(reverse("households:household_detail", args=[household.pk]))
    page = response.content.decode()
    assert "x-xxxx-xxxxx-xx-" + ID_A[-1] in page
    assert ID_A not in page
    assert AccessLog.objects.filter(purpose="household page").count() == 1


def test_volunteer_cannot_unmask(client, volunteer, household):
    member = household.members.get()
    response = login(client, volunteer).post(reverse("households:national_id_reveal", args=[member.pk]))
    assert response.status_code == 403
    assert AccessLog.objects.filter(purpose="national ID unmasked").count() == 0


def test_social_worker_unmasks_and_it_is_logged(client, social_worker, household):
    member = household.members.get()
    response = login(client, social_worker).post(reverse("households:national_id_reveal", args=[member.pk]))
    assert response.status_code == 200
    assert ID_A[:1] + "-" + ID_A[1:5] in response.content.decode()
    assert AccessLog.objects.filter(purpose="national ID unmasked", object_id=str(member.pk)).count() == 1


# ------------------------------------------------------------------ forms


def test_register_a_household_with_consent(client, volunteer):
    response = login(client, volunteer).post(
        reverse("households:household_create"),
        {
            "h-area_code": "92010101",
            "h-house_no": "5",
            "h-phone": "081-234-5678",
            "h-status": "active",
            "c-consent_given": "yes",
            "c-given_by_name": "นางมาลี",
            "c-purposes": ["pocketbook"],
        },
    )
    household = Household.objects.get()
    assert response.status_code == 302
    assert (household.house_no, household.phone, household.has_consent, household.volunteer) == (
        "5",
        "0812345678",
        True,
        volunteer,
    )


def test_register_a_household_in_an_unknown_area_shows_the_error_beside_the_field(client, volunteer):
    response = login(client, volunteer).post(
        reverse("households:household_create"),
        {"h-area_code": "92019999", "h-status": "active", "c-consent_given": "no"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"area_code": ["ไม่มีพื้นที่รหัส 92019999 กรุณาเลือกพื้นที่จากรายการ"]}
    assert Household.objects.count() == 0


def member_post(**overrides):
    data = {
        "title": "นาง",
        "first_name": "มาลี",
        "last_name": "รักดี",
        "sex": "F",
        "birth_date": "1/2/2525",
        "relation": "spouse",
        "national_id": "",
        "no_id_reason": "lost_documents",
        "monthly_income": "5000",
    }
    data.update(overrides)
    return data


def test_add_a_member_with_a_be_birth_date(client, volunteer, household):
    response = login(client, volunteer).post(reverse("households:member_create", args=[household.pk]), member_post())
    assert response.status_code == 302
    assert Member.objects.get(first_name="มาลี").birth_date == dt.date(1982, 2, 1)


@pytest.mark.parametrize(
    "overrides,field,field_error",
    [
        ({"national_id": ID_A[:-1] + str((int(ID_A[-1]) + 1) % 10)}, "national_id", "check digit"),
        ({"monthly_income": "-100"}, "monthly_income", "Income cannot be negative."),
        ({"birth_date": "1/1/2600"}, "birth_date", "is in the future"),
        ({"relation": "child", "birth_date": "1/1/1950"}, "relation", "at least 12 years younger"),
    ],
)
def test_bad_member_input_is_shown_and_nothing_is_saved(
    client, volunteer, household, overrides, field, field_error, settings
):
    settings.LANGUAGE_CODE = "en"
    client.cookies["pocketbook_language"] = "en"
    response = login(client, volunteer).post(
        reverse("households:member_create", args=[household.pk]), member_post(**overrides)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert field_error in " ".join(errors[field])
    assert household.members.count() == 1


def test_move_a_member_from_the_page(client, volunteer, household):
    target = HouseholdFactory(area_code="92010102", house_no="8")
    member = household.members.get()
    login(client, volunteer)
    response = client.post(
        reverse("households:member_move", args=[member.pk]), {"to_household": target.pk, "reason": "ย้ายไปอยู่กับลูก"}
    )
    assert response.status_code == 302
    assert target.members.get().national_id_hash == member.national_id_hash


def test_withdraw_consent_from_the_page(client, volunteer, household):
    from pocketbook.households import services
    from pocketbook.households.services import ConsentInput

    services.consent_record(household=household, consent=ConsentInput("นายสมศักดิ์", ["pocketbook"]), actor=volunteer)
    login(client, volunteer).post(
        reverse("households:consent_edit", args=[household.pk]), {"action": "withdraw", "w-confirm": "on"}
    )
    household.refresh_from_db()
    assert household.has_consent is False
    assert household.members.get().first_name == ""


def test_the_household_list_costs_the_same_whatever_the_areas_on_the_page(
    client, manager, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pocketbook.geo.models import Village
    from pocketbook.households.tests.factories import HouseholdFactory

    Village.objects.bulk_create(
        [Village(code=f"920101{n:02d}", subdistrict_id="920101", number=n, name=f"v{n}") for n in range(40, 60)]
    )
    client.force_login(manager)
    HouseholdFactory(area_code="92010140")
    with CaptureQueriesContext(connection) as one_area:
        assert client.get("/households/").status_code == 200
    for n in range(41, 60):
        HouseholdFactory(area_code=f"920101{n:02d}")
    with CaptureQueriesContext(connection) as many_areas:
        assert client.get("/households/").status_code == 200
    assert len(many_areas) == len(one_area)


def test_a_page_number_past_any_caseload_is_an_empty_page_not_a_500(client, manager):
    client.force_login(manager)
    assert client.get("/households/", {"page": "99999999999999999999999"}).status_code == 200


def test_the_move_search_is_posted_and_a_search_in_the_url_is_ignored(client, volunteer, household):
    # given
    HouseholdFactory(area_code="92010102", house_no="8/88")
    member = household.members.get()
    login(client, volunteer)
    url = reverse("households:member_move", args=[member.pk])
    # when
    page = client.get(url).content.decode()
    from_url = client.get(url, {"q": "8/88"}).content.decode()
    posted = client.post(url, {"q": "8/88", "find": "1"})
    # then: the page's search form posts; a query string finds nothing; a posted search lists the house
    assert '<form method="post" role="search">' in page and 'method="get"' not in page
    assert "8/88" not in from_url
    assert posted.status_code == 200
    assert "8/88" in posted.content.decode()
    assert member.is_active and household.members.filter(pk=member.pk, status=member.status).exists()
