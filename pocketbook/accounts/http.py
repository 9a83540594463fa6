"""The user of a request, typed: signed in (`AuthenticatedHttpRequest`) or either (`AnyUser`)."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from pocketbook.accounts.models import User

# Whoever reads: selectors take this and answer nothing to an anonymous visitor (for_user returns none).
AnyUser: TypeAlias = User | AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    """An HttpRequest whose user is signed in (django-stubs' recommended way to type `login_required` views).

    `htmx` is set by django-htmx's middleware on every request.
    """

    user: User
    htmx: HtmxDetails


def signed_in_user(request: HttpRequest) -> User:
    """The request's signed-in user, for code Django types with any user (the admin lets no one else in)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user
