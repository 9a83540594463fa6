"""The request of a signed-in user, typed for apps below accounts (which cannot name its User model)."""

from __future__ import annotations

from django.http import HttpRequest

from pocketbook.core.models import Viewer


class ViewerRequest(HttpRequest):
    """An HttpRequest behind `login_required`: its user is signed in (a Viewer: accounts' User)."""

    user: Viewer  # signed in, as login_required guarantees
