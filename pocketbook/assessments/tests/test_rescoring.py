"""Re-scoring every household's latest assessment after a set's threshold is corrected."""

from __future__ import annotations

import datetime as dt
import json
import logging
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from pocketbook.assessments import rescoring, selectors, services
from pocketbook.assessments.bulk_scoring import dump_json, score_rows
from pocketbook.assessments.models import Assessment, IndicatorSet
from pocketbook.assessments.tests.factories import VISIT, answers_for, couple_household
from pocketbook.audit.models import ObjectChange

pytestmark = pytest.mark.django_db

RESULT_FIELDS = (
    "indicator_results", "dimension_results", "failed_dimensions", "income_per_person_per_year", "is_poor",
    "is_targeted_poor", "is_vulnerable", "vulnerable_reasons", "is_self_reliant", "results_digest",
)  # fmt: skip


def _poorer_household(volunteer, *, monthly_income: str = "4000", assessed_on: dt.date = VISIT):
    """A couple earning 4,000 baht a month each (48,000 per person per year), assessed once."""
    home, head, spouse = couple_household()
    for member in (head, spouse):
        member.monthly_income = Decimal(monthly_income)
        member.save()
    answers = answers_for(head, spouse)
    services.assessment_submit(household=home, assessed_on=assessed_on, answers=answers, actor=volunteer)
    return home, answers


def _raise_poverty_line(amount: int) -> IndicatorSet:
    current = selectors.indicator_set_current()
    current.thresholds = {**current.thresholds, "poor_income_per_person_per_year": amount}
    current.save()
    return current


def _results(assessment: Assessment) -> dict:
    assessment.refresh_from_db()
    return {field: getattr(assessment, field) for field in RESULT_FIELDS}


def test_a_corrected_threshold_rescores_only_the_households_it_changes(volunteer):
    # given a rich and a poorer household (180,000 and 48,000 baht per person per year)
    rich, *rich_members = couple_household()
    services.assessment_submit(household=rich, assessed_on=VISIT, answers=answers_for(*rich_members), actor=volunteer)
    poorer, _answers = _poorer_household(volunteer)
    rich_before = _results(Assessment.objects.get(household=rich))
    assert Assessment.objects.get(household=poorer).dimension_results["income"] == "pass"
    # when an administrator raises the poverty line to 50,000 and re-scores
    current = _raise_poverty_line(50000)
    call_command("rescore_assessments", batch_size=1)
    # then the poorer household's results change
    poorer_result = Assessment.objects.get(household=poorer)
    assert poorer_result.dimension_results["income"] == "fail"
    assert poorer_result.failed_dimensions == 1
    assert poorer_result.is_poor is True
    assert poorer_result.indicator_results["bmn-22"]["params"] == {"income": 48000, "threshold": 50000}
    # and the rich one keeps its pass, with the new threshold in its income indicator
    rich_after = _results(Assessment.objects.get(household=rich))
    assert rich_after["is_poor"] is False
    assert rich_after["indicator_results"]["bmn-22"]["params"] == {"income": 180000, "threshold": 50000}
    assert {k: v for k, v in rich_after.items() if k not in ("indicator_results", "results_digest")} == {
        k: v for k, v in rich_before.items() if k not in ("indicator_results", "results_digest")
    }
    # and a second run changes nothing
    report = rescoring.rescore_latest(indicator_set=current)
    assert (report.households, report.changed, report.workers) == (2, 0, 1)


def test_only_households_whose_results_change_are_written(volunteer):
    # given two households assessed under the shipped set
    _poorer_household(volunteer)
    _poorer_household(volunteer, monthly_income="15000")
    current = selectors.indicator_set_current()
    stamps = dict(Assessment.objects.values_list("id", "updated_at"))
    # when the set is re-scored without any correction
    report = rescoring.rescore_latest(indicator_set=current)
    # then nothing is written
    assert (report.households, report.changed) == (2, 0)
    assert dict(Assessment.objects.values_list("id", "updated_at")) == stamps


def test_a_rescored_assessment_holds_what_a_fresh_submission_would(volunteer):
    # given a household assessed before the poverty line was corrected
    home, answers = _poorer_household(volunteer)
    old = Assessment.objects.get(household=home)
    # when the line is raised and the set re-scored
    _raise_poverty_line(50000)
    rescoring.rescore_latest(indicator_set=selectors.indicator_set_current())
    # then its stored results are exactly those of the same answers submitted under the corrected set
    fresh = services.assessment_submit(household=home, assessed_on=VISIT, answers=answers, actor=volunteer)
    expected = _results(fresh)
    expected["is_self_reliant"] = False  # the fresh one has a previous assessment; the re-scored one has none
    assert _results(old) == expected
    assert expected["failed_dimensions"] == 1


def test_only_the_latest_assessment_is_rescored_and_links_and_latest_flags_stay(volunteer):
    # given a household assessed twice (both visits pass every dimension: self-reliant at the second)
    home, answers = _poorer_household(volunteer)
    second = services.assessment_submit(
        household=home, assessed_on=VISIT + dt.timedelta(days=180), answers=answers, actor=volunteer
    )
    first = Assessment.objects.get(household=home, is_latest=False)
    first_before = _results(first)
    assert second.is_self_reliant is True
    # when the poverty line is raised above the household's income and the set re-scored
    _raise_poverty_line(50000)
    report = rescoring.rescore_latest(indicator_set=selectors.indicator_set_current())
    # then the latest fails the income dimension and is no longer self-reliant; the first keeps its results
    assert (report.households, report.changed) == (1, 1)
    second.refresh_from_db()
    assert (second.failed_dimensions, second.is_poor, second.is_self_reliant) == (1, True, False)
    assert (second.is_latest, second.previous_id) == (True, first.pk)
    assert _results(first) == first_before
    assert first.is_latest is False


def test_self_reliance_reads_the_previous_assessment_when_rescoring(volunteer):
    # given a household that failed income at its first visit (line 50,000) and passed at its second (line 38,000)
    _raise_poverty_line(50000)
    home, answers = _poorer_household(volunteer)
    current = _raise_poverty_line(38000)
    second = services.assessment_submit(
        household=home, assessed_on=VISIT + dt.timedelta(days=180), answers=answers, actor=volunteer
    )
    assert (second.failed_dimensions, second.is_self_reliant) == (0, False)
    # when the set is re-scored at 38,000
    report = rescoring.rescore_latest(indicator_set=current)
    # then the previous failure still rules out self-reliance, and nothing changed
    assert report.changed == 0
    second.refresh_from_db()
    assert second.is_self_reliant is False


def test_scoring_in_worker_processes_gives_the_same_results(volunteer):
    # given three households, two of them poor under the corrected line
    homes = [_poorer_household(volunteer, monthly_income=income)[0] for income in ("3000", "4000", "15000")]
    current = _raise_poverty_line(50000)
    # when one copy is re-scored in this process and the same data in two worker processes
    in_process = rescoring.rescore_latest(indicator_set=current, workers=1, batch_size=1)
    results = [_results(Assessment.objects.get(household=home)) for home in homes]
    Assessment.objects.update(results_digest="")
    pooled = rescoring.rescore_latest(indicator_set=current, workers=2, batch_size=1)
    # then both runs read and wrote the same, with the same results
    assert (in_process.households, in_process.changed, in_process.workers) == (3, 3, 1)
    assert (pooled.households, pooled.changed, pooled.workers) == (3, 3, 2)
    assert [_results(Assessment.objects.get(household=home)) for home in homes] == results


def test_a_run_is_audited_once_and_logged_with_its_counts(volunteer, caplog):
    # given two households, one assessed before the poverty line was corrected and one after
    _poorer_household(volunteer)
    current = _raise_poverty_line(50000)
    _poorer_household(volunteer, monthly_income="15000")
    assessment_changes = ObjectChange.objects.filter(content_type__model="assessment").count()
    # when the set is re-scored
    with caplog.at_level(logging.INFO, logger="pocketbook.assessments.rescoring"):
        rescoring.rescore_latest(indicator_set=current, actor=None)
    # then the set has one change entry, the assessments none, and one log line says what happened
    change = ObjectChange.objects.filter(content_type__model="indicatorset", object_id=str(current.pk)).latest("id")
    assert (change.action, change.user_name) == ("update", "system")
    assert ObjectChange.objects.filter(content_type__model="assessment").count() == assessment_changes
    messages = [r.getMessage() for r in caplog.records if r.name == "pocketbook.assessments.rescoring"]
    assert len(messages) == 1
    assert messages[0].startswith(
        "re-scored indicator set bmn-2560-2564-tpmap17: 2 households, 1 changed, 0 unscorable, 1 worker process(es), "
    )


def test_the_command_reports_counts_and_refuses_a_missing_set_or_zero_workers(volunteer):
    # given one household under a corrected line
    _poorer_household(volunteer)
    _raise_poverty_line(50000)
    changes = ObjectChange.objects.count()
    # when an unknown set or zero workers is asked for, then it refuses and writes nothing
    with pytest.raises(CommandError, match="No indicator set no-such-set"):
        call_command("rescore_assessments", set="no-such-set")
    with pytest.raises(CommandError, match="--workers must be 1 or more"):
        call_command("rescore_assessments", workers=0)
    assert ObjectChange.objects.count() == changes
    assert Assessment.objects.get().is_poor is False
    # when the current set is named, then it re-scores and says how many changed
    from io import StringIO

    out = StringIO()
    call_command("rescore_assessments", set="bmn-2560-2564-tpmap17", stdout=out)
    assert "Re-scored 1 households under bmn-2560-2564-tpmap17 in " in out.getvalue()
    assert out.getvalue().rstrip().endswith("(1 scoring process(es)); 1 results changed.")
    assert Assessment.objects.get().is_poor is True


def test_score_rows_reads_json_text_or_data_and_skips_unchanged_digests():
    # given a stored row as the database gives it (answers as JSON text, date as text) and as data
    spec = selectors.indicator_set_spec(selectors.indicator_set_current())
    answers = {
        "household": {"hygienic_food": True, "proper_medicine_use": True, "secure_durable_house": True,
                      "drinking_water_enough": True, "household_water_enough": True, "tidy_house": False},
        "members": {"7": {"birth_date": "1980-02-01", "monthly_income": "5000.50", "literate": True,
                          "exercises": True, "has_occupation_and_income": True}},
    }  # fmt: skip
    as_text = (1, "2024-06-01", json.dumps(answers), 0, "")
    as_data = (2, dt.date(2024, 6, 1), answers, 0, "")
    # when they are scored
    scored = score_rows(spec, [as_text, as_data])
    assert (scored.households, scored.unscorable) == (2, [])
    first, second = scored.updates
    # then both give the same results, written as JSON text with the id last
    assert first[:-1] == second[:-1]
    assert (first[-1], second[-1]) == (1, 2)
    row = dict(zip(rescoring.COLUMNS, first, strict=False))
    assert json.loads(row["dimension_results"])["living"] == "fail"
    assert (row["failed_dimensions"], row["income_per_person_per_year"], row["is_poor"]) == (1, "60006.00", True)
    assert json.loads(row["vulnerable_reasons"]) == ["low_income"]
    # and a row whose stored digest matches is not returned
    assert score_rows(spec, [(3, "2024-06-01", json.dumps(answers), 0, row["results_digest"])]).updates == []


def test_dump_json_writes_decimals_and_dates_as_django_stores_them():
    assert dump_json({"a": Decimal("1.50"), "b": dt.date(2024, 1, 2), "c": "ไทย"}) == (
        '{"a":"1.50","b":"2024-01-02","c":"ไทย"}'
    )
    with pytest.raises(TypeError):
        dump_json({"a": object()})


def test_an_assessment_that_cannot_be_scored_is_reported_and_left_while_the_others_are_rescored(volunteer):
    # given two households, one of whose stored answers lost a question the set needs
    broken_home, _answers = _poorer_household(volunteer)
    other_home, _answers = _poorer_household(volunteer)
    broken = Assessment.objects.get(household=broken_home)
    del broken.answers["household"]["tidy_house"]
    broken.save(update_fields=["answers"])
    broken_before = _results(broken)
    _raise_poverty_line(50000)
    # when the set is re-scored from the command
    from io import StringIO

    err = StringIO()
    call_command("rescore_assessments", stdout=StringIO(), stderr=err)
    # then the other household is re-scored, the broken one keeps its results and is named
    assert Assessment.objects.get(household=other_home).is_poor is True
    assert _results(broken) == broken_before
    assert err.getvalue().strip() == (
        f"1 assessments could not be scored and keep their results (the log lists the first ones): {broken.pk}"
    )
    report = rescoring.rescore_latest(indicator_set=selectors.indicator_set_current())
    assert (report.households, report.changed, report.unscorable) == (
        2, 0, ((broken.pk, "missing answer household.tidy_house"),)
    )  # fmt: skip
