"""Factories for the cases tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from pocketbook.assessments.models import Assessment, IndicatorSet
from pocketbook.cases.models import Agency, AgencyArea, AgencyServiceOffered


class AgencyFactory(factory.django.DjangoModelFactory):
    """An agency covering the district of เมืองตรัง (9201) that offers medical care."""

    class Meta:
        model = Agency
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"โรงพยาบาลส่งเสริมสุขภาพตำบลทับเที่ยง {n}")
    kind = "health_promoting_hospital"

    @factory.post_generation
    def areas(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        for code in extracted if extracted is not None else ["9201"]:
            AgencyArea.objects.create(agency=self, area_code=code)
        AgencyServiceOffered.objects.create(agency=self, service="medical_care")
        self.search_text = self.name.replace(" ", "")
        self.save(update_fields=["search_text"])


def make_assessment(household: Any, results: dict[str, tuple[str, str]], on: dt.date | None = None) -> Assessment:
    """Store a latest assessment with the given indicator results {code: (dimension, status)}."""
    on = on or dt.date.today() - dt.timedelta(days=1)
    Assessment.objects.filter(household=household, is_latest=True).update(is_latest=False)
    return Assessment.objects.create(
        household=household,
        indicator_set=IndicatorSet.objects.get(is_current=True),
        assessed_on=on,
        indicator_results={
            code: {"dimension": dimension, "status": status, "reason": "", "params": {}}
            for code, (dimension, status) in results.items()
        },
        is_latest=True,
    )
