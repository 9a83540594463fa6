"""Villages the offline tests register households in (subdistricts come with the migrations)."""

from __future__ import annotations

import pytest

from pocketbook.geo.models import Village


@pytest.fixture(autouse=True)
def villages(db):
    """หมู่ 1 and 2 of ต.ทับเที่ยง (920101), and one village in Chiang Mai."""
    Village.objects.bulk_create(
        [
            Village(code="92010101", subdistrict_id="920101", number=1, name="บ้านทับเที่ยง"),
            Village(code="92010102", subdistrict_id="920101", number=2, name="บ้านนาตาล่วง"),
            Village(code="50010101", subdistrict_id="500101", number=1, name="บ้านศรีภูมิ"),
        ]
    )


@pytest.fixture(autouse=True)
def shipped_indicator_set(db):
    """The shipped indicator set as the current one, also after a transactional test emptied the tables."""
    from pocketbook.assessments.loading import SHIPPED_SET, read_set_file, write_set
    from pocketbook.assessments.models import Indicator, IndicatorSet

    if not IndicatorSet.objects.filter(is_current=True).exists():
        write_set(IndicatorSet, Indicator, read_set_file(SHIPPED_SET), current=True)
