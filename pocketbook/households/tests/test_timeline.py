"""The household timeline's kinds: registered by the app that writes them, seen by those allowed.

These tests register a pretend app's kinds; the installed apps' own are the project's wiring (tests/test_wiring.py).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from pocketbook.households import selectors
from pocketbook.households.choices import EventKind
from pocketbook.households.models import HouseholdEvent
from pocketbook.households.tests.factories import HouseholdFactory
from pocketbook.households.timeline import (
    TimelineKind,
    describe,
    timeline_kind_get,
    timeline_kind_register,
    timeline_kind_unregister,
    timeline_record,
    timeline_record_many,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_kinds():
    """A pretend cases app's kinds: one anyone who sees the household sees, one for holders of a permission."""
    timeline_kind_register(TimelineKind("pretend_case_opened", "Case opened", permission=None))
    timeline_kind_register(TimelineKind("pretend_case_note", "Case note", permission="households.unmask_national_id"))
    yield
    timeline_kind_unregister("pretend_case_opened")
    timeline_kind_unregister("pretend_case_note")


def test_households_registers_the_kinds_it_writes():
    assert all(timeline_kind_get(kind) is not None for kind in EventKind.values)


def test_a_kind_registered_twice_is_refused(case_kinds):
    with pytest.raises(ImproperlyConfigured, match="pretend_case_opened"):
        timeline_kind_register(TimelineKind("pretend_case_opened", "again"))
    assert timeline_kind_get("pretend_case_opened") == TimelineKind("pretend_case_opened", "Case opened")


def test_an_unregistered_kind_cannot_be_written(volunteer):
    household = HouseholdFactory(area_code="92010101")
    with pytest.raises(ImproperlyConfigured, match="no_app_writes_this"):
        timeline_record(household=household, kind="no_app_writes_this", actor=volunteer)
    assert HouseholdEvent.objects.count() == 0


def test_timeline_record_writes_the_entry_with_its_time(volunteer, case_kinds):
    household = HouseholdFactory(area_code="92010101")
    when = timezone.make_aware(dt.datetime(2025, 3, 1, 9, 30))
    event = timeline_record(
        household=household, kind="pretend_case_opened", params={"case_id": 4}, actor=volunteer, occurred_at=when
    )
    event.refresh_from_db()
    assert (event.kind, event.params, event.actor, event.time) == (
        "pretend_case_opened",
        {"case_id": 4},
        volunteer,
        when,
    )
    assert describe(event) == "Case opened"


def test_timeline_record_many_writes_one_entry_per_household_in_one_statement(
    volunteer, case_kinds, django_assert_num_queries
):
    # given three households and one left out
    households = HouseholdFactory.create_batch(3, area_code="92010101")
    left_out = HouseholdFactory(area_code="92010101")
    when = timezone.make_aware(dt.datetime(2025, 3, 1, 9, 30))
    # when the same entry is written on the three
    with django_assert_num_queries(1):
        written = timeline_record_many(
            household_ids=[h.pk for h in households],
            kind="case_opened",
            params={"case_id": 4},
            actor=volunteer,
            occurred_at=when,
        )
    # then each of them has it, with its parameters, actor and time, and the fourth has none
    assert written == 3
    rows = HouseholdEvent.objects.order_by("household_id").values_list(
        "household_id", "kind", "params", "actor", "time"
    )
    assert list(rows) == [(h.pk, "case_opened", {"case_id": 4}, volunteer.pk, when) for h in households]
    assert not HouseholdEvent.objects.filter(household=left_out).exists()
    # and the timeline reads them as any other entry
    assert [describe(e) for e in selectors.household_timeline(viewer=volunteer, household=households[0])] == [
        "Case opened"
    ]


def test_timeline_record_many_refuses_an_unregistered_kind(volunteer):
    household = HouseholdFactory(area_code="92010101")
    with pytest.raises(ImproperlyConfigured, match="no_app_writes_this"):
        timeline_record_many(household_ids=[household.pk], kind="no_app_writes_this", actor=volunteer)
    assert HouseholdEvent.objects.count() == 0


def test_timeline_record_many_of_no_households_writes_nothing(volunteer, case_kinds, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert timeline_record_many(household_ids=[], kind="case_opened", actor=volunteer) == 0


def test_the_timeline_shows_each_viewer_only_the_kinds_they_may_see(client, volunteer, social_worker, case_kinds):
    # given a household with an entry anyone may see and one for holders of a permission volunteers lack
    household = HouseholdFactory(area_code="92010101")
    timeline_record(household=household, kind="pretend_case_opened", params={"case_id": 4}, actor=social_worker)
    timeline_record(household=household, kind="pretend_case_note", params={"case_id": 4}, actor=social_worker)
    # then the selector gives the volunteer the first only, the social worker both
    assert [e.kind for e in selectors.household_timeline(viewer=volunteer, household=household)] == [
        "pretend_case_opened"
    ]
    assert [e.kind for e in selectors.household_timeline(viewer=social_worker, household=household)] == [
        "pretend_case_note",
        "pretend_case_opened",
    ]
    # and so does the page
    client.force_login(volunteer)
    page = client.get(reverse("households:household_detail", args=[household.pk])).content.decode()
    assert "Case opened" in page
    assert "Case note" not in page
