"""The New assessment form (members, then one step per dimension, a draft kept at every step) and the result page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pocketbook.accounts.http import AuthenticatedHttpRequest
from pocketbook.assessments import selectors, services
from pocketbook.assessments.facts import household_facts, snapshot_members
from pocketbook.assessments.forms import DimensionStepForm, MembersStepForm
from pocketbook.assessments.messages import PROGRESS_WORDS, STATUS_WORDS, VULNERABILITY_WORDS
from pocketbook.assessments.models import Assessment, IndicatorSet
from pocketbook.households.choices import EducationLevel
from pocketbook.households.models import Household
from pocketbook.households.selectors import household_get


def _household_or_404(request: AuthenticatedHttpRequest, household_id: int) -> Household:
    try:
        return household_get(viewer=request.user, pk=household_id)
    except Household.DoesNotExist:
        raise Http404 from None


def _require_assess(request: AuthenticatedHttpRequest) -> None:
    if not request.user.has_perm("assessments.add_assessment"):
        raise PermissionDenied


def _steps(indicator_set: IndicatorSet) -> list[str]:
    return [_("Members"), *indicator_set.dimension_names().values()]


def _education_choices() -> list[tuple[str, Any]]:
    return list(EducationLevel.choices)


@login_required
def assessment_new(request: AuthenticatedHttpRequest, household_id: int, step: int = 0) -> HttpResponse:
    """One step of the New assessment form; every valid step is kept in the server-side draft."""
    household = _household_or_404(request, household_id)
    _require_assess(request)
    draft = selectors.draft_get(household=household, author=request.user)
    try:
        indicator_set = draft.indicator_set if draft else selectors.indicator_set_current()
    except IndicatorSet.DoesNotExist:
        raise Http404 from None
    data: dict[str, Any] = dict(draft.data) if draft else {}
    reached = draft.step if draft else 0
    steps = _steps(indicator_set)
    if step > reached or step >= len(steps):
        return redirect(
            "assessments:assessment_new_step", household_id=household.pk, step=min(reached, len(steps) - 1)
        )
    members = selectors.members_for_assessment(viewer=request.user, household=household)
    names = {str(m.pk): (m.first_name or _("Member %(number)s") % {"number": i}) for i, m in enumerate(members, 1)}
    if request.method == "POST" and "back" in request.POST:
        return redirect("assessments:assessment_new_step", household_id=household.pk, step=max(step - 1, 0))
    if step == 0:
        form: Any = MembersStepForm(
            request.POST if request.method == "POST" else None,
            members=members,
            education_choices=_education_choices(),
            latest=selectors.latest_assessment(viewer=request.user, household=household),
            initial=MembersStepForm.initial_from(data, members, timezone.localdate()),
        )
    else:
        dimension = indicator_set.dimensions[step - 1]["key"]
        visit = data.get("assessed_on") or timezone.localdate().isoformat()
        snapshot = snapshot_members(members, data.get("members") or {})
        facts = household_facts(assessed_on=_date(visit), answers={"household": {}, "members": snapshot})
        form = DimensionStepForm(
            request.POST if request.method == "POST" else None,
            spec=selectors.indicator_set_spec(indicator_set),
            dimension=dimension,
            facts=facts,
            member_names=names,
        )
        form.initial_from(data)
    if request.method == "POST" and form.is_valid():
        if step == 0:
            data = {**data, **form.draft_data()}
            members_data = {
                key: {**(data.get("members") or {}).get(key, {}), **value}
                for key, value in form.draft_data()["members"].items()
            }
            data["members"] = members_data
        else:
            data = form.merge_into(data)
        last = step == len(steps) - 1
        services.draft_save(
            household=household,
            actor=request.user,
            indicator_set=indicator_set,
            step=max(reached, step + (0 if last else 1)),
            data=data,
        )
        if not last:
            return redirect("assessments:assessment_new_step", household_id=household.pk, step=step + 1)
        try:
            assessment = services.assessment_submit(
                household=household,
                assessed_on=_date(data["assessed_on"]),
                answers={"household": data.get("household") or {}, "members": data.get("members") or {}},
                actor=request.user,
                indicator_set=indicator_set,
                gps_lat=data.get("gps_lat"),
                gps_lng=data.get("gps_lng"),
            )
        except ValidationError as error:
            for message in _flat_messages(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("The assessment has been saved."))
            return redirect("assessments:assessment_detail", pk=assessment.pk)
    return render(
        request,
        "assessments/assessment_form.html",
        {
            "household": household,
            "form": form,
            "step": step,
            "steps": [{"number": i, "label": label, "reached": i <= reached} for i, label in enumerate(steps)],
            "step_label": steps[step],
            "is_last": step == len(steps) - 1,
            "indicator_set": indicator_set,
            "has_draft": draft is not None,
        },
    )


def _date(value: str) -> Any:
    import datetime as dt

    return dt.date.fromisoformat(value)


def _flat_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages_ in error.message_dict.values() for message in messages_]
    return list(error.messages)


@login_required
@require_POST
def assessment_discard(request: AuthenticatedHttpRequest, household_id: int) -> HttpResponse:
    """Throw away the draft and go back to the household."""
    household = _household_or_404(request, household_id)
    _require_assess(request)
    services.draft_discard(household=household, actor=request.user)
    messages.info(request, _("The draft has been thrown away."))
    return redirect("households:household_detail", pk=household.pk)


@login_required
def assessment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The result of one assessment: five dimensions, statuses, failed indicators in words, progress since the last."""
    try:
        assessment = selectors.assessment_open(viewer=request.user, pk=pk)
    except Assessment.DoesNotExist:
        raise Http404 from None
    names = selectors.member_names(viewer=request.user, household_id=assessment.household_id)
    lines = selectors.result_lines(assessment, names)
    progress = selectors.assessment_progress(assessment)
    previous = assessment.previous
    dimension_names = assessment.indicator_set.dimension_names()
    dimensions = [
        {
            "key": key,
            "name": dimension_names.get(key, key),
            "now": status,
            "before": previous.dimension_results.get(key) if previous else None,
            "direction": progress.dimensions.get(key) if progress else None,
        }
        for key, status in assessment.dimension_results.items()
    ]
    texts = {line.code: line for line in lines}
    changed = [
        {
            "line": texts.get(change.code),
            "code": change.code,
            "before": STATUS_WORDS.get(change.before or "", "—"),
            "after": STATUS_WORDS.get(change.after or "", "—"),
            "direction": change.direction,
            "direction_label": PROGRESS_WORDS[change.direction],
        }
        for change in (progress.changed if progress else ())
    ]
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "household": assessment.household,
            "dimensions": dimensions,
            "failed": [line for line in lines if line.status == "fail"],
            "lines": lines,
            "changed": changed,
            "progress": progress,
            "previous": previous,
            "status_words": STATUS_WORDS,
            "progress_words": PROGRESS_WORDS,
            "vulnerable_reasons": [VULNERABILITY_WORDS.get(r, r) for r in assessment.vulnerable_reasons],
            "can_assess": request.user.has_perm("assessments.add_assessment"),
        },
    )


@login_required
def assessment_history(request: AuthenticatedHttpRequest, household_id: int) -> HttpResponse:
    """Every assessment of one household, newest first."""
    household = _household_or_404(request, household_id)
    assessments = selectors.assessment_list(viewer=request.user, household_id=household.pk)[:200]
    return render(
        request,
        "assessments/assessment_history.html",
        {"household": household, "assessments": assessments, "statuses": selectors.latest_status_for([household])},
    )
