"""The reports pages: each reads counters (tallies) for one area of the viewer's scope, never the raw rows."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from pocketbook.accounts.http import AuthenticatedHttpRequest
from pocketbook.reports import privacy, scope
from pocketbook.reports.sections import sections_available


def report_context(request: AuthenticatedHttpRequest, section: str) -> dict[str, Any]:
    """What every reports page needs: the area (404 outside the scope), the tabs, whether to suppress small cells.

    Raises PermissionDenied for a viewer who may not see reports.
    """
    if not scope.can_view_reports(request.user):
        raise PermissionDenied
    area = scope.report_area(request.user, request.GET.get("area"))
    return {
        "area": area,
        "section": section,
        "sections": sections_available(),
        "suppress": not privacy.sees_people(request.user),
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The first section the viewer can open."""
    if not scope.can_view_reports(request.user):
        raise PermissionDenied
    available = sections_available()
    if not available:
        raise PermissionDenied
    return redirect(available[0][1])
