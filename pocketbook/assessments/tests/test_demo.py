"""The demo: two rounds per household, some improving, deterministic and idempotent."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from pocketbook.assessments import demo
from pocketbook.assessments.models import Assessment
from pocketbook.assessments.tests.factories import couple_household
from pocketbook.core.dates import fiscal_year
from pocketbook.core.demo import DemoContext

pytestmark = pytest.mark.django_db


def context(users):
    return DemoContext(
        rng=random.Random(2566), province_code="92", size="default", households=10, users=users,
        village_codes=["92010101"], write=lambda text: None,
    )  # fmt: skip


def results():
    return sorted(
        (a.household.house_no, a.assessed_on, tuple(sorted(a.dimension_results.items())), a.failed_dimensions)
        for a in Assessment.objects.select_related("household")
    )


def test_demo_assesses_every_household_twice_and_running_again_changes_nothing(volunteer, administrator):
    # given ten households
    for _ in range(10):
        couple_household()
    users = {"volunteer": volunteer, "administrator": administrator}
    # when the demo runs twice
    demo.seed(context(users))
    first = results()
    demo.seed(context(users))
    # then two rounds each, nothing added the second time
    assert Assessment.objects.count() == 20
    assert results() == first
    assert Assessment.objects.filter(is_latest=True).count() == 10
    # and the same seed gives the same answers
    Assessment.objects.all().delete()
    demo.seed(context(users))
    assert results() == first


def test_demo_has_households_that_improve_and_households_that_do_not(volunteer, administrator):
    for _ in range(10):
        couple_household()
    demo.seed(context({"volunteer": volunteer, "administrator": administrator}))
    changes = [
        (latest.previous.failed_dimensions, latest.failed_dimensions)
        for latest in Assessment.objects.filter(is_latest=True).select_related("previous")
    ]
    assert any(after < before for before, after in changes)
    assert any(after >= before and before > 0 for before, after in changes)


def test_demo_rounds_lie_before_today_the_latest_within_the_last_twelve_months(volunteer, administrator):
    # given
    couple_household()
    today = timezone.localdate()
    # when
    demo.seed(context({"volunteer": volunteer, "administrator": administrator}))
    # then: the dashboards' "assessed in the last 12 months" and their fiscal-year trend have something to show
    first, latest = Assessment.objects.order_by("assessed_on").values_list("assessed_on", flat=True)
    assert latest == today - dt.timedelta(days=demo.SECOND_ROUND_DAYS_AGO)
    assert first == today - dt.timedelta(days=demo.FIRST_ROUND_DAYS_AGO)
    assert fiscal_year(first) < fiscal_year(latest)
