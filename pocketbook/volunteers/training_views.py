"""Pages of training projects: sessions, participants, check-in on the day, scores, certificates, the report."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pocketbook.accounts.http import AuthenticatedHttpRequest
from pocketbook.core.dates import format_date
from pocketbook.core.search import search_params, search_text
from pocketbook.volunteers import importer, pdf, selectors, training_selectors, training_services
from pocketbook.volunteers.choices import ParticipantRole
from pocketbook.volunteers.forms import ImportForm, ParticipantForm, ProjectForm, SessionForm
from pocketbook.volunteers.models import Certificate, Participant, TrainingProject, TrainingSession
from pocketbook.volunteers.views import errors_to_form, require


def _project_or_404(request: AuthenticatedHttpRequest, pk: int, action: str = "view") -> TrainingProject:
    try:
        return training_selectors.project_get(viewer=request.user, pk=pk, action=action)
    except TrainingProject.DoesNotExist:
        raise Http404 from None


def _session_or_404(request: AuthenticatedHttpRequest, pk: int, action: str = "view") -> TrainingSession:
    try:
        return training_selectors.session_get(viewer=request.user, pk=pk, action=action)
    except TrainingSession.DoesNotExist:
        raise Http404 from None


def _participant_or_404(request: AuthenticatedHttpRequest, pk: int, action: str = "view") -> Participant:
    try:
        return training_selectors.participant_get(viewer=request.user, pk=pk, action=action)
    except Participant.DoesNotExist:
        raise Http404 from None


# ---------------------------------------------------------------- projects


@login_required
def project_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request, "volunteers.view_trainingproject")
    return render(
        request,
        "volunteers/project_list.html",
        {
            "projects": training_selectors.project_list(viewer=request.user)[:200],
            "can_add": request.user.has_perm("volunteers.add_trainingproject"),
        },
    )


@login_required
def project_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request, "volunteers.add_trainingproject")
    form = ProjectForm(request.POST or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            project = training_services.project_create(data=form.to_input(), actor=request.user)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            return redirect("volunteers:project_detail", pk=project.pk)
    return render(request, "volunteers/project_form.html", {"form": form, "creating": True})


@login_required
def project_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require(request, "volunteers.change_trainingproject")
    project = _project_or_404(request, pk, "change")
    fields = ProjectForm.base_fields
    form = ProjectForm(
        request.POST or None, initial={name: getattr(project, name) for name in fields}, viewer=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            training_services.project_update(project=project, data=form.to_input(), actor=request.user)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("volunteers:project_detail", pk=project.pk)
    return render(request, "volunteers/project_form.html", {"form": form, "project": project})


@login_required
def project_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A project: its sessions (each with its check-in page), participants, scores and certificates."""
    require(request, "volunteers.view_trainingproject")
    project = _project_or_404(request, pk)
    # A participant's name never travels in an address: the search is posted, then carried encrypted (core.search).
    search = search_text(request)
    role = (request.POST if request.method == "POST" else request.GET).get("role", "")
    if role not in ParticipantRole.values:
        role = ""
    if request.method == "POST":
        link = urlencode({**search_params(search), **({"role": role} if role else {})})
        address = reverse("volunteers:project_detail", args=[project.pk])
        return redirect(f"{address}?{link}#participants" if link else address)
    participants = training_selectors.participant_list(viewer=request.user, project=project, search=search, role=role)
    return render(
        request,
        "volunteers/project_detail.html",
        {
            "project": project,
            "sessions": project.sessions.prefetch_related("speakers"),
            "participants": participants[:500],
            "report": training_selectors.project_report(project=project),
            "search": search,
            "role": role,
            "roles": ParticipantRole.choices,
            "can_change": request.user.has_perm("volunteers.change_trainingproject"),
        },
    )


@login_required
def session_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require(request, "volunteers.add_trainingsession")
    project = _project_or_404(request, pk, "change")
    speakers = list(project.participants.filter(role=ParticipantRole.SPEAKER))
    form = SessionForm(request.POST or None, initial={"day": project.starts_on})
    cast(forms.MultipleChoiceField, form.fields["speakers"]).choices = [(str(p.pk), p.full_name) for p in speakers]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        zone = timezone.get_current_timezone()
        chosen = [p for p in speakers if str(p.pk) in data["speakers"]]
        try:
            training_services.session_create(
                project=project,
                topic=data["topic"],
                starts_at=dt.datetime.combine(data["day"], data["starts"], tzinfo=zone),
                ends_at=dt.datetime.combine(data["day"], data["ends"], tzinfo=zone),
                speakers=chosen,
                actor=request.user,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            return redirect("volunteers:project_detail", pk=project.pk)
    return render(request, "volunteers/session_form.html", {"form": form, "project": project})


@login_required
def participant_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Register a participant: a volunteer of the registry, or a speaker, staff member or observer by name."""
    require(request, "volunteers.add_participant")
    project = _project_or_404(request, pk, "change")
    volunteers = selectors.volunteer_choices(viewer=request.user)
    form = ParticipantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        volunteer = None
        if data["volunteer"]:
            volunteer = next((v for v in volunteers if v.pk == data["volunteer"]), None)
            if volunteer is None:
                form.add_error("volunteer", _("Choose the volunteer from the list."))
        if not form.errors:
            try:
                training_services.participant_add(
                    project=project,
                    role=data["role"],
                    volunteer=volunteer,
                    title=data["title"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    organisation=data["organisation"],
                    phone=data["phone"],
                    actor=request.user,
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Participant registered."))
                return redirect("volunteers:participant_create", pk=project.pk)
    return render(
        request, "volunteers/participant_form.html", {"form": form, "project": project, "volunteers": volunteers}
    )


@login_required
@require_POST
def participants_add_area(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Register every active volunteer of the viewer's areas who is not registered yet."""
    require(request, "volunteers.add_participant")
    project = _project_or_404(request, pk, "change")
    volunteers = selectors.volunteer_choices(viewer=request.user)
    added = training_services.participants_add_volunteers(project=project, volunteers=volunteers, actor=request.user)
    messages.success(request, _("%(count)s volunteers registered.") % {"count": added})
    return redirect("volunteers:project_detail", pk=project.pk)


@login_required
def scores(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Enter pre- and post-test scores for every participant on one page."""
    require(request, "volunteers.change_participant")
    project = _project_or_404(request, pk, "change")
    participants = list(training_selectors.participant_list(viewer=request.user, project=project))
    errors: dict[int, str] = {}
    upload_form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and request.FILES:
        report = None
        if upload_form.is_valid():
            upload = upload_form.cleaned_data["file"]
            try:
                report = importer.scores_import(
                    project=project, stream=upload.file, filename=upload.name, actor=request.user
                )
            except importer.FileProblem as problem:
                upload_form.add_error("file", str(problem))
        participants = list(training_selectors.participant_list(viewer=request.user, project=project))
        rows = [{"participant": p, "error": ""} for p in participants]
        context = {"project": project, "rows": rows, "upload_form": upload_form, "report": report}
        return render(request, "volunteers/scores.html", context)
    if request.method == "POST":
        changed = 0
        for participant in participants:
            pre = request.POST.get(f"pre-{participant.pk}")
            post = request.POST.get(f"post-{participant.pk}")
            if pre is None and post is None:
                continue
            before = (participant.pre_test_score, participant.post_test_score)
            try:
                training_services.scores_set(participant=participant, pre_test=pre, post_test=post, actor=request.user)
            except ValidationError as error:
                errors[participant.pk] = " ".join(error.messages)
                continue
            changed += before != (participant.pre_test_score, participant.post_test_score)
        if not errors:
            messages.success(request, _("Scores saved (%(count)s changed).") % {"count": changed})
            return redirect("volunteers:project_detail", pk=project.pk)
    rows = [{"participant": p, "error": errors.get(p.pk, "")} for p in participants]
    context = {"project": project, "rows": rows, "has_errors": bool(errors), "upload_form": ImportForm()}
    return render(request, "volunteers/scores.html", context)


# ---------------------------------------------------------------- check-in


@login_required
def check_in_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The check-in page: camera scanning (offline queue), a searchable tick list, a live count by role."""
    require(request, "volunteers.add_attendance")
    session = _session_or_404(request, pk)
    return render(
        request,
        "volunteers/check_in.html",
        {
            "session": session,
            "project": session.project,
            "counts": training_selectors.live_counts(session=session),
            "rows": training_selectors.session_tick_list(viewer=request.user, session=session),
        },
    )


def _check_in_answer(*, status: int, ok: bool, message: str, participant: Participant | None = None) -> JsonResponse:
    body: dict[str, Any] = {"ok": ok, "message": message}
    if participant is not None:
        body.update({"participant": participant.pk, "name": participant.full_name, "role": participant.role})
    return JsonResponse(body, status=status)


@login_required
@require_POST
def check_in_scan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """What the scanner calls: {"token": "...", "scanned_at": ISO time (queued scans)}; JSON answer in Thai.

    200 checked in; 409 already checked in (says who and when); 400 unknown code; 404 session not visible.
    """
    require(request, "volunteers.add_attendance")
    session = _session_or_404(request, pk)
    try:
        payload = json.loads(request.body or b"{}")
        token = str(payload.get("token", ""))[:200]
        scanned_at = parse_datetime(str(payload.get("scanned_at") or "")) if payload.get("scanned_at") else None
    except (ValueError, AttributeError):
        return _check_in_answer(status=400, ok=False, message=_("The scanner sent something unreadable."))
    if scanned_at is not None and timezone.is_naive(scanned_at):
        scanned_at = None
    try:
        participant = training_services.participant_by_token(project=session.project, token=token)
    except ValidationError as error:
        return _check_in_answer(status=400, ok=False, message=" ".join(error.messages))
    try:
        attendance = training_services.check_in(
            session=session, participant=participant, method="qr", actor=request.user, at=scanned_at
        )
    except training_services.AlreadyCheckedIn as error:
        return _check_in_answer(status=409, ok=False, message=" ".join(error.messages), participant=participant)
    except ValidationError as error:
        return _check_in_answer(status=400, ok=False, message=" ".join(error.messages))
    when = timezone.localtime(attendance.checked_in_at).strftime("%H:%M")
    return _check_in_answer(
        status=200,
        ok=True,
        message=_("%(name)s checked in at %(time)s.") % {"name": participant.full_name, "time": when},
        participant=participant,
    )


@login_required
@require_POST
def check_in_tick(request: AuthenticatedHttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    """Tick a name on the list when the camera fails (htmx swaps the row)."""
    require(request, "volunteers.add_attendance")
    session = _session_or_404(request, pk)
    try:
        participant = Participant.objects.get(pk=participant_pk, project_id=session.project_id)
    except Participant.DoesNotExist:
        raise Http404 from None
    message = ""
    try:
        training_services.check_in(session=session, participant=participant, method="tick", actor=request.user)
    except ValidationError as error:
        message = " ".join(error.messages)
    rows = [
        row
        for row in training_selectors.session_tick_list(viewer=request.user, session=session)
        if row["participant"].pk == participant.pk
    ]
    response = render(request, "volunteers/_tick_row.html", {"row": rows[0], "session": session, "message": message})
    response["HX-Trigger"] = "checked-in"
    return response


@login_required
def check_in_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The tick list, searched by name or organisation (htmx)."""
    require(request, "volunteers.add_attendance")
    session = _session_or_404(request, pk)
    # Posted by the page's search box (htmx), so the names typed never reach an address or a log.
    rows = training_selectors.session_tick_list(viewer=request.user, session=session, search=search_text(request))
    return render(request, "volunteers/_tick_rows.html", {"rows": rows, "session": session})


@login_required
def check_in_counts(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The live count by role (polled by the check-in page)."""
    require(request, "volunteers.view_attendance")
    session = _session_or_404(request, pk)
    return render(request, "volunteers/_counts.html", {"counts": training_selectors.live_counts(session=session)})


@login_required
def participant_qr(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A participant's personal QR code (SVG), to show on a phone or print on the name list."""
    require(request, "volunteers.view_participant")
    participant = _participant_or_404(request, pk)
    svg = pdf.qr_svg(training_services.check_in_qr_text(participant), scale=6)
    return HttpResponse(svg, content_type="image/svg+xml")


@login_required
def name_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The printed name list with each participant's QR code (a PDF)."""
    require(request, "volunteers.view_participant")
    project = _project_or_404(request, pk)
    rows = [
        {"participant": p, "qr": pdf.qr_data_uri(training_services.check_in_qr_text(p), scale=3)}
        for p in training_selectors.participant_list(viewer=request.user, project=project)
    ]
    body = pdf.render_pdf("volunteers/pdf/name_list.html", {"project": project, "rows": rows})
    return _pdf_response(body, f"name-list-{project.pk}.pdf")


# ---------------------------------------------------------------- certificates and report


@login_required
@require_POST
def certificates_issue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require(request, "volunteers.add_certificate")
    project = _project_or_404(request, pk, "change")
    participant_pk = request.POST.get("participant")
    try:
        if participant_pk:
            participant = _participant_or_404(request, int(participant_pk) if participant_pk.isdigit() else 0)
            if participant.project_id != project.pk:
                raise Http404
            training_services.certificate_issue(participant=participant, actor=request.user)
            messages.success(request, _("Certificate issued."))
        else:
            count = training_services.certificates_issue_all(project=project, actor=request.user)
            messages.success(request, _("%(count)s certificates issued.") % {"count": count})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("volunteers:project_detail", pk=project.pk)


def _pdf_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def certificate_context(request: AuthenticatedHttpRequest, certificate: Certificate) -> dict[str, Any]:
    """What the certificate PDF shows, with the QR of its public verification page."""
    url = request.build_absolute_uri(reverse("verify_certificate", args=[certificate.code]))
    return {
        "certificate": certificate,
        "project": certificate.project,
        "participant": certificate.participant,
        "verify_url": url,
        "qr": pdf.qr_data_uri(url, scale=3),
        "issued": format_date(certificate.issued_on, language="th"),
        "project_day": format_date(certificate.project.starts_on, language="th"),
    }


@login_required
def certificate_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require(request, "volunteers.view_certificate")
    try:
        certificate = training_selectors.certificate_get(viewer=request.user, pk=pk)
    except Certificate.DoesNotExist:
        raise Http404 from None
    with translation.override("th"):  # a certificate is a Thai document, whatever the page language
        body = pdf.render_pdf("volunteers/pdf/certificate.html", certificate_context(request, certificate))
    return _pdf_response(body, f"certificate-{certificate.project_id}-{certificate.number}.pdf")


@login_required
def project_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The project report on screen, or as a PDF with ?format=pdf."""
    require(request, "volunteers.view_trainingproject")
    project = _project_or_404(request, pk)
    context = {"project": project, "report": training_selectors.project_report(project=project)}
    if request.GET.get("format") == "pdf":
        body = pdf.render_pdf("volunteers/pdf/report.html", context)
        return _pdf_response(body, f"project-report-{project.pk}.pdf")
    return render(request, "volunteers/project_report.html", context)


def verify_certificate(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """Public: confirm a certificate, its project and date; the holder's name is masked."""
    certificate = training_selectors.certificate_verify(code)
    context: dict[str, Any] = {"certificate": certificate, "code": code[:20]}
    if certificate is not None:
        context["holder"] = training_selectors.mask_name(
            certificate.participant.first_name, certificate.participant.last_name
        )
    return render(request, "volunteers/verify.html", context, status=200 if certificate else 404)
