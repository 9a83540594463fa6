"""Send people who must prove a second factor to the two-factor pages before anything else."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz", "/api/", "/ess/line/", "/about", "/favicon")


class TwoFactorRequiredMiddleware:
    """Users with a two-factor device must verify it; staff roles must have one when the setting says so."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith(EXEMPT_PREFIXES) and not user.is_verified():  # type: ignore[union-attr,attr-defined]
            if user_has_device(user):
                return redirect(
                    reverse("accounts:two_factor_verify") + "?" + urlencode({"next": request.get_full_path()})
                )
            if settings.TWO_FACTOR_REQUIRED_FOR_STAFF and user.is_staff_role:  # type: ignore[union-attr]
                return redirect("accounts:two_factor_setup")
        return self.get_response(request)
