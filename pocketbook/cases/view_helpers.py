"""What the cases pages share: reading an id from a form, going back to the case, running one posted action."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from pocketbook.cases.models import Case

PAGE_SIZE = 25


def int_or_none(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) < 19 else None


def case_redirect(case: Case, anchor: str = "") -> HttpResponse:
    return redirect(reverse("cases:case_detail", args=[case.pk]) + (f"#{anchor}" if anchor else ""))


def post_action(
    request: HttpRequest, case: Case, action: Callable[[], object], success: str, anchor: str = ""
) -> HttpResponse:
    """Run a service for a small form on the case page; show its error as a message and go back to the case."""
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return case_redirect(case, anchor)
