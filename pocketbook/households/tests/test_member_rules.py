"""The member's rules, declared once on the model, hold the same in the form and in the API.

Names need Thai or Latin letters; amounts read "5,000" and Thai digits; NaN, infinities and overlong
numbers are refused naming the field; the title is chosen from a list or written; grandchild is a
relation; the relation is not preset to head once the household has one; consent is never preset.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from pocketbook.households.forms import ConsentForm, MemberForm
from pocketbook.households.inputs import MemberInput
from pocketbook.households.models import MEMBER_INPUT_FIELDS, Household, Member
from pocketbook.households.tests.factories import HouseholdFactory, MemberFactory

NAME_MESSAGE = "Write the name in Thai or Latin letters."
SYMBOLS_MESSAGE = "A name holds letters, spaces, dots and hyphens only: no emoji, digits or symbols."
NUMBER_MESSAGE = "Write a number in digits, for example 5000 or 5,000."


def test_the_services_input_holds_the_members_input_fields_and_the_typed_id():
    # MemberInput and MEMBER_INPUT_FIELDS both name the member's fields: they must name the same ones
    assert {field.name for field in dataclasses.fields(MemberInput)} == {*MEMBER_INPUT_FIELDS, "national_id"}
    # and the member's own fields are all on the model (the ID is kept encrypted, not as typed)
    assert all(Member._meta.get_field(name) for name in MEMBER_INPUT_FIELDS)


@pytest.fixture
def household(volunteer):
    household = HouseholdFactory(area_code="92010101", house_no="7/1", volunteer=volunteer, has_consent=True)
    MemberFactory(household=household, first_name="สมศักดิ์", last_name="รักดี", relation="head")
    return household


def api_post(client, user, path, body, method="post"):
    client.force_login(user)
    return getattr(client, method)(
        f"/api/v1{path}", data=json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )


def member_body(**overrides):
    body = {
        "sex": "F",
        "birth_date": "1972-04-01",
        "relation": "spouse",
        "first_name": "มาลี",
        "last_name": "รักดี",
        "no_id_reason": "lost_documents",
    }
    body.update(overrides)
    return body


def field_errors(response):
    return {f["path"]: f["message"] for f in response.json()["error"]["fields"]}


# ------------------------------------------------------------------ API


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("5,000", Decimal("5000")),
        ("๕๐๐๐", Decimal("5000")),
        (5000, Decimal("5000")),
        ("1,250,000.50", Decimal("1250000.50")),
    ],
)
def test_the_api_reads_thousands_commas_and_thai_digits_as_the_amount(client, volunteer, household, typed, stored):
    response = api_post(client, volunteer, f"/households/{household.pk}/members", member_body(monthly_income=typed))

    assert response.status_code == 201
    assert Member.objects.get(first_name="มาลี").monthly_income == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("NaN", NUMBER_MESSAGE),
        ("sNaN", NUMBER_MESSAGE),
        ("-NaN", NUMBER_MESSAGE),
        ("Infinity", NUMBER_MESSAGE),
        ("-inf", NUMBER_MESSAGE),
        ("1e999999", NUMBER_MESSAGE),
        ("9" * 40, "This number is too long. Check it."),
        ("1.001", "Use at most 2 decimal places."),
        ("5,00", NUMBER_MESSAGE),
        (True, NUMBER_MESSAGE),
    ],
)
def test_the_api_refuses_numbers_that_are_not_amounts_naming_the_field(client, volunteer, household, typed, message):
    response = api_post(client, volunteer, f"/households/{household.pk}/members", member_body(monthly_income=typed))

    assert response.status_code == 422
    assert field_errors(response) == {"body.payload.monthly_income": message}
    assert household.members.count() == 1


def test_the_api_refuses_an_income_above_the_monthly_line(client, volunteer, household):
    response = api_post(
        client, volunteer, f"/households/{household.pk}/members", member_body(monthly_income="10,000,000.01")
    )

    assert response.status_code == 422
    assert field_errors(response) == {"body.monthly_income": "This income is too large for a month; check the number."}
    assert household.members.count() == 1


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("😀😀", NAME_MESSAGE),
        ("!!!", NAME_MESSAGE),
        ("๑๒๓", NAME_MESSAGE),
        ("มาลี😀", SYMBOLS_MESSAGE),
        ("Ma1ee", SYMBOLS_MESSAGE),
    ],
)
def test_the_api_refuses_names_without_letters_or_with_symbols(client, volunteer, household, name, message):
    response = api_post(client, volunteer, f"/households/{household.pk}/members", member_body(first_name=name))

    assert response.status_code == 422
    assert field_errors(response) == {"body.first_name": message}
    assert household.members.count() == 1


@pytest.mark.parametrize("name", ["มาลี", "Marie-Claire", "ณัฐวุฒิ", "O'Neil", "Đặng"])
def test_real_names_pass(client, volunteer, household, name):
    response = api_post(client, volunteer, f"/households/{household.pk}/members", member_body(first_name=name))

    assert response.status_code == 201


def test_a_name_over_100_letters_is_refused_naming_the_field(client, volunteer, household):
    client.force_login(volunteer)

    response = client.post(
        f"/api/v1/households/{household.pk}/members",
        data=json.dumps(member_body(last_name="ก" * 101)),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="th",
    )

    assert response.status_code == 422
    assert field_errors(response) == {"body.payload.last_name": "ใช้ได้ไม่เกิน 100 ตัวอักษร"}
    assert household.members.count() == 1


def test_patch_changes_only_what_is_sent_and_null_clears_the_income(client, volunteer, household):
    member = MemberFactory(
        household=household,
        relation="child",
        birth_date=dt.date(2005, 1, 1),
        monthly_income=Decimal("3000"),
        occupation="ประมง",
    )

    response = api_post(client, volunteer, f"/members/{member.pk}", {"monthly_income": None}, method="patch")

    assert response.status_code == 200
    member.refresh_from_db()
    assert (member.monthly_income, member.occupation, member.relation) == (None, "ประมง", "child")
    response = api_post(
        client,
        volunteer,
        f"/members/{member.pk}",
        {"relation": "grandchild", "monthly_income": "๕,๐๐๐"},
        method="patch",
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert (member.monthly_income, member.relation) == (Decimal("5000"), "grandchild")


def test_patch_refuses_a_nan_income_and_keeps_the_old_one(client, volunteer, household):
    member = household.members.get()
    member.monthly_income = Decimal("3000")
    member.save()

    response = api_post(client, volunteer, f"/members/{member.pk}", {"monthly_income": "NaN"}, method="patch")

    assert response.status_code == 422
    assert field_errors(response) == {"body.payload.monthly_income": NUMBER_MESSAGE}
    member.refresh_from_db()
    assert member.monthly_income == Decimal("3000")


def test_a_heads_date_of_birth_that_contradicts_a_child_is_refused_on_the_date_naming_the_child(
    client, volunteer, household
):
    # given: the head (born 1980) and a child born 2005
    head = household.members.get()
    head.birth_date = dt.date(1980, 1, 1)
    head.save()
    MemberFactory(household=household, relation="child", birth_date=dt.date(2005, 1, 7))

    # when: the head's date of birth is changed to less than 12 years before the child's
    response = api_post(client, volunteer, f"/members/{head.pk}", {"birth_date": "1995-01-01"}, method="patch")

    # then: the error sits on the date that was changed and says which is the child
    assert response.status_code == 422
    assert field_errors(response) == {
        "body.birth_date": "The head should be at least 12 years older than each of their children (the head born "
        "1 January 1995, a child born 7 January 2005). Check the head's date of birth or the child's relation."
    }
    head.refresh_from_db()
    assert head.birth_date == dt.date(1980, 1, 1)


@pytest.mark.parametrize("body", [5, None, [], "x", [1, 2], True])
def test_household_search_refuses_a_body_that_is_not_an_object(client, volunteer, household, body):
    response = api_post(client, volunteer, "/households/search", body)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert [f["path"] for f in response.json()["error"]["fields"]] == ["body.filters"]


def test_household_search_with_an_object_still_filters(client, volunteer, household):
    response = api_post(client, volunteer, "/households/search", {"q": "7/1"})

    assert response.status_code == 200
    assert [h["id"] for h in response.json()] == [household.pk]


# ------------------------------------------------------------------ form


def member_post(**overrides):
    data = {
        "title_choice": "นาง",
        "first_name": "มาลี",
        "last_name": "รักดี",
        "sex": "F",
        "birth_date": "1/2/2525",
        "relation": "spouse",
        "no_id_reason": "lost_documents",
        "monthly_income": "5000",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("typed", "stored"), [("5,000", Decimal("5000")), ("๕๐๐๐", Decimal("5000")), ("๕,๐๐๐.๕๐", Decimal("5000.50"))]
)
def test_the_form_reads_thousands_commas_and_thai_digits(client, volunteer, household, typed, stored):
    client.force_login(volunteer)

    response = client.post(reverse("households:member_create", args=[household.pk]), member_post(monthly_income=typed))

    assert response.status_code == 302
    assert Member.objects.get(first_name="มาลี").monthly_income == stored


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"monthly_income": "NaN"}, "monthly_income", "กรอกเป็นตัวเลข เช่น 5000 หรือ 5,000"),
        ({"monthly_income": "Infinity"}, "monthly_income", "กรอกเป็นตัวเลข เช่น 5000 หรือ 5,000"),
        ({"monthly_income": "9" * 30}, "monthly_income", "ตัวเลขยาวเกินไป กรุณาตรวจสอบ"),
        ({"first_name": "😀😀😀"}, "first_name", "เขียนชื่อด้วยตัวอักษรไทยหรือละติน"),
        ({"last_name": "ก" * 101}, "last_name", "ยาวได้ไม่เกิน 100 ตัวอักษร (ตอนนี้มี 101 ตัวอักษร)"),
        ({"title_choice": "other", "title": ""}, "title", "เขียนคำนำหน้า หรือเลือกจากรายการ"),
    ],
)
def test_the_form_refuses_bad_input_beside_the_field_in_thai(client, volunteer, household, overrides, field, message):
    client.force_login(volunteer)

    response = client.post(reverse("households:member_create", args=[household.pk]), member_post(**overrides))

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert household.members.count() == 1


@pytest.mark.parametrize(
    ("overrides", "title"),
    [({"title_choice": "เด็กหญิง"}, "เด็กหญิง"), ({"title_choice": "other", "title": "ร.ต.ท."}, "ร.ต.ท.")],
)
def test_the_title_is_chosen_or_written(client, volunteer, household, overrides, title):
    client.force_login(volunteer)

    response = client.post(reverse("households:member_create", args=[household.pk]), member_post(**overrides))

    assert response.status_code == 302
    assert Member.objects.get(first_name="มาลี").title == title


def test_the_title_list_offers_the_usual_thai_titles_and_another():
    with translation.override("th"):
        choices = [str(label) for _value, label in MemberForm().fields["title_choice"].choices]

    assert choices == ["—", "นาย", "นาง", "นางสาว", "เด็กชาย", "เด็กหญิง", "คำนำหน้าอื่น (เขียนในช่องถัดไป)"]


def test_editing_a_member_shows_the_title_in_the_list_or_as_written():
    assert MemberForm(initial={"title": "นาย"}, editing=True).initial["title_choice"] == "นาย"
    other = MemberForm(initial={"title": "ร.ต.ท."}, editing=True)
    assert (other.initial["title_choice"], other.initial["title"]) == ("other", "ร.ต.ท.")


def test_grandchild_is_a_relation(client, volunteer, household):
    client.force_login(volunteer)

    response = client.post(
        reverse("households:member_create", args=[household.pk]),
        member_post(relation="grandchild", birth_date="1/2/2560", title_choice="เด็กหญิง"),
    )

    assert response.status_code == 302
    assert Member.objects.get(first_name="มาลี").relation == "grandchild"


def test_the_relation_is_preset_to_head_only_while_the_household_has_none(client, volunteer, household):
    client.force_login(volunteer)
    empty = HouseholdFactory(area_code="92010101", volunteer=volunteer, has_consent=True)

    with_head = client.get(reverse("households:member_create", args=[household.pk])).context["form"]
    without_head = client.get(reverse("households:member_create", args=[empty.pk])).context["form"]

    assert with_head["relation"].value() is None
    assert 'value="head" selected' not in str(with_head["relation"])
    assert without_head["relation"].value() == "head"


def test_consent_is_never_preset():
    form = ConsentForm()

    html = str(form["consent_given"]) + str(form["purposes"])
    assert "checked" not in html


def test_consent_must_be_answered(client, volunteer):
    client.force_login(volunteer)

    response = client.post(reverse("households:household_create"), {"h-area_code": "92010101", "h-status": "active"})

    assert response.status_code == 200
    assert response.context["consent_form"].errors == {"consent_given": ["โปรดระบุว่าครัวเรือนยินยอมหรือไม่ โดยเลือกหนึ่งคำตอบ"]}
    assert Household.objects.count() == 0


# ------------------------------------------------------------------ exact thresholds


@pytest.mark.parametrize(
    ("child_born", "refused"),
    [(dt.date(1992, 5, 16), True), (dt.date(1992, 5, 17), False), (dt.date(1992, 5, 18), False)],
)
def test_a_child_is_at_least_twelve_years_younger_than_the_head_to_the_day(child_born, refused):
    from pocketbook.households import rules

    problem = rules.relation_problem(relation="child", birth_date=child_born, others=[("head", dt.date(1980, 5, 17))])

    assert (problem is not None) is refused


@pytest.mark.parametrize(
    ("parent_born", "refused"),
    [(dt.date(1968, 5, 16), False), (dt.date(1968, 5, 17), False), (dt.date(1968, 5, 18), True)],
)
def test_a_parent_is_at_least_twelve_years_older_than_the_head_to_the_day(parent_born, refused):
    from pocketbook.households import rules

    problem = rules.relation_problem(
        relation="parent", birth_date=parent_born, others=[("head", dt.date(1980, 5, 17))]
    )

    assert (problem is not None) is refused


@pytest.mark.parametrize(("income", "accepted"), [("9999999.99", True), ("10000000", True), ("10000000.01", False)])
def test_the_monthly_income_line_at_its_exact_value_and_one_satang_either_side(
    client, volunteer, household, income, accepted
):
    response = api_post(client, volunteer, f"/households/{household.pk}/members", member_body(monthly_income=income))

    assert response.status_code == (201 if accepted else 422)
    assert household.members.count() == (2 if accepted else 1)
