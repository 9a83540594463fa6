"""TOTP two-factor sign-in: required for staff roles when the setting says so, optional for volunteers."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED_FOR_STAFF = True


def test_staff_without_a_device_are_sent_to_set_one_up(client, social_worker, required):
    client.force_login(social_worker)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/setup/"


def test_volunteers_are_not_forced(client, volunteer, required):
    client.force_login(volunteer)
    assert client.get("/").status_code == 200


def test_the_demo_setting_relaxes_it(client, social_worker, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_STAFF = False
    client.force_login(social_worker)
    assert client.get("/").status_code == 200


def test_setting_up_with_the_right_code_turns_it_on(client, social_worker, required):
    # given
    client.force_login(social_worker)
    page = client.get("/accounts/two-factor/setup/")
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=social_worker, confirmed=False)
    # when
    response = client.post("/accounts/two-factor/setup/", {"token": current_code(device)})
    # then
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_a_wrong_setup_code_leaves_it_off(client, social_worker, required):
    client.force_login(social_worker)
    client.get("/accounts/two-factor/setup/")
    response = client.post("/accounts/two-factor/setup/", {"token": "000000"})
    assert response.status_code == 200
    assert "รหัสไม่ถูกต้อง" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=social_worker, confirmed=True).exists()


def test_after_the_password_a_user_with_a_device_must_give_the_code(client, volunteer):
    # given a volunteer who opted in
    device = TOTPDevice.objects.create(user=volunteer, name="app", confirmed=True)
    client.force_login(volunteer)
    # when
    response = client.get("/")
    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/verify/")
    right = client.post("/accounts/two-factor/verify/", {"token": current_code(device), "next": "/"})
    assert right.status_code == 302
    assert client.get("/").status_code == 200


def test_a_wrong_code_keeps_the_user_out_and_throttles(client, volunteer):
    TOTPDevice.objects.create(user=volunteer, name="app", confirmed=True)
    client.force_login(volunteer)
    wrong = client.post("/accounts/two-factor/verify/", {"token": "123456", "next": "/"})
    assert wrong.status_code == 200
    assert "รหัสไม่ถูกต้อง" in wrong.content.decode()
    again = client.post("/accounts/two-factor/verify/", {"token": "123456", "next": "/"})
    assert "กรอกรหัสผิดหลายครั้งเกินไป" in again.content.decode()
    assert client.get("/").status_code == 302


def test_verify_refuses_to_redirect_off_site(client, volunteer):
    device = TOTPDevice.objects.create(user=volunteer, name="app", confirmed=True)
    client.force_login(volunteer)
    response = client.post(
        "/accounts/two-factor/verify/", {"token": current_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_a_password_only_session_cannot_use_the_api_or_mint_tokens(client, social_worker, required):
    # given a social worker who signed in with the password but not yet the second factor
    from pocketbook.accounts.models import ApiToken

    TOTPDevice.objects.create(user=social_worker, name="app", confirmed=True)
    client.force_login(social_worker)
    # when / then: the API answers as to a stranger
    response = client.get("/api/v1/villages")
    assert response.status_code == 401
    # and the token page sends them to the second factor, writing nothing
    assert client.get("/accounts/tokens/")["Location"].startswith("/accounts/two-factor/verify/")
    assert client.post("/accounts/tokens/", {"name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()
    assert client.get("/accounts/password/").status_code == 302


def test_staff_without_a_device_cannot_use_the_api_while_it_is_required(client, manager, required):
    client.force_login(manager)
    assert client.get("/api/v1/villages").status_code == 401


def test_after_the_second_factor_the_api_answers(client, social_worker, required):
    device = TOTPDevice.objects.create(user=social_worker, name="app", confirmed=True)
    client.force_login(social_worker)
    client.post("/accounts/two-factor/verify/", {"token": current_code(device), "next": "/"})
    assert client.get("/api/v1/villages").status_code == 200
