"""The "places" topic: where each area is, as the mean GPS point of its households, and what the map shows there.

geothai has no coordinates, so an area's centre is the mean of the points its volunteers recorded: per village
(and so per subdistrict, district and province by the tallies' roll-up) the number of households with a point and
the sums of their latitude and longitude in micro-degrees (incidents' points count too, so an area whose
households have no point yet is still placed). Centres hardly move, so the topic is kept by
`rebuild_aggregates` (run nightly; two GROUP BY queries), not by listeners. The households, those assessed and
those failing at least one dimension come from the "households" topic (kept current by its listeners).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from pocketbook.households.models import Household
from pocketbook.incidents.models import Incident
from pocketbook.reports.household_counts import HOUSEHOLDS
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
        .filter(placed)
        .values("area_code")
        .annotate(points=Count("id"), latitudes=Sum("gps_lat"), longitudes=Sum("gps_lng"))
        .values_list("area_code", "points", "latitudes", "longitudes")
    )
    rows = []
    for area, points, latitudes, longitudes in grouped:
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
    return rows


def rebuild() -> int:
    """Replace the areas' centres with those of the households' points."""
    return tally_replace_topic(TOPIC, rebuild_rows())


def place_list(area_code: str, *, children: bool) -> list[Place]:
    """The area itself or its child areas, in code order, with what the map shows of each."""
    values: dict[str, dict[str, int]] = {}
    for topic in (TOPIC, HOUSEHOLDS):
        for (code, _period, key), value in tally_read(topic=topic, area_code=area_code, children=children).items():
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
                households=keys.get("registered", 0),
                assessed=keys.get("assessed", 0),
                failing=keys.get("assessed", 0) - keys.get("failed_dims:0", 0),
            )
        )
    return found


def centres(area_code: str, *, children: bool) -> dict[str, Centre]:
    """{area code: centre} of the area itself or of its child areas; areas without a point are left out."""
    return {place.code: place.centre for place in place_list(area_code, children=children) if place.centre}
