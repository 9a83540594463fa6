"""The pocketbook pages: my households, the household page, and the forms for households, members and consent."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import push_url

from pocketbook.accounts.http import AuthenticatedHttpRequest
from pocketbook.core.search import search_params, search_text
from pocketbook.geo.selectors import VILLAGE_TEXT_MAX_LENGTH, area_get, areas_get
from pocketbook.households import selectors, services, timeline
from pocketbook.households.choices import MemberStatus
from pocketbook.households.forms import (
    ConsentForm,
    ConsentWithdrawForm,
    HouseholdForm,
    HouseholdPhotoForm,
    MemberEndForm,
    MemberForm,
    MemberMoveForm,
)
from pocketbook.households.models import Household, HouseholdEvent, HouseholdPhoto, Member
from pocketbook.households.sections import badges_for, household_actions_for, sections_for

logger = logging.getLogger(__name__)
PAGE_SIZE = 30
MAX_PAGE = 100_000  # beyond any real caseload; larger numbers would overflow the SQL OFFSET


def _household_or_404(request: AuthenticatedHttpRequest, pk: int, action: str = "view") -> Household:
    try:
        return selectors.household_get(viewer=request.user, pk=pk, action=action)
    except Household.DoesNotExist:
        raise Http404 from None


def _member_or_404(request: AuthenticatedHttpRequest, pk: int, action: str = "view", *, shown_as: str = "") -> Member:
    """The member, or 404; `shown_as` names the page when the person's record is shown (access log)."""
    try:
        if shown_as and request.method == "GET":
            return selectors.member_open(viewer=request.user, pk=pk, action=action, purpose=shown_as)
        return selectors.member_get(viewer=request.user, pk=pk, action=action)
    except Member.DoesNotExist:
        raise Http404 from None


def _require(request: AuthenticatedHttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _errors_to_form(form: BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError beside the fields it names (or on top of the form)."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _list_url(*, search: str, show_all: bool, village: str = "", page: int = 1) -> str:
    params = search_params(search)
    if show_all:
        params["all"] = "1"
    if village:
        params["village"] = village  # a village's name or number is no one's personal data
    if page > 1:
        params["page"] = str(page)
    return reverse("households:household_list") + ("?" + urlencode(params) if params else "")


@login_required
def household_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My households: the caseload, searchable by name, house number or national ID.

    Searches are posted, and links carry them encrypted, so names and national IDs never reach web
    server logs, browser history or Referer headers in clear.
    """
    _require(request, "households.view_household")
    search = search_text(request)
    data = request.POST if request.method == "POST" else request.GET
    is_volunteer = request.user.has_role("volunteer") and not request.user.is_superuser
    wants_all = data.get("all") == "1"
    show_all = wants_all or not is_volunteer
    village = " ".join(data.get("village", "").split())[:VILLAGE_TEXT_MAX_LENGTH]
    if request.method == "POST" and not request.htmx:
        return redirect(_list_url(search=search, show_all=wants_all, village=village))
    try:
        page = min(max(1, int(request.GET.get("page", "1"))), MAX_PAGE)
    except ValueError:
        page = 1
    households = selectors.household_list(viewer=request.user, search=search, village=village, mine_only=not show_all)
    rows = list(households[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    badges = badges_for(viewer=request.user, households=rows)
    areas = areas_get({household.area_code for household in rows})
    items = [{"household": h, "badges": badges[h.pk], "area": areas.get(h.area_code), "head": h.head} for h in rows]
    context = {
        "items": items,
        "search": search,
        "previous_url": _list_url(search=search, show_all=wants_all, village=village, page=page - 1),
        "next_url": _list_url(search=search, show_all=wants_all, village=village, page=page + 1),
        "mine_url": _list_url(search=search, show_all=False, village=village),
        "all_url": _list_url(search=search, show_all=True, village=village),
        "village": village,
        "show_all": show_all,
        "is_volunteer": is_volunteer,
        "page": page,
        "has_next": has_next,
        "can_add": request.user.has_perm("households.add_household"),
    }
    if request.htmx:
        response = render(request, "households/_household_rows.html", context)
        return push_url(response, _list_url(search=search, show_all=wants_all, village=village))
    return render(request, "households/household_list.html", context)


def _timeline_rows(events_: list[HouseholdEvent], members: dict[int, Member]) -> list[dict[str, Any]]:
    rows = []
    for event in events_:
        member_id = event.params.get("member_id") if isinstance(event.params, dict) else None
        member = members.get(member_id) if isinstance(member_id, int) else None
        rows.append({"event": event, "text": timeline.describe(event), "member": member})
    return rows


@login_required
def household_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The pocketbook: members, the assessments' five dimensions, photos, the timeline."""
    household = _household_or_404(request, pk)
    return _detail_page(request, household)


def _detail_page(
    request: AuthenticatedHttpRequest, household: Household, photo_form: HouseholdPhotoForm | None = None
) -> HttpResponse:
    pk = household.pk
    selectors.household_open(viewer=request.user, pk=pk)
    all_members = list(selectors.member_list(viewer=request.user, household=household, include_former=True))
    active = [m for m in all_members if m.status == MemberStatus.ACTIVE]
    former = [m for m in all_members if m.status != MemberStatus.ACTIVE]
    sections = sections_for(viewer=request.user, household=household)
    timeline = selectors.household_timeline(viewer=request.user, household=household)
    can_change = request.user.has_perm("households.change_household")
    return render(
        request,
        "households/household_detail.html",
        {
            "household": household,
            "area": area_get(household.area_code),
            "members": active,
            "former_members": former,
            "consent": selectors.consent_current(viewer=request.user, household=household),
            "sections": [{"section": section, "context": context} for section, context in sections],
            "timeline": _timeline_rows(timeline, {m.pk: m for m in all_members}),
            "can_change": can_change,
            "actions": household_actions_for(viewer=request.user, household=household),
            "can_add_member": can_change and request.user.has_perm("households.add_member"),
            "can_unmask": request.user.has_perm(services.UNMASK_PERMISSION),
            "can_erase": request.user.has_perm("households.delete_member"),
            "photos": selectors.household_photos(viewer=request.user, household=household),
            "photo_form": photo_form or HouseholdPhotoForm(prefix="p"),
        },
    )


@login_required
@require_POST
def photo_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Keep a photo of the home (only with consent)."""
    household = _household_or_404(request, pk, "change")
    _require(request, "households.change_household")
    form = HouseholdPhotoForm(request.POST, request.FILES, prefix="p")
    if form.is_valid():
        try:
            services.household_photo_add(
                household=household,
                file=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
                taken_on=form.cleaned_data["taken_on"],
                actor=request.user,
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The photo has been saved."))
            return redirect(reverse("households:household_detail", args=[household.pk]) + "#photos")
    logger.info("household %s: photo refused: %s", household.pk, form.errors.get_json_data())
    return _detail_page(request, household, photo_form=form)


@login_required
def photo(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """Stream one photo to someone who may see its household; never from a public URL."""
    try:
        found = selectors.household_photo_open(viewer=request.user, pk=pk)
        stream = found.image.open("rb")
    except (HouseholdPhoto.DoesNotExist, FileNotFoundError):
        raise Http404 from None
    extension = (found.image.name or "").rsplit(".", 1)[-1]
    content_type = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}.get(extension, "image/jpeg")
    response = FileResponse(stream, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def photo_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Delete a photo of the home."""
    _require(request, "households.change_household")
    try:
        found = selectors.household_photo_get(viewer=request.user, pk=pk, action="change")
    except HouseholdPhoto.DoesNotExist:
        raise Http404 from None
    services.household_photo_remove(photo=found, actor=request.user)
    messages.success(request, _("The photo has been removed."))
    return redirect(reverse("households:household_detail", args=[found.household_id]) + "#photos")


@login_required
def household_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Register a household, with or without consent."""
    _require(request, "households.add_household")
    form = HouseholdForm(request.POST or None, prefix="h")
    consent_form = ConsentForm(request.POST or None, prefix="c")
    if request.method == "POST" and form.is_valid() & consent_form.is_valid():
        try:
            household = services.household_create(
                data=form.to_input(), consent=consent_form.to_input(), actor=request.user
            )
        except ValidationError as error:
            _errors_to_form(consent_form if _names_consent(error) else form, error)
        else:
            messages.success(request, _("The household has been registered. Now add its members."))
            return redirect("households:household_detail", pk=household.pk)
    return render(
        request, "households/household_form.html", {"form": form, "consent_form": consent_form, "creating": True}
    )


def _names_consent(error: ValidationError) -> bool:
    return hasattr(error, "error_dict") and bool({"given_by_name", "purposes"} & set(error.error_dict))


@login_required
def household_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Change a household's place and contact details."""
    household = _household_or_404(request, pk, "change")
    initial = {name: getattr(household, name) for name in HouseholdForm.base_fields}
    form = HouseholdForm(request.POST or None, initial=initial, prefix="h")
    if not household.has_consent:
        for name in ("house_no", "address", "phone", "gps_lat", "gps_lng"):
            del form.fields[name]
    if request.method == "POST" and form.is_valid():
        data = form.to_input()
        try:
            services.household_update(household=household, data=data, actor=request.user)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The household has been saved."))
            return redirect("households:household_detail", pk=household.pk)
    return render(request, "households/household_form.html", {"form": form, "household": household})


@login_required
def consent_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record consent, or withdraw it (which erases the household's personal data)."""
    household = _household_or_404(request, pk, "change")
    _require(request, "households.change_consent")
    current = selectors.consent_current(viewer=request.user, household=household)
    withdrawing = request.POST.get("action") == "withdraw"
    consent_form = ConsentForm(request.POST if request.method == "POST" and not withdrawing else None, prefix="c")
    withdraw_form = ConsentWithdrawForm(request.POST if withdrawing else None, prefix="w")
    if request.method == "POST":
        if withdrawing and withdraw_form.is_valid():
            services.consent_withdraw(
                household=household, actor=request.user, reason=withdraw_form.cleaned_data["reason"]
            )
            messages.success(request, _("Consent withdrawn. The household's personal data has been erased."))
            return redirect("households:household_detail", pk=household.pk)
        if not withdrawing and consent_form.is_valid():
            consent = consent_form.to_input()
            if consent is None:
                consent_form.add_error("consent_given", _("To withdraw consent, use the button below."))
            else:
                try:
                    services.consent_record(household=household, consent=consent, actor=request.user)
                except ValidationError as error:
                    _errors_to_form(consent_form, error)
                else:
                    messages.success(request, _("Consent recorded."))
                    return redirect("households:household_detail", pk=household.pk)
    return render(
        request,
        "households/consent_form.html",
        {
            "household": household,
            "current": current,
            "history": selectors.consent_history(viewer=request.user, household=household),
            "consent_form": consent_form,
            "withdraw_form": withdraw_form,
        },
    )


@login_required
def member_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Add a person to the household."""
    household = _household_or_404(request, pk, "change")
    _require(request, "households.add_member")
    form = MemberForm(
        request.POST or None, anonymous=not household.has_consent, household_has_head=household.head is not None
    )
    duplicates: list[Member] = []
    hidden_duplicates = 0
    if request.method == "POST" and form.is_valid():
        try:
            services.member_add(
                household=household,
                data=form.to_input(),
                actor=request.user,
                duplicate_override_reason=form.cleaned_data["duplicate_override_reason"],
            )
        except services.PossibleDuplicate as warning:
            # The rule looks across the subdistrict; the details shown stop at the user's own areas.
            visible = selectors.member_ids_visible(viewer=request.user, pks=[m.pk for m in warning.matches])
            duplicates = [m for m in warning.matches if m.pk in visible]
            hidden_duplicates = len(warning.matches) - len(duplicates)
            _errors_to_form(form, warning)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The member has been added."))
            if request.POST.get("next") == "another":
                return redirect("households:member_create", pk=household.pk)
            return redirect("households:household_detail", pk=household.pk)
    return render(
        request,
        "households/member_form.html",
        {
            "form": form,
            "household": household,
            "duplicates": duplicates,
            "hidden_duplicates": hidden_duplicates,
            "creating": True,
        },
    )


def _member_initial(member: Member) -> dict[str, Any]:
    initial = {name: getattr(member, name) for name in MemberForm.base_fields if hasattr(member, name)}
    initial["national_id"] = ""
    return initial


@login_required
def member_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Change a member's details; the ID on record stays unless a new one is typed."""
    member = _member_or_404(request, pk, "change", shown_as="member edit page")
    household = member.household
    if not member.is_active:
        raise Http404
    form = MemberForm(
        request.POST or None, initial=_member_initial(member), anonymous=not household.has_consent, editing=True
    )
    if request.method == "POST" and form.is_valid():
        data = form.to_input()
        change_id = bool(data.national_id)
        if not change_id and member.national_id_hash:
            data.no_id_reason = ""
        try:
            services.member_update(member=member, data=data, actor=request.user, change_national_id=change_id)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The member has been saved."))
            return redirect("households:household_detail", pk=household.pk)
    return render(request, "households/member_form.html", {"form": form, "household": household, "member": member})


@login_required
def member_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Move a person to another household in the user's areas."""
    member = _member_or_404(request, pk, "change", shown_as="member move page")
    if not member.is_active:
        raise Http404
    # The search is posted (a name or national ID in a URL would land in server logs and browser history).
    searching = request.method == "POST" and "find" in request.POST
    search = request.POST.get("q", "").strip()[:100] if request.method == "POST" else ""
    candidates = list(selectors.move_targets(viewer=request.user, member=member, search=search)) if search else []
    chosen = request.POST.get("to_household")
    if chosen and chosen.isdigit() and not any(c.pk == int(chosen) for c in candidates):
        with contextlib.suppress(Household.DoesNotExist):
            candidates.append(selectors.household_get(viewer=request.user, pk=int(chosen), action="change"))
    choices = [(h.pk, _household_label(h)) for h in candidates]
    form = MemberMoveForm(request.POST if request.method == "POST" and not searching else None, choices=choices)
    if form.is_bound and form.is_valid():
        target_pk = form.cleaned_data["to_household"]
        target = next((h for h in candidates if h.pk == target_pk), None)
        if target is None:
            form.add_error("to_household", _("Choose a household from the list."))
        else:
            try:
                services.member_move(
                    member=member,
                    to_household=target,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    moved_on=form.cleaned_data["moved_on"],
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("The person has been moved."))
                return redirect("households:household_detail", pk=target.pk)
    return render(
        request,
        "households/member_move.html",
        {"form": form, "member": member, "household": member.household, "search": search, "searched": bool(search)},
    )


def _household_label(household: Household) -> str:
    head = household.head
    area = area_get(household.area_code)
    parts = [str(household), head.full_name if head else "", area.name if area else household.area_code]
    return " · ".join(part for part in parts if part)


@login_required
def member_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record that a member died or left the area."""
    member = _member_or_404(request, pk, "change", shown_as="member end page")
    if not member.is_active:
        raise Http404
    form = MemberEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_end(
                member=member, status=form.cleaned_data["status"], on=form.cleaned_data["on"], actor=request.user
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("households:household_detail", pk=member.household_id)
    return render(
        request, "households/member_end.html", {"form": form, "member": member, "household": member.household}
    )


@login_required
@require_POST
def national_id_reveal(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Show one member's full national ID (allowed roles only; the read goes to the access log)."""
    member = _member_or_404(request, pk)
    number = services.national_id_reveal(member=member, actor=request.user)
    return render(request, "households/_national_id.html", {"member": member, "number": number})
