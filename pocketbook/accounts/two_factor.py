"""Who must prove a second factor: one rule for the pages, the API session and API tokens."""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django_otp import user_has_device

from pocketbook.accounts.models import User


def two_factor_required(user: User) -> bool:
    """True when `user` must sign in with two factors: they have a device, or their role requires one."""
    if user_has_device(user):
        return True
    return bool(settings.TWO_FACTOR_REQUIRED_FOR_STAFF and user.is_staff_role)


def throttle_cap(device: Any) -> None:
    """Stop a device's wait after wrong codes growing past TWO_FACTOR_LONGEST_WAIT_SECONDS.

    django-otp waits 2**(failures - 1) seconds after the last wrong code; capping the count caps the wait, so
    someone who has the password can delay the real user by minutes, never lock them out for good.
    """
    longest = max(int(math.log2(settings.TWO_FACTOR_LONGEST_WAIT_SECONDS)) + 1, 1)
    if device.throttling_failure_count > longest:
        device.throttling_failure_count = longest
        device.save(update_fields=["throttling_failure_count"])
