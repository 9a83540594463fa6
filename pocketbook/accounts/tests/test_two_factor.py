"""TOTP two-factor sign-in: required for staff roles when the setting says so, optional for volunteers."""

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from pocketbook.accounts.models import ApiToken, TwoFactorEnrolment
from pocketbook.accounts.services import api_token_create, two_factor_enrolment_issue

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
    assert client.get("/overview/").status_code == 200


def test_the_demo_setting_relaxes_it(client, social_worker, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_STAFF = False
    client.force_login(social_worker)
    assert client.get("/overview/").status_code == 200


def enrol_with_code(client, user):
    """Redeem an administrator's enrolment code, as the person does before scanning the QR code."""
    code = two_factor_enrolment_issue(user=user, actor=None)
    response = client.post("/accounts/two-factor/setup/", {"code": code})
    assert response.status_code == 302
    return response


def test_setting_up_with_the_right_code_turns_it_on(client, social_worker, required):
    # given
    client.force_login(social_worker)
    enrol_with_code(client, social_worker)
    page = client.get("/accounts/two-factor/setup/")
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=social_worker, confirmed=False)
    # when
    response = client.post("/accounts/two-factor/setup/", {"token": current_code(device)})
    # then
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/overview/").status_code == 200


def test_a_wrong_setup_code_leaves_it_off(client, social_worker, required):
    client.force_login(social_worker)
    enrol_with_code(client, social_worker)
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
    assert client.get("/overview/").status_code == 200


def test_a_wrong_code_keeps_the_user_out_and_throttles(client, volunteer):
    TOTPDevice.objects.create(user=volunteer, name="app", confirmed=True)
    client.force_login(volunteer)
    wrong = client.post("/accounts/two-factor/verify/", {"token": "123456", "next": "/"})
    assert wrong.status_code == 200
    assert "รหัสไม่ถูกต้อง" in wrong.content.decode()
    again = client.post("/accounts/two-factor/verify/", {"token": "123456", "next": "/"})
    assert "กรอกรหัสผิดหลายครั้งเกินไป" in again.content.decode()
    assert client.get("/").status_code == 302


def _hammered_device(user, *, failures: int, seconds_ago: float) -> TOTPDevice:
    """A device after `failures` wrong codes, the last `seconds_ago` seconds ago (someone who has the password)."""
    from datetime import timedelta

    from django.utils import timezone

    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    device.throttling_failure_count = failures
    device.throttling_failure_timestamp = timezone.now() - timedelta(seconds=seconds_ago)
    device.save()
    return device


def test_wrong_codes_never_keep_the_real_user_out_longer_than_the_longest_wait(client, volunteer, settings):
    # given: forty wrong codes (django-otp alone would make the user wait 2**39 seconds), the last one just
    # over the longest wait ago
    device = _hammered_device(volunteer, failures=40, seconds_ago=settings.TWO_FACTOR_LONGEST_WAIT_SECONDS + 1)
    client.force_login(volunteer)
    # when: the real user enters the right code
    response = client.post("/accounts/two-factor/verify/", {"token": current_code(device), "next": "/"})
    # then: in, and the count starts again
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_within_the_longest_wait_the_code_is_still_refused(client, volunteer, settings):
    device = _hammered_device(volunteer, failures=40, seconds_ago=settings.TWO_FACTOR_LONGEST_WAIT_SECONDS - 5)
    client.force_login(volunteer)

    response = client.post("/accounts/two-factor/verify/", {"token": current_code(device), "next": "/"})

    assert response.status_code == 200
    assert "กรอกรหัสผิดหลายครั้งเกินไป" in response.content.decode()
    assert client.get("/").status_code == 302


def test_the_longest_wait_still_makes_guessing_a_code_hopeless(settings):
    # then: at one guess per longest wait, trying a tenth of the codes (three valid at a time) takes years
    guesses_per_year = 365 * 24 * 3600 / settings.TWO_FACTOR_LONGEST_WAIT_SECONDS
    assert 100_000 / 3 / guesses_per_year > 0.5


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


# --- Enrolment is bound to an administrator's one-time code, not to the password alone ---------------------------


def test_a_password_alone_cannot_enrol_an_authenticator(client, social_worker, required):
    # given: someone who learnt the social worker's password signs in
    client.force_login(social_worker)
    # when: they open the set-up page and try to post a code
    page = client.get("/accounts/two-factor/setup/").content.decode()
    client.post("/accounts/two-factor/setup/", {"token": "123456"})
    # then: no QR code, no secret, no device
    assert "<svg" not in page and "totp-secret" not in page
    assert "รหัสลงทะเบียน" in page
    assert not TOTPDevice.objects.filter(user=social_worker).exists()


def test_a_wrong_enrolment_code_is_refused_and_five_void_the_real_one(client, social_worker, required):
    # given
    real = two_factor_enrolment_issue(user=social_worker, actor=None)
    client.force_login(social_worker)
    # when
    for _ in range(TwoFactorEnrolment.MAX_ATTEMPTS):
        wrong = client.post("/accounts/two-factor/setup/", {"code": "AAAAA-AAAAA"})
        assert wrong.status_code == 200
        assert "รหัสลงทะเบียนไม่ถูกต้อง" in wrong.content.decode()
    # then: even the real code no longer opens enrolment
    assert client.post("/accounts/two-factor/setup/", {"code": real}).status_code == 200
    assert "<svg" not in client.get("/accounts/two-factor/setup/").content.decode()


def test_an_enrolment_code_works_once(client, social_worker, required):
    code = two_factor_enrolment_issue(user=social_worker, actor=None)
    client.force_login(social_worker)
    assert client.post("/accounts/two-factor/setup/", {"code": code}).status_code == 302
    other = Client()
    other.force_login(social_worker)
    assert other.post("/accounts/two-factor/setup/", {"code": code}).status_code == 200


def test_after_a_lost_phone_a_new_code_replaces_the_old_device(client, social_worker, required):
    # given: a confirmed device on a lost phone
    old = TOTPDevice.objects.create(user=social_worker, name="lost", confirmed=True)
    client.force_login(social_worker)
    # when: the administrator's new code, a new scan and its first code
    enrol_with_code(client, social_worker)
    client.get("/accounts/two-factor/setup/")
    new = TOTPDevice.objects.get(user=social_worker, confirmed=False)
    client.post("/accounts/two-factor/setup/", {"token": current_code(new)})
    # then
    assert list(TOTPDevice.objects.filter(user=social_worker).values_list("pk", "confirmed")) == [(new.pk, True)]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


def test_an_administrator_issues_codes_only_for_users_of_their_areas(client, administrator, social_worker):
    # given
    from pocketbook.accounts.tests.factories import UserFactory

    outsider = UserFactory(username="cm", roles=["social_worker"], areas=["50"])
    client.force_login(administrator)
    # when
    response = client.post(
        "/admin/accounts/user/",
        {"action": "issue_enrolment_code", "_selected_action": [social_worker.pk, outsider.pk]},
    )
    # then: one code, for the Trang user, shown once on the answer and never stored in clear
    page = response.content.decode()
    assert response.status_code == 200
    assert list(TwoFactorEnrolment.objects.values_list("user__username", flat=True)) == ["sw"]
    code = page.split('data-testid="enrolment-code">')[1].split("<")[0]
    assert TwoFactorEnrolment.objects.get().code_hash == TwoFactorEnrolment.hash_code(code)
    assert code not in str(list(TwoFactorEnrolment.objects.values()))


# --- API tokens remember whether their creator had two factors -----------------------------------------------------


def test_a_token_minted_while_two_factor_was_relaxed_stops_when_it_is_required(client, social_worker, settings):
    # given: two-factor relaxed, a token minted with the password only
    settings.TWO_FACTOR_REQUIRED_FOR_STAFF = False
    client.force_login(social_worker)
    client.post("/accounts/tokens/", {"name": "script"})
    token = ApiToken.objects.get(user=social_worker)
    assert token.created_with_two_factors is False
    _, key = api_token_create(user=social_worker, name="direct", actor=social_worker)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert Client().get("/api/v1/villages", **bearer).status_code == 200
    # when: two-factor becomes required
    settings.TWO_FACTOR_REQUIRED_FOR_STAFF = True
    # then
    assert Client().get("/api/v1/villages", **bearer).status_code == 401


def test_a_token_minted_after_the_second_factor_keeps_working(client, social_worker, required):
    # given: a verified session mints a token
    device = TOTPDevice.objects.create(user=social_worker, name="app", confirmed=True)
    client.force_login(social_worker)
    client.post("/accounts/two-factor/verify/", {"token": current_code(device), "next": "/"})
    response = client.post("/accounts/tokens/", {"name": "script"})
    key = response.context["new_key"]
    # then
    assert ApiToken.objects.get(user=social_worker).created_with_two_factors is True
    assert Client().get("/api/v1/villages", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_a_volunteer_who_enrols_a_device_later_loses_the_tokens_minted_before(volunteer):
    _, key = api_token_create(user=volunteer, name="old", actor=volunteer)
    assert Client().get("/api/v1/villages", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    TOTPDevice.objects.create(user=volunteer, name="app", confirmed=True)
    assert Client().get("/api/v1/villages", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_the_new_authenticator_is_audited_without_its_secret(client, social_worker, required):
    # given
    from pocketbook.audit.models import ObjectChange

    client.force_login(social_worker)
    enrol_with_code(client, social_worker)
    before = ObjectChange.objects.count()
    # when: the set-up page makes the device to scan, and its first code confirms it
    client.get("/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(user=social_worker, confirmed=False)
    client.get("/accounts/two-factor/setup/")
    client.post("/accounts/two-factor/setup/", {"token": current_code(device)})
    # then: one entry when it was made (not on the second visit), one when it was confirmed; no key copied
    rows = list(ObjectChange.objects.order_by("id")[before:].values_list("object_id", "action", "user", "after"))
    assert [(object_id, action, user) for object_id, action, user, _after in rows] == [
        (str(social_worker.pk), "update", social_worker.pk),
        (str(social_worker.pk), "update", social_worker.pk),
    ]
    assert device.key not in str(rows)
