"""Households and assessments generated straight into the tables (the scoring is not what is tested here)."""

from __future__ import annotations

import datetime as dt
import random

from pocketbook.assessments.models import Assessment
from pocketbook.assessments.selectors import indicator_set_current
from pocketbook.households.models import Household
from pocketbook.reports.household_counts import set_layout

VILLAGES = ("92010101", "92010102", "92010401", "92020101", "920201")


def generated_households(seed: int, households: int = 60, fail_chance: float = 0.25) -> list[Assessment]:
    """Households in a few Trang areas, each with one or two assessments failing random indicators."""
    rng = random.Random(seed)
    indicator_set = indicator_set_current()
    layout = set_layout(indicator_set.pk)
    homes = Household.objects.bulk_create(
        Household(area_code=rng.choice(VILLAGES), household_key=f"g{seed}-{number}") for number in range(households)
    )
    latest = []
    for home in homes:
        previous = None
        visits = rng.choice((1, 1, 2))
        for visit in range(visits):
            failed = [code for code in layout.indicator_dimension if rng.random() < fail_chance]
            dimensions = {d: "pass" for d in layout.dimensions}
            for code in failed:
                dimensions[layout.indicator_dimension[code]] = "fail"
            assessment = Assessment.objects.create(
                household=home,
                indicator_set=indicator_set,
                assessed_on=dt.date(2025, 3, 1) + dt.timedelta(days=200 * visit + rng.randrange(100)),
                previous=previous,
                indicator_results={
                    code: {"dimension": d, "status": "fail" if code in failed else "pass"}
                    for code, d in layout.indicator_dimension.items()
                },
                dimension_results=dimensions,
                failed_dimensions=sum(1 for v in dimensions.values() if v == "fail"),
                is_poor=bool(failed),
                is_targeted_poor=bool(failed) and rng.random() < 0.5,
                is_vulnerable=rng.random() < 0.3,
                is_self_reliant=not failed,
                is_latest=visit == visits - 1,
            )
            previous = assessment
        latest.append(previous)
    return latest
