"""Re-scoring every household's latest assessment after a set's threshold is corrected."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from pocketbook.assessments import selectors, services
from pocketbook.assessments.models import Assessment
from pocketbook.assessments.tests.factories import VISIT, answers_for, couple_household

pytestmark = pytest.mark.django_db


def test_a_corrected_threshold_rescores_only_the_households_it_changes(volunteer):
    # given a rich and a poorer household (180,000 and 48,000 baht per person per year)
    rich, *rich_members = couple_household()
    poorer, head, spouse = couple_household()
    head.monthly_income = Decimal("4000")
    head.save()
    spouse.monthly_income = Decimal("4000")
    spouse.save()
    services.assessment_submit(household=rich, assessed_on=VISIT, answers=answers_for(*rich_members), actor=volunteer)
    services.assessment_submit(household=poorer, assessed_on=VISIT, answers=answers_for(head, spouse), actor=volunteer)
    assert Assessment.objects.get(household=poorer).dimension_results["income"] == "pass"
    # when an administrator raises the poverty line to 50,000 and re-scores
    current = selectors.indicator_set_current()
    current.thresholds = {**current.thresholds, "poor_income_per_person_per_year": 50000}
    current.save()
    call_command("rescore_assessments", batch_size=1)
    # then only the poorer household's results change
    poorer_result = Assessment.objects.get(household=poorer)
    assert poorer_result.dimension_results["income"] == "fail"
    assert poorer_result.failed_dimensions == 1
    assert poorer_result.is_poor is True
    assert poorer_result.indicator_results["bmn-22"]["params"] == {"income": 48000, "threshold": 50000}
    assert Assessment.objects.get(household=rich).is_poor is False
    from pocketbook.assessments.rescoring import rescore_latest

    report = rescore_latest(indicator_set=current, spec=current.spec())
    assert (report.households, report.changed) == (2, 0)
