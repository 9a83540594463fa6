"""The administrator's PDPA pages for one person: what is kept, export it, erase it (with a confirmation)."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pocketbook.accounts.http import AuthenticatedHttpRequest
from pocketbook.households import privacy, selectors
from pocketbook.households.models import Member


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I understand that this person's names, ID, birth date and other personal values are erased for good."
        ),
        error_messages={"required": gettext_lazy("Tick the box to confirm the erasure.")},
    )


def _member_for_privacy(request: AuthenticatedHttpRequest, pk: int) -> Member:
    """The member, for an administrator of their area; 404 outside it (as missing), 403 for other roles."""
    if not request.user.has_perm(privacy.ERASE_PERMISSION):
        raise PermissionDenied
    try:
        return selectors.member_get(viewer=request.user, pk=pk, action="delete")
    except Member.DoesNotExist:
        raise Http404 from None


@login_required
def member_privacy(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """What Pocketbook keeps about one person, with the export and erase actions."""
    member = _member_for_privacy(request, pk)
    return render(request, "households/member_privacy.html", {"member": member, "form": EraseForm()})


@login_required
@require_POST
def member_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Download everything kept about one person as JSON (the download is written to the access log)."""
    member = _member_for_privacy(request, pk)
    data = privacy.person_export(member=member, actor=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="person-{member.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def member_erase(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Erase one person after the administrator confirms; the anonymous record stays for statistics."""
    member = _member_for_privacy(request, pk)
    form = EraseForm(request.POST)
    if not form.is_valid():
        return render(request, "households/member_privacy.html", {"member": member, "form": form})
    privacy.person_erase(member=member, actor=request.user)
    messages.success(
        request, _("The person's personal data has been erased. The anonymous record stays for statistics.")
    )
    return redirect("households:household_detail", pk=member.household_id)
