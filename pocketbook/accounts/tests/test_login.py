"""Sign in, wrong passwords, lock-out, sign out, change password."""

import logging

import pytest
from axes.models import AccessAttempt
from django.test import Client

from pocketbook.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_signing_in_takes_the_volunteer_home_in_thai(client, volunteer):
    response = client.post("/accounts/login/", {"username": "vol", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "สวัสดี" in response.content.decode()


def test_a_wrong_password_says_so_and_signs_nobody_in(client, volunteer, caplog):
    # when
    with caplog.at_level(logging.INFO):
        response = client.post("/accounts/login/", {"username": "vol", "password": "wrong-password"})
    # then
    assert response.status_code == 200
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert any("Failed sign-in" in record.message for record in caplog.records)


def test_the_wrong_password_message_is_in_english_when_asked(client, volunteer):
    client.cookies["pocketbook_language"] = "en"
    response = client.post("/accounts/login/", {"username": "vol", "password": "nope"})
    assert "The user name or the password is wrong." in response.content.decode()


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, volunteer):
    # given
    for _ in range(5):
        client.post("/accounts/login/", {"username": "vol", "password": "wrong-password"})
    # when
    response = client.post("/accounts/login/", {"username": "vol", "password": PASSWORD})
    # then
    assert response.status_code == 429
    assert "ล็อก" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="vol").failures_since_start == 6  # the refused sixth counts too


def test_the_lock_out_is_per_user_and_address(client, volunteer, social_worker):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "vol", "password": "wrong-password"})
    response = client.post("/accounts/login/", {"username": "sw", "password": PASSWORD})
    assert response.status_code == 302


def test_sign_out_needs_a_post_and_ends_the_session(client, volunteer):
    client.force_login(volunteer)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_login_without_csrf_token_is_refused_with_a_clear_message(volunteer):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "vol", "password": PASSWORD})
    assert response.status_code == 403
    assert "แบบฟอร์มหมดอายุ" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_changing_the_password(client, volunteer):
    client.force_login(volunteer)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-password-2566",
            "new_password2": "a-new-long-password-2566",
        },
    )
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.check_password("a-new-long-password-2566")


def test_a_wrong_old_password_changes_nothing(client, volunteer):
    client.force_login(volunteer)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "nope",
            "new_password1": "a-new-long-password-2566",
            "new_password2": "a-new-long-password-2566",
        },
    )
    assert response.status_code == 200
    volunteer.refresh_from_db()
    assert volunteer.check_password(PASSWORD)


def test_pages_need_a_signed_in_user(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_password_page_helps_in_thai(client, volunteer):
    # given
    client.force_login(volunteer)

    # when
    page = client.get("/accounts/password/").content.decode()

    # then
    assert "รหัสผ่านต้องไม่คล้ายกับข้อมูลส่วนตัวอื่นของคุณ" in page
    assert "รหัสผ่านต้องไม่เป็นตัวเลขทั้งหมด" in page
    assert "กรอกรหัสผ่านเดิมอีกครั้งเพื่อยืนยัน" in page
    assert "Your password" not in page


def test_a_short_new_password_is_refused_in_thai(client, volunteer):
    client.force_login(volunteer)

    response = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "รหัสผ่านสั้นเกินไป" in page
    assert "รหัสผ่านนี้เป็นตัวเลขทั้งหมด" in page
    volunteer.refresh_from_db()
    assert volunteer.check_password(PASSWORD)
