"""The "places" topic: where each area is, as the mean GPS point of its households, for the maps.

geothai has no coordinates, so an area's centre is the mean of the points its volunteers recorded: per village
(and so per subdistrict, district and province by the tallies' roll-up) the number of households with a point and
the sums of their latitude and longitude in micro-degrees. Centres hardly move, so the topic is kept by
`rebuild_aggregates` alone (one GROUP BY); an area with no point yet is listed beside the map instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Sum

from pocketbook.households.models import Household
from pocketbook.reports.periods import CURRENT
from pocketbook.reports.tallies import TallyChange, tally_read, tally_replace_topic

TOPIC = "places"
MICRO = 1_000_000


@dataclass(frozen=True)
class Centre:
    latitude: float
    longitude: float
    points: int


def rebuild_rows() -> list[TallyChange]:
    """The point counts and coordinate sums per area, grouped in the database."""
    grouped = (
        Household.objects.order_by()
        .filter(gps_lat__isnull=False, gps_lng__isnull=False)
        .values("area_code")
        .annotate(points=Count("id"), latitudes=Sum("gps_lat"), longitudes=Sum("gps_lng"))
        .values_list("area_code", "points", "latitudes", "longitudes")
    )
    rows = []
    for area, points, latitudes, longitudes in grouped:
        rows += [
            TallyChange(TOPIC, area, CURRENT, "points", points),
            TallyChange(TOPIC, area, CURRENT, "latitude_micro_sum", int(latitudes * MICRO)),
            TallyChange(TOPIC, area, CURRENT, "longitude_micro_sum", int(longitudes * MICRO)),
        ]
    return rows


def rebuild() -> int:
    """Replace the areas' centres with those of the households' points."""
    return tally_replace_topic(TOPIC, rebuild_rows())


def centres(area_code: str, *, children: bool) -> dict[str, Centre]:
    """{area code: centre} of the area itself or of its child areas; areas without a point are left out."""
    values: dict[str, dict[str, int]] = {}
    for (code, _period, key), value in tally_read(topic=TOPIC, area_code=area_code, children=children).items():
        values.setdefault(code, {})[key] = value
    found = {}
    for code, keys in values.items():
        points = keys.get("points", 0)
        if points > 0:
            found[code] = Centre(
                latitude=keys.get("latitude_micro_sum", 0) / points / MICRO,
                longitude=keys.get("longitude_micro_sum", 0) / points / MICRO,
                points=points,
            )
    return found
