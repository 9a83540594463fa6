"""Sign in and out, change password, two-factor login and personal API tokens."""

from __future__ import annotations

import logging

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from pocketbook.accounts import services
from pocketbook.accounts.forms import ApiTokenForm, EnrolmentCodeForm, LoginForm, OneTimeCodeForm
from pocketbook.accounts.http import AuthenticatedHttpRequest
from pocketbook.accounts.models import ApiToken, User
from pocketbook.accounts.two_factor import throttle_cap

logger = logging.getLogger(__name__)


class LoginView(auth_views.LoginView):
    """Sign in with user name and password; django-axes locks out repeated failures."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        logger.info("Failed sign-in for user name %r", form.data.get("username", "")[:150])
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only, as Django requires)."""


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


# The session that redeemed an enrolment code may scan a new authenticator (until it confirms one).
ENROLMENT_SESSION_KEY = "two_factor_enrolment_for"


@login_required
def two_factor_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Enrol an authenticator app: an administrator's one-time code first, then a QR code and its first code.

    A password alone must not be enough to enrol, or whoever learnt it could enrol their own phone before
    the real person does. A session that already proved a second factor may add a new phone directly.
    """
    user = request.user
    if not (user.is_verified() or request.session.get(ENROLMENT_SESSION_KEY) == user.pk):
        return _enrolment_code(request, user)
    device = services.two_factor_device_pending(user=user, name=_("Authenticator app"))
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            services.two_factor_device_confirm(device=device)
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            otp_login(request, device)
            messages.success(request, _("Two-factor sign-in is on for your account."))
            return redirect("core:home")
        form.add_error("token", _("That code is wrong or has expired. Codes change every 30 seconds."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": _base32_secret(device), "has_confirmed": user_has_device(user)},
    )


def _enrolment_code(request: HttpRequest, user: User) -> HttpResponse:
    """Ask for the one-time enrolment code an administrator gave the person."""
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.two_factor_enrolment_redeem(user=user, code=form.cleaned_data["code"]):
            request.session[ENROLMENT_SESSION_KEY] = user.pk
            return redirect("accounts:two_factor_setup")
        logger.warning("Wrong two-factor enrolment code for user %s", user.pk)
        form.add_error(
            "code", _("That enrolment code is wrong, used or expired. Ask your administrator for a new one.")
        )
    return render(
        request,
        "accounts/two_factor_enrolment_code.html",
        {"form": form, "has_device": user_has_device(user, confirmed=True)},
    )


def _base32_secret(device: TOTPDevice) -> str:
    import base64

    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Ask for the code from the authenticator app after the password."""
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.devices_for_user(request.user, confirmed=True):
            throttle_cap(device)
            allowed, _details = device.verify_is_allowed()
            if not allowed:
                form.add_error("token", _("Too many wrong codes. Wait a minute and try again."))
                break
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(_safe_next(request))
        else:
            logger.warning("Wrong two-factor code for user %s", request.user.pk)
            form.add_error("token", _("That code is wrong or has expired. Codes change every 30 seconds."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _safe_next(request)})


@login_required
def api_token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List the user's API tokens and create a new one."""
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.api_token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            actor=request.user,
            with_two_factors=request.user.is_verified(),
        )
        form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "accounts/api_tokens.html", {"form": form, "tokens": tokens, "new_key": new_key})


@login_required
@require_POST
def api_token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's own tokens; another user's token answers 404."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.api_token_revoke(token=token, actor=request.user)
    messages.success(request, _("The token %(name)s has been revoked.") % {"name": token.name})
    return redirect("accounts:api_tokens")
