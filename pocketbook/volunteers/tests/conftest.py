"""Villages the volunteers tests need, and English messages for service assertions."""

from __future__ import annotations

import pytest
from django.utils import translation

from pocketbook.geo.models import Village


@pytest.fixture(autouse=True)
def villages(db):
    """หมู่ 1 and 2 of ต.ทับเที่ยง (920101), หมู่ 1 of ต.นาพละ (920104), and one village in Chiang Mai."""
    Village.objects.bulk_create(
        [
            Village(code="92010101", subdistrict_id="920101", number=1, name="บ้านทับเที่ยง"),
            Village(code="92010102", subdistrict_id="920101", number=2, name="บ้านนาตาล่วง"),
            Village(code="92010401", subdistrict_id="920104", number=1, name="บ้านนาพละ"),
            Village(code="50010101", subdistrict_id="500101", number=1, name="บ้านศรีภูมิ"),
        ]
    )


@pytest.fixture(autouse=True)
def english_messages():
    """Service and selector messages are asserted in English (pages choose their language per request)."""
    with translation.override("en"):
        yield
