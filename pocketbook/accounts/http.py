"""The request of a signed-in user, for views behind `login_required` (typed: `request.user` is a User)."""

from __future__ import annotations

from django.http import HttpRequest

from pocketbook.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """An HttpRequest whose user is signed in (django-stubs' recommended way to type `login_required` views)."""

    user: User
