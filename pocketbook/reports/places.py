"""The "places" topic: where each area is, as the mean GPS point of its households, and what the map shows there.

geothai has no coordinates, so an area's centre is the mean of the points its volunteers recorded: per village
(and so per subdistrict, district and province by the tallies' roll-up) the number of households with a point and
the sums of their latitude and longitude in micro-degrees (incidents' points count too, so an area whose
households have no point yet is still placed); beside them the households, those assessed and those
whose latest assessment fails at least one dimension. The map is a picture of the office's areas, so the topic is
kept by `rebuild_aggregates` (run nightly; two GROUP BY queries), not by listeners; an area with no point yet is
listed beside the map instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from pocketbook.assessments.models import Assessment
from pocketbook.households.models import Household
from pocketbook.incidents.models import Incident
from pocketbook.reports.periods import CURRENT
from pocketbook.reports.tallies import TallyChange, tally_read, tally_replace_topic

TOPIC = "places"
MICRO = 1_000_000


@dataclass(frozen=True)
class Centre:
    latitude: float
    longitude: float
    points: int


@dataclass(frozen=True)
class Place:
    """What the map shows of one area: where it is (None: no point yet), households, assessed, failing."""

    code: str
    centre: Centre | None
    households: int
    assessed: int
    failing: int

    @property
    def share_failing(self) -> float | None:
        return self.failing / self.assessed if self.assessed else None


def rebuild_rows() -> list[TallyChange]:
    """The point counts and coordinate sums per area, grouped in the database."""
    placed = Q(gps_lat__isnull=False, gps_lng__isnull=False)
    grouped = (
        Household.objects.order_by()
        .values("area_code")
        .annotate(
            households=Count("id"),
            points=Count("id", filter=placed),
            latitudes=Sum("gps_lat", filter=placed),
            longitudes=Sum("gps_lng", filter=placed),
        )
        .values_list("area_code", "households", "points", "latitudes", "longitudes")
    )
    rows = []
    for area, households, points, latitudes, longitudes in grouped:
        rows.append(TallyChange(TOPIC, area, CURRENT, "households", households))
        if points:
            rows += [
                TallyChange(TOPIC, area, CURRENT, "points", points),
                TallyChange(TOPIC, area, CURRENT, "latitude_micro_sum", int(latitudes * MICRO)),
                TallyChange(TOPIC, area, CURRENT, "longitude_micro_sum", int(longitudes * MICRO)),
            ]
    # Incidents' points help place an area where no household has one yet (they are where people live too).
    incidents = (
        Incident.objects.order_by()
        .filter(latitude__isnull=False, longitude__isnull=False)
        .exclude(area_code="")
        .values("area_code")
        .annotate(points=Count("id"), latitudes=Sum("latitude"), longitudes=Sum("longitude"))
        .values_list("area_code", "points", "latitudes", "longitudes")
    )
    for area, points, latitudes, longitudes in incidents:
        rows += [
            TallyChange(TOPIC, area, CURRENT, "points", points),
            TallyChange(TOPIC, area, CURRENT, "latitude_micro_sum", round(latitudes * MICRO)),
            TallyChange(TOPIC, area, CURRENT, "longitude_micro_sum", round(longitudes * MICRO)),
        ]
    assessed = (
        Assessment.objects.order_by()
        .filter(is_latest=True)
        .values("household__area_code")
        .annotate(assessed=Count("id"), failing=Count("id", filter=Q(failed_dimensions__gt=0)))
        .values_list("household__area_code", "assessed", "failing")
    )
    for area, count, failing in assessed:
        rows += [
            TallyChange(TOPIC, area, CURRENT, "assessed", count),
            TallyChange(TOPIC, area, CURRENT, "failing", failing),
        ]
    return rows


def rebuild() -> int:
    """Replace the areas' centres with those of the households' points."""
    return tally_replace_topic(TOPIC, rebuild_rows())


def place_list(area_code: str, *, children: bool) -> list[Place]:
    """The area itself or its child areas, in code order, with what the map shows of each."""
    values: dict[str, dict[str, int]] = {}
    for (code, _period, key), value in tally_read(topic=TOPIC, area_code=area_code, children=children).items():
        values.setdefault(code, {})[key] = value
    found = []
    for code, keys in sorted(values.items()):
        points = keys.get("points", 0)
        centre = (
            Centre(
                latitude=keys.get("latitude_micro_sum", 0) / points / MICRO,
                longitude=keys.get("longitude_micro_sum", 0) / points / MICRO,
                points=points,
            )
            if points > 0
            else None
        )
        found.append(
            Place(
                code=code,
                centre=centre,
                households=keys.get("households", 0),
                assessed=keys.get("assessed", 0),
                failing=keys.get("failing", 0),
            )
        )
    return found


def centres(area_code: str, *, children: bool) -> dict[str, Centre]:
    """{area code: centre} of the area itself or of its child areas; areas without a point are left out."""
    return {place.code: place.centre for place in place_list(area_code, children=children) if place.centre}
