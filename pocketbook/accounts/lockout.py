"""Who the sign-in lock-out (django-axes) never stops.

A person with a confirmed second factor: a guessed password alone opens nothing of theirs (the
authenticator code is throttled by django-otp on its own), so a lock-out would only let whoever shares
their address (an office or a mobile network behind one public address) keep them out, an ESS operator
in the middle of an emergency among them. Their failed passwords are still logged by the sign-in page.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django_otp import user_has_device

from pocketbook.accounts.models import User


def has_second_factor(request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
    """AXES_WHITELIST_CALLABLE: True when the user name belongs to someone with a confirmed second factor."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    user = User.objects.filter(username=str(username)[:150]).first()
    return user is not None and user_has_device(user, confirmed=True)
