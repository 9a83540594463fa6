"""Words for the engine's codes: reasons of results, answer problems, statuses, progress. Thai by default."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

STATUS_WORDS = {
    "pass": gettext_lazy("passed"),
    "fail": gettext_lazy("failed"),
    "na": gettext_lazy("not applicable"),
}
PROGRESS_WORDS = {
    "improved": gettext_lazy("better"),
    "same": gettext_lazy("no change"),
    "worse": gettext_lazy("worse"),
}
VULNERABILITY_WORDS = {
    "young_children": gettext_lazy("young children"),
    "elderly": gettext_lazy("elderly people"),
    "disabled": gettext_lazy("people with disabilities"),
    "bedridden": gettext_lazy("bedridden people"),
    "low_income": gettext_lazy("low income"),
}


def _baht(value: Any) -> str:
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)


def reason_text(result: Mapping[str, Any], member_names: Mapping[str, str] | None = None) -> str:
    """Say why an indicator passed, failed or did not apply, in the active language."""
    reason, params = result.get("reason", ""), result.get("params") or {}
    names = member_names or {}
    if reason == "answered_yes":
        return _("The household answered yes.")
    if reason == "answered_no":
        return _("The household answered no.")
    if reason == "answer_accepted":
        return _("The answer meets the indicator.")
    if reason == "answer_not_accepted":
        return _("The answer does not meet the indicator.")
    if reason == "value_meets":
        return _("The answer is %(value)s; the indicator needs %(threshold)s.") % params
    if reason == "value_below":
        return _("The answer is %(value)s, below %(threshold)s.") % params
    if reason == "value_above":
        return _("The answer is %(value)s, above %(threshold)s.") % params
    if reason == "no_member_applies":
        return _("No member of the household is in the group this indicator is about.")
    if reason == "no_members":
        return _("The household has no members.")
    if reason == "all_members_meet":
        count = params.get("count", 0)
        return ngettext(
            "The one member it applies to meets it.", "All %(count)s members it applies to meet it.", count
        ) % {"count": count}
    if reason == "members_do_not_meet":
        people = ", ".join(names.get(str(key), _("member %(number)s") % {"number": key}) for key in params["members"])
        return _("Not met by: %(members)s.") % {"members": people}
    if reason == "income_meets":
        return _("Income is %(income)s baht per person per year; at least %(threshold)s is needed.") % {
            "income": _baht(params.get("income")),
            "threshold": _baht(params.get("threshold")),
        }
    if reason == "income_below":
        return _("Income is %(income)s baht per person per year, below %(threshold)s.") % {
            "income": _baht(params.get("income")),
            "threshold": _baht(params.get("threshold")),
        }
    return reason


def answer_problem_text(problem: str, limits: tuple[Any, Any] = (None, None)) -> str:
    """Say what is wrong with one answer."""
    if problem == "range":
        return _("Check the number: it must be between %(lowest)s and %(highest)s.") % {
            "lowest": f"{limits[0]:,}",
            "highest": f"{limits[1]:,}" if limits[1] is not None else "∞",
        }
    texts = {
        "required": _("Answer this question."),
        "boolean": _("Answer yes or no."),
        "number": _("Enter a number."),
        "negative": _("This cannot be below zero."),
        "choice": _("Choose one of the listed answers."),
    }
    return texts.get(problem, problem)


# The dimension badges of lists and histories: a short word each (five distinct ones, not initials that
# repeat), for the dimension keys of the sets we ship; a set with other keys shows the dimension's name.
DIMENSION_SHORT_WORDS = {
    "health": gettext_lazy("Health"),
    "living": gettext_lazy("Living"),
    "education": gettext_lazy("Schooling"),
    "income": gettext_lazy("Income"),
    "access": gettext_lazy("Services"),
}
