"""Home, about, health check, date-input feedback and the friendly error pages."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from pocketbook.core.dates import DateInputError, parse_date_input
from pocketbook.core.forms import DATE_RULE_PARAMETERS, date_rules_check
from pocketbook.core.health import health_problems
from pocketbook.core.start import start_url_for

if TYPE_CHECKING:  # the logging settings import this module (by core.middleware) before the models can load
    from pocketbook.core.http import ViewerRequest

logger = logging.getLogger(__name__)


@login_required
def home(request: ViewerRequest) -> HttpResponse:
    """Send the signed-in user to the first start page that applies to them, else show the overview."""
    start_url = start_url_for(request.user)
    if start_url is not None:
        return redirect(start_url)
    return overview(request)


@login_required
def overview(request: ViewerRequest) -> HttpResponse:
    """Who the user is, their roles and areas, and where to go (reachable from the account menu)."""
    return render(request, "core/home.html", {"areas": request.user.areas(), "today": timezone.localdate()})


def about(request: HttpRequest) -> HttpResponse:
    """What Pocketbook is, and the credits for the data and fonts it uses."""
    return render(request, "core/about.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database can be written, the disk has room and every app's check passes; else 503 and why."""
    problems = health_problems()
    if problems:
        logger.error("Health check failed: %s", "; ".join(f"{name}: {reason}" for name, reason in problems.items()))
        return JsonResponse({"status": "error", "problems": problems}, status=503)
    return JsonResponse({"status": "ok"})


@require_POST
def date_understood(request: HttpRequest) -> HttpResponse:
    """Say how a typed date was understood (htmx feedback beside every date input).

    Posted, never in an address: the date typed may be a person's birth date, which must not reach access logs or
    the browser's history.
    """
    data = request.POST
    # The input sends itself under its own field name (the widget's hx-params): read whichever single value came.
    typed = (text for name, text in data.items() if name not in (*DATE_RULE_PARAMETERS, "csrfmiddlewaretoken"))
    value = str(data.get("value") or next(typed, ""))
    if not value.strip():
        return HttpResponse("")
    try:
        understood = parse_date_input(value)
        oldest = data.get("oldest_years", "")
        date_rules_check(
            understood.date,
            past_only=bool(data.get("past_only")),
            oldest_years=int(oldest) if oldest.isdigit() and len(oldest) < 5 else None,
        )
    except DateInputError as error:
        return render(request, "core/_date_feedback.html", {"error": str(error)})
    except ValidationError as error:
        return render(request, "core/_date_feedback.html", {"error": " ".join(error.messages)})
    return render(request, "core/_date_feedback.html", {"understood": understood.explanation()})


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin signs in through our own sign-in page (lock-out, two-factor); staff-less users get 403."""
    from django.core.exceptions import PermissionDenied
    from django.urls import reverse
    from django.utils.http import urlencode

    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect(reverse("accounts:login") + "?" + urlencode({"next": request.GET.get("next", "/admin/")}))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A missing or stale CSRF token: explain, change nothing, and log it."""
    logger.warning("CSRF check failed on %s: %s", request.path, reason)
    return render(
        request,
        "core/error.html",
        {
            "title": _("The form has expired"),
            "message": _(
                "For your safety the form could not be sent. Nothing was saved. "
                "Go back, reload the page and send the form again."
            ),
        },
        status=403,
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {"title": _("Page not found"), "message": _("There is no such page, or you may not see it.")},
        status=404,
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {"title": _("Not allowed"), "message": _("Your role may not use this page.")},
        status=403,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return bad_request_page(request, message=_("The request could not be understood. Nothing was saved."))


def bad_request_page(request: HttpRequest, *, message: str) -> HttpResponse:
    """The 400 page, saying what was wrong and that nothing was saved."""
    return render(request, "core/error.html", {"title": _("Bad request"), "message": message}, status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {
            "title": _("Something went wrong"),
            "message": _("The error has been logged. Nothing was saved. Please try again in a moment."),
            "request_id": getattr(request, "request_id", ""),
        },
        status=500,
    )
