"""Send people who must prove a second factor to the two-factor pages before anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device

from pocketbook.accounts.http import AnyUser
from pocketbook.accounts.two_factor import two_factor_required

# Only what a person needs to finish signing in (or to leave) is reachable before the second factor.
# The API is not listed as a page: its session authentication refuses such a session itself (401).
EXEMPT_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/two-factor/",
    "/static/",
    "/i18n/",
    "/healthz",
    "/api/",
    "/ess/line/",
    "/about/",
    "/favicon",
)


def second_factor_pending(user: AnyUser) -> bool:
    """True when a signed-in user still owes a second factor: they have a device, or their role requires one."""
    if not user.is_authenticated or user.is_verified():
        return False
    return two_factor_required(user)


class TwoFactorRequiredMiddleware:
    """Users with a two-factor device must verify it; staff roles must have one when the setting says so."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not request.path.startswith(EXEMPT_PREFIXES) and second_factor_pending(user):
            if user_has_device(user):
                return redirect(
                    reverse("accounts:two_factor_verify") + "?" + urlencode({"next": request.get_full_path()})
                )
            return redirect("accounts:two_factor_setup")
        return self.get_response(request)
