"""Sign in, wrong passwords, lock-out, sign out, change password."""

import logging

import pytest
from axes.models import AccessAttempt
from django.test import Client

from pocketbook.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_signing_in_takes_the_volunteer_to_their_start_page_in_thai(client, volunteer):
    response = client.post("/accounts/login/", {"username": "vol", "password": PASSWORD}, follow=True)
    # the home page sends a volunteer on to My visits (core/start.py, registered by volunteers)
    assert [url for url, _status in response.redirect_chain] == ["/", "/volunteers/visits/"]
    assert response.status_code == 200
    assert '<html lang="th">' in response.content.decode()


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


PROXY = "10.0.0.5"  # the reverse proxy: every request reaches the app from here


def _sign_in(client, password, *, forwarded_for, username="vol"):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_one_proxy_an_attacker_cannot_lock_out_the_real_user_signing_in_elsewhere(volunteer, settings):
    # given: one trusted proxy; an attacker at 203.0.113.9 tries five wrong passwords, also forging the header
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = Client()
    for _ in range(5):
        _sign_in(attacker, "wrong-password", forwarded_for="198.51.100.7, 203.0.113.9")
    # when: the real user signs in from 198.51.100.7 through the same proxy
    response = _sign_in(Client(), PASSWORD, forwarded_for="198.51.100.7")
    # then: the real user is in; the attacker's own address is the one locked
    assert response.status_code == 302
    assert list(AccessAttempt.objects.values_list("ip_address", "failures_since_start")) == [("203.0.113.9", 5)]
    assert _sign_in(attacker, PASSWORD, forwarded_for="203.0.113.9").status_code == 429


def test_with_two_proxies_the_client_is_the_second_entry_from_the_right(volunteer, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    for _ in range(5):
        _sign_in(Client(), "wrong-password", forwarded_for="1.2.3.4, 203.0.113.9, 10.0.0.4")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.9"]
    assert _sign_in(Client(), PASSWORD, forwarded_for="203.0.113.9, 10.0.0.4").status_code == 429
    assert _sign_in(Client(), PASSWORD, forwarded_for="198.51.100.7, 10.0.0.4").status_code == 302


def test_without_a_trusted_proxy_the_forwarded_header_is_not_believed(volunteer, settings):
    # given: no proxy configured (the default); the attacker writes the victim's address into the header
    settings.TRUSTED_PROXY_COUNT = 0
    for _ in range(5):
        client = Client()
        client.post(
            "/accounts/login/",
            {"username": "vol", "password": "wrong"},
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
    # when
    response = Client().post("/accounts/login/", {"username": "vol", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7")
    # then
    assert response.status_code == 302
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.9"]


def test_a_forged_header_shorter_than_the_proxy_chain_falls_back_to_the_connection(volunteer, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    for _ in range(5):
        _sign_in(Client(), "wrong-password", forwarded_for="not-an-address")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [PROXY]


def _staff_with_second_factor():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from pocketbook.accounts.roles import Role
    from pocketbook.accounts.tests.factories import UserFactory

    user = UserFactory(username="op", roles=[Role.ESS_OPERATOR], areas=["92"], is_staff=True)
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user


def test_a_user_with_a_second_factor_is_throttled_too_so_their_password_cannot_be_guessed_without_limit(db):
    # given: a staff operator with an authenticator; an attacker at 203.0.113.9 tries five wrong passwords
    _staff_with_second_factor()
    for _ in range(5):
        Client().post("/accounts/login/", {"username": "op", "password": "wrong"}, REMOTE_ADDR="203.0.113.9")
    # when: the attacker tries the right password from that address
    response = Client().post("/accounts/login/", {"username": "op", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")
    # then: refused, so the password step is no unlimited oracle for whoever would then hammer the code step
    assert response.status_code == 429
    assert list(AccessAttempt.objects.values_list("username", "ip_address")) == [("op", "203.0.113.9")]


def test_a_locked_out_staff_user_with_two_factors_signs_in_from_another_address_and_is_asked_the_code(db):
    # given: the attacker has locked ("op", 203.0.113.9)
    _staff_with_second_factor()
    for _ in range(5):
        Client().post("/accounts/login/", {"username": "op", "password": "wrong"}, REMOTE_ADDR="203.0.113.9")
    # when: the real operator signs in from the office's address
    client = Client()
    response = client.post("/accounts/login/", {"username": "op", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7")
    # then: the password is accepted and the second factor is still asked
    assert response.status_code == 302
    assert client.get("/")["Location"].startswith("/accounts/two-factor/verify/")


def test_the_lock_out_ends_after_the_cool_off_even_at_the_attackers_address(db, settings):
    # given: ("op", 203.0.113.9) locked, and the cool-off (AXES_COOLOFF_HOURS) has just passed
    from datetime import timedelta

    from django.utils import timezone

    _staff_with_second_factor()
    for _ in range(5):
        Client().post("/accounts/login/", {"username": "op", "password": "wrong"}, REMOTE_ADDR="203.0.113.9")
    cool_off = timedelta(hours=settings.AXES_COOLOFF_TIME)
    AccessAttempt.objects.update(attempt_time=timezone.now() - cool_off - timedelta(seconds=1))
    # when
    response = Client().post("/accounts/login/", {"username": "op", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")
    # then
    assert response.status_code == 302


def test_the_lock_out_still_holds_one_minute_before_the_cool_off_ends(db, settings):
    from datetime import timedelta

    from django.utils import timezone

    _staff_with_second_factor()
    for _ in range(5):
        Client().post("/accounts/login/", {"username": "op", "password": "wrong"}, REMOTE_ADDR="203.0.113.9")
    cool_off = timedelta(hours=settings.AXES_COOLOFF_TIME)
    AccessAttempt.objects.update(attempt_time=timezone.now() - cool_off + timedelta(minutes=1))

    response = Client().post("/accounts/login/", {"username": "op", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 429
