"""Personal API tokens: create, list, use, revoke."""

import pytest

from pocketbook.accounts.models import ApiToken
from pocketbook.audit.models import ObjectChange

pytestmark = pytest.mark.django_db


def test_creating_a_token_shows_it_once_and_stores_only_its_hash(client, social_worker):
    # given
    client.force_login(social_worker)
    # when
    response = client.post("/accounts/tokens/", {"name": "Excel export"})
    # then
    key = response.context["new_key"]
    assert key.startswith("pbk_")
    token = ApiToken.objects.get(user=social_worker)
    assert token.key_hash == ApiToken.hash_key(key)
    assert key not in str(ObjectChange.objects.get(object_id=str(token.pk)).after)
    assert key not in client.get("/accounts/tokens/").content.decode()


def test_a_token_authenticates_api_calls_until_revoked(client, social_worker):
    client.force_login(social_worker)
    key = client.post("/accounts/tokens/", {"name": "script"}).context["new_key"]
    api = client.__class__()
    assert api.get("/api/v1/villages", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert api.get("/api/v1/villages", HTTP_X_API_TOKEN=key).status_code == 200
    token = ApiToken.objects.get(user=social_worker)
    assert token.last_used_at is not None
    # when
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    # then
    response = api.get("/api/v1/villages", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_an_empty_name_is_refused(client, social_worker):
    client.force_login(social_worker)
    response = client.post("/accounts/tokens/", {"name": ""})
    assert response.status_code == 200
    assert "ตั้งชื่อ" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_nobody_can_revoke_another_users_token(client, social_worker, volunteer):
    client.force_login(social_worker)
    client.post("/accounts/tokens/", {"name": "mine"})
    token = ApiToken.objects.get()
    client.force_login(volunteer)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_needs_a_post(client, social_worker):
    client.force_login(social_worker)
    client.post("/accounts/tokens/", {"name": "mine"})
    token = ApiToken.objects.get()
    assert client.get(f"/accounts/tokens/{token.pk}/revoke/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_made_up_token_is_401(client):
    assert client.get("/api/v1/villages", HTTP_AUTHORIZATION="Bearer pbk_nope").status_code == 401
