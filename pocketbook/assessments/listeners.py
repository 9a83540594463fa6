"""Who is told when assessments change: registries higher apps (cases, reports) fill in `ready()`.

    assessment_submitted_register(needs_suggest)        # called with the Assessment, inside the submit
    assessments_rescored_register(aggregates_refresh)   # called with household ids, once per re-scoring batch

Listeners run inside the caller's transaction: an exception undoes the submission, so keep them small
and move slow work to a task enqueued in `transaction.on_commit`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pocketbook.assessments.models import Assessment
from pocketbook.core.registry import Listeners

AssessmentSubmittedListener = Callable[[Assessment], None]
AssessmentsRescoredListener = Callable[[Sequence[int]], None]

_submitted: Listeners[AssessmentSubmittedListener] = Listeners("assessment submitted")
_rescored: Listeners[AssessmentsRescoredListener] = Listeners("assessments rescored")


def assessment_submitted_register(listener: AssessmentSubmittedListener) -> None:
    """Call `listener(assessment)` after each submitted assessment's results and household status are stored."""
    _submitted.register(listener)


def assessments_rescored_register(listener: AssessmentsRescoredListener) -> None:
    """Call `listener(household_ids)` once per re-scoring batch with the households whose latest results changed."""
    _rescored.register(listener)


def assessment_submitted_unregister(listener: AssessmentSubmittedListener) -> None:
    """Remove a listener (for tests that register their own)."""
    _submitted.unregister(listener)


def assessments_rescored_unregister(listener: AssessmentsRescoredListener) -> None:
    """Remove a listener (for tests that register their own)."""
    _rescored.unregister(listener)


def assessment_submitted_notify(assessment: Assessment) -> None:
    """Tell every listener about a submitted assessment (called by `assessment_submit`)."""
    for listener in _submitted:
        listener(assessment)


def assessments_rescored_listening() -> bool:
    """Whether anyone listens to re-scoring (so the batches skip looking up household ids when nobody does)."""
    return bool(_rescored)


def assessments_rescored_notify(household_ids: Sequence[int]) -> None:
    """Tell every listener which households' latest results changed (called by the re-scoring batches)."""
    if not household_ids:
        return
    for listener in _rescored:
        listener(household_ids)
