"""Listeners told of submitted and re-scored assessments (how cases and reports keep up)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from pocketbook.assessments import listeners, rescoring, services
from pocketbook.assessments.models import Assessment
from pocketbook.assessments.tests.factories import VISIT, answers_for, couple_household
from pocketbook.assessments.tests.test_rescoring import _poorer_household, _raise_poverty_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def told():
    """Register a listener of each kind for one test; the list collects what they were told."""
    calls: list[tuple[str, object]] = []

    def submitted(assessment: Assessment) -> None:
        calls.append(("submitted", (assessment.pk, assessment.is_latest, assessment.failed_dimensions)))

    def rescored(household_ids) -> None:
        calls.append(("rescored", list(household_ids)))

    listeners.assessment_submitted_register(submitted)
    listeners.assessments_rescored_register(rescored)
    yield calls
    listeners.assessment_submitted_unregister(submitted)
    listeners.assessments_rescored_unregister(rescored)


def test_a_listener_registered_twice_is_told_once(volunteer):
    calls: list[int] = []

    def listener(assessment: Assessment) -> None:
        calls.append(assessment.pk)

    listeners.assessment_submitted_register(listener)
    listeners.assessment_submitted_register(listener)  # as when an app's ready() runs again
    try:
        home, head, spouse = couple_household()
        assessment = services.assessment_submit(
            household=home, assessed_on=VISIT, answers=answers_for(head, spouse), actor=volunteer
        )
    finally:
        listeners.assessment_submitted_unregister(listener)
    assert calls == [assessment.pk]


def test_submitting_tells_the_listeners_with_the_stored_results(volunteer, told):
    home, head, spouse = couple_household()
    assessment = services.assessment_submit(
        household=home, assessed_on=VISIT, answers=answers_for(head, spouse), actor=volunteer
    )
    assert told == [("submitted", (assessment.pk, True, 0))]


def test_a_refused_submission_tells_nobody(volunteer, told):
    home, head, spouse = couple_household()
    answers = answers_for(head, spouse)
    answers["household"] = {}
    with pytest.raises(ValidationError):
        services.assessment_submit(household=home, assessed_on=VISIT, answers=answers, actor=volunteer)
    assert told == []


def test_rescoring_tells_the_listeners_which_households_changed_once_per_batch(volunteer, told):
    # given three assessed households
    households = sorted(_poorer_household(volunteer)[0].pk for _ in range(3))
    told.clear()
    # when the poverty line is raised (every income indicator now shows the new threshold) and all is re-scored
    current = _raise_poverty_line(50000)
    call_command("rescore_assessments", batch_size=2)
    # then the listener heard once per batch, of the households that batch changed
    assert told == [("rescored", households[:2]), ("rescored", households[2:])]
    # and a second run changes nothing and tells nobody
    told.clear()
    assert rescoring.rescore_latest(indicator_set=current).changed == 0
    assert told == []
