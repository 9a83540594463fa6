"""Who must prove a second factor: one rule for the pages, the API session and API tokens."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_otp import user_has_device


def two_factor_required(user: Any) -> bool:
    """True when `user` must sign in with two factors: they have a device, or their role requires one."""
    if user_has_device(user):
        return True
    return bool(settings.TWO_FACTOR_REQUIRED_FOR_STAFF and user.is_staff_role)
