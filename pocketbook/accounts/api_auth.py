"""How the API knows who calls: a personal API token, or a browser session whose second factor is proven."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from pocketbook.accounts.middleware import second_factor_pending
from pocketbook.accounts.services import api_token_authenticate


class TokenAuth(HttpBearer):
    """`Authorization: Bearer pbk_...` with a personal API token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class TokenHeaderAuth(APIKeyHeader):
    """`X-API-Token: pbk_...`, for clients that cannot set Authorization."""

    param_name = "X-API-Token"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return TokenAuth().authenticate(request, key or "")


class VerifiedSessionAuth(SessionAuth):
    """A browser session, but only once its second factor is proven (else the API would bypass it)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None or second_factor_pending(user):
            return None
        return user


API_AUTH = [TokenAuth(), TokenHeaderAuth(), VerifiedSessionAuth()]
