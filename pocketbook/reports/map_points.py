"""The points of the Leaflet map: households by their number of failed dimensions, incidents by state.

Points are people's places, so only viewers who may see those records get them (an analyst gets none: the
circles of the areas only), scoped by `for_user`, inside the chosen area, and at most POINT_LIMIT of each kind;
no name, address or ID travels with a point.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from pocketbook.accounts.http import AnyUser
from pocketbook.assessments.models import Assessment
from pocketbook.households.models import Household
from pocketbook.incidents.choices import OPEN_STATUSES
from pocketbook.incidents.models import Incident

POINT_LIMIT = 2000
RECENTLY_CLOSED_DAYS = 30


def household_points(*, viewer: AnyUser, area_code: str, limit: int = POINT_LIMIT) -> tuple[list[list[Any]], bool]:
    """[[latitude, longitude, failed dimensions or None]] of the viewer's households with a point; and truncated?"""
    if not viewer.has_perm("households.view_household"):
        return [], False
    latest = Assessment.objects.filter(household_id=OuterRef("pk"), is_latest=True).values("failed_dimensions")[:1]
    rows = list(
        Household.objects.for_user(viewer, "view")
        .filter(area_code__startswith=area_code, gps_lat__isnull=False, gps_lng__isnull=False)
        .annotate(failed=Subquery(latest))
        .order_by("pk")
        .values_list("gps_lat", "gps_lng", "failed")[: limit + 1]
    )
    points = [[float(lat), float(lng), failed] for lat, lng, failed in rows[:limit]]
    return points, len(rows) > limit


def incident_points(*, viewer: AnyUser, area_code: str, limit: int = POINT_LIMIT) -> tuple[list[list[Any]], bool]:
    """[[latitude, longitude, status, number, url]] of the viewer's open and recently closed incidents."""
    if not viewer.has_perm("incidents.view_incident"):
        return [], False
    since = timezone.now() - dt.timedelta(days=RECENTLY_CLOSED_DAYS)
    rows = list(
        Incident.objects.for_user(viewer, "view")
        .filter(area_code__startswith=area_code, latitude__isnull=False, longitude__isnull=False)
        .filter(Q(status__in=OPEN_STATUSES) | Q(closed_at__gte=since))
        .order_by("-received_at", "-id")
        .values_list("latitude", "longitude", "status", "number", "pk")[: limit + 1]
    )
    points = [
        [lat, lng, status, number, reverse("incidents:incident_detail", args=[pk])]
        for lat, lng, status, number, pk in rows[:limit]
    ]
    return points, len(rows) > limit
