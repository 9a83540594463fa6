"""The referral pages: refer a case to an agency, revoke, print the letter, and the agency's reply page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from pocketbook.accounts.http import AuthenticatedHttpRequest
from pocketbook.cases import letters, reply_links, selectors, services
from pocketbook.cases.choices import ReplyAction
from pocketbook.cases.forms import (
    ReferralForm,
    ReplyForm,
    apply_service_error,
)
from pocketbook.cases.view_helpers import case_redirect, int_or_none, post_action


@login_required
@require_http_methods(["GET", "POST"])
def referral_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Refer the case to an agency; asks for a reason without consent and a confirmation outside the area."""
    case = selectors.case_get(viewer=request.user, pk=pk, action="change")
    if not request.user.has_perm("cases.add_referral"):
        raise PermissionDenied
    form = ReferralForm(request.POST or None, case=case, initial={"agency": int_or_none(request.GET.get("agency"))})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_create(
                case=case,
                agency=data["agency"],
                need=data["need"],
                request=data["request"],
                consent_override_reason=data["consent_override_reason"],
                confirm_outside_area=data["confirm_outside_area"],
                actor=request.user,
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Referral sent. Print the letter for the agency."))
            return case_redirect(case, f"referral-{referral.pk}")
    return render(
        request,
        "cases/referral_form.html",
        {"case": case, "form": form, "has_consent": services.household_consents_to_sharing(case.household)},
    )


@login_required
@require_POST
def referral_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_get(viewer=request.user, pk=pk, action="change")
    reason = request.POST.get("reason", "")
    return post_action(
        request,
        referral.case,
        lambda: services.referral_revoke(referral=referral, reason=reason, actor=request.user),
        _("Referral revoked."),
        "referrals",
    )


@login_required
def referral_letter(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The referral letter as a Thai A4 PDF with the reply QR code."""
    referral = selectors.referral_get(viewer=request.user, pk=pk)
    pdf = letters.referral_letter_pdf(referral, reply_url=reply_links.reply_url(referral, request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="referral-{referral.pk}.pdf"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def referral_reply(request: HttpRequest, token: str) -> HttpResponse:
    """The agency's reply page (no login): the minimum about the household, and the answer form."""
    referral, why = reply_links.referral_for_token(token[:500])
    if referral is None:
        reply_links.link_use_log(request=request, referral=None, action=ReplyAction.REFUSED, detail=why)
        return render(request, "cases/reply_refused.html", {"why": why}, status=410 if why == "expired" else 404)
    answerable = referral.status in services.ANSWERS
    form = ReplyForm(request.POST or None)
    if request.method == "POST":
        if not answerable:
            reply_links.link_use_log(
                request=request, referral=referral, action=ReplyAction.REFUSED, detail=referral.status
            )
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.referral_answer(
                    referral=referral,
                    status=data["status"],
                    answered_by_name=data["answered_by_name"],
                    reason=data["reason"],
                    note=data["note"],
                )
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                reply_links.link_use_log(
                    request=request, referral=referral, action=ReplyAction.ANSWERED, detail=data["status"]
                )
                return redirect("cases:referral_reply", token=token)
        if answerable:  # an answer that did not go through: logged as a view with the reason
            reply_links.link_use_log(request=request, referral=referral, action=ReplyAction.VIEWED, detail="invalid")
    else:
        reply_links.link_use_log(request=request, referral=referral, action=ReplyAction.VIEWED)
    referral.refresh_from_db()
    return render(
        request,
        "cases/reply.html",
        {
            **letters.reply_facts(referral),
            "referral": referral,
            "form": form,
            "answerable": referral.status in services.ANSWERS,
        },
    )
