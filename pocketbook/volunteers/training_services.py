"""Every write to training projects: sessions, participants, check-in, scores and certificates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pocketbook.accounts.models import User
from pocketbook.audit.models import Action
from pocketbook.audit.services import record_change, snapshot
from pocketbook.core.dates import format_date
from pocketbook.core.funding import FundingSource, funding_source_get, funding_spend
from pocketbook.core.numbers import NumberInput
from pocketbook.geo.selectors import area_get
from pocketbook.volunteers import listeners
from pocketbook.volunteers.choices import CheckInMethod, ParticipantRole, ProjectStatus
from pocketbook.volunteers.models import (
    Attendance,
    Certificate,
    Participant,
    TrainingProject,
    TrainingSession,
    Volunteer,
)

MAX_SCORE = Decimal("100")


@dataclass
class ProjectInput:
    """What a training project form or API call gives."""

    title: str
    organiser: str
    venue: str
    area_code: str
    starts_on: dt.date
    ends_on: dt.date
    fiscal_year: int
    objectives: str = ""
    chair: str = ""
    reporter: str = ""
    budget_source: str = ""
    budget_fund: str = ""  # a funding source reference (pocketbook/core/funding.py); its name becomes budget_source
    planned_amount: Decimal = Decimal("0")
    spent_amount: Decimal = Decimal("0")
    status: str = ProjectStatus.PLANNED


def _check_project(data: ProjectInput, actor: User) -> None:
    errors: dict[str, str] = {}
    for name in ("title", "organiser", "venue"):
        if not str(getattr(data, name)).strip():
            errors[name] = _("This field is required.")
    if errors:
        raise ValidationError(errors)
    area = area_get(data.area_code)
    if area is None:
        raise ValidationError({"area_code": _("Choose the province or district the project is run for.")})
    if (
        actor is not None
        and not actor.is_superuser
        and not any(data.area_code.startswith(code) or code.startswith(data.area_code) for code in actor.area_codes())
    ):
        raise ValidationError({"area_code": _("The area %(code)s is outside your areas.") % {"code": data.area_code}})
    if data.ends_on < data.starts_on:
        raise ValidationError({"ends_on": _("The last day cannot be before the first day.")})
    if not 2500 <= data.fiscal_year <= 2700:
        raise ValidationError({"fiscal_year": _("Give the fiscal year in the Buddhist Era, for example 2566.")})
    if data.planned_amount < 0 or data.spent_amount < 0:
        raise ValidationError({"planned_amount": _("Amounts cannot be negative.")})
    if data.status not in ProjectStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})


def _paying_fund(data: ProjectInput, actor: User) -> FundingSource | None:
    """The chosen fund, which the actor must be allowed to choose; None for a free-text budget source."""
    if not data.budget_fund:
        return None
    source = funding_source_get(viewer=actor, reference=data.budget_fund)
    if source is None:
        raise ValidationError({"budget_fund": _("Choose a fund from the list.")})
    return source


def _apply_project(project: TrainingProject, data: ProjectInput, fund: FundingSource | None) -> None:
    for name in (
        "title",
        "organiser",
        "venue",
        "objectives",
        "chair",
        "reporter",
        "budget_source",
    ):
        setattr(project, name, str(getattr(data, name)).strip())
    project.budget_fund = fund.reference if fund is not None else ""
    if fund is not None:
        project.budget_source = fund.name
    project.area_code = data.area_code
    project.starts_on = data.starts_on
    project.ends_on = data.ends_on
    project.fiscal_year = data.fiscal_year
    project.planned_amount = data.planned_amount
    project.spent_amount = data.spent_amount
    project.status = data.status


@transaction.atomic
def project_create(*, data: ProjectInput, actor: User) -> TrainingProject:
    """Set up a training project."""
    _check_project(data, actor)
    fund = _paying_fund(data, actor)
    project = TrainingProject(created_by=actor if actor is not None and actor.is_authenticated else None)
    _apply_project(project, data, fund)
    project.full_clean()
    project.save()
    _spending_record(project, actor)
    record_change(obj=project, action=Action.CREATE, actor=actor)
    return project


@transaction.atomic
def project_update(*, project: TrainingProject, data: ProjectInput, actor: User) -> TrainingProject:
    """Change a project's details, money and status."""
    _check_project(data, actor)
    fund = _paying_fund(data, actor)
    before = snapshot(project)
    _apply_project(project, data, fund)
    project.full_clean()
    project.save()
    _spending_record(project, actor)
    record_change(obj=project, action=Action.UPDATE, actor=actor, before=before)
    return project


def _spending_record(project: TrainingProject, actor: User) -> None:
    """Count what the project spent against its fund's budget for the fiscal year (core.funding): over budget
    refuses the whole change, beside the amount spent."""
    try:
        funding_spend(
            spender=f"volunteers.trainingproject:{project.pk}",
            reference=project.budget_fund,
            fiscal_year=project.fiscal_year,
            amount=project.spent_amount,
            label=project.title,
            actor=actor,
        )
    except ValidationError as error:
        raise ValidationError({"spent_amount": error.messages}) from error


@transaction.atomic
def session_create(
    *,
    project: TrainingProject,
    topic: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    actor: User,
    speakers: Sequence[Participant] = (),
) -> TrainingSession:
    """Add a session (topic, time, speakers) to a project."""
    if not topic.strip():
        raise ValidationError({"topic": _("Write the session's topic.")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("A session must end after it starts.")})
    first = dt.datetime.combine(project.starts_on, dt.time.min, tzinfo=timezone.get_current_timezone())
    last = dt.datetime.combine(project.ends_on, dt.time.max, tzinfo=timezone.get_current_timezone())
    if starts_at < first or ends_at > last:
        raise ValidationError({"starts_at": _("A session must fall within the project's days.")})
    for speaker in speakers:
        if speaker.project_id != project.pk:
            raise ValidationError({"speakers": _("A speaker must be a participant of this project.")})
    session = TrainingSession.objects.create(
        project=project, topic=topic.strip(), starts_at=starts_at, ends_at=ends_at
    )
    if speakers:
        session.speakers.set(speakers)
    record_change(obj=session, action=Action.CREATE, actor=actor)
    return session


@transaction.atomic
def participant_add(
    *,
    project: TrainingProject,
    role: str,
    actor: User,
    volunteer: Volunteer | None = None,
    title: str = "",
    first_name: str = "",
    last_name: str = "",
    organisation: str = "",
    phone: str = "",
) -> Participant:
    """Register a person for a project: a volunteer of the registry (names copied) or anyone else by name."""
    if role not in ParticipantRole.values:
        raise ValidationError({"role": _("Choose volunteer, speaker, staff or observer.")})
    if volunteer is not None:
        if Participant.objects.filter(project=project, volunteer=volunteer).exists():
            raise ValidationError({"volunteer": _("This volunteer is already registered for the project.")})
        title, first_name, last_name = volunteer.title, volunteer.first_name, volunteer.last_name
        phone = phone or volunteer.phone
    elif role == ParticipantRole.VOLUNTEER:
        raise ValidationError({"volunteer": _("Choose the volunteer from the registry.")})
    if not first_name.strip():
        raise ValidationError({"first_name": _("Write the first name.")})
    participant = Participant(
        project=project,
        role=role,
        volunteer=volunteer,
        title=title.strip(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        organisation=organisation.strip(),
        phone=phone.strip(),
    )
    participant.full_clean()
    participant.save()
    record_change(obj=participant, action=Action.CREATE, actor=actor)
    listeners.participant_added(participant)
    return participant


@transaction.atomic
def participants_add_volunteers(*, project: TrainingProject, volunteers: Sequence[Volunteer], actor: User) -> int:
    """Register many volunteers at once (those already registered are skipped); return how many were added."""
    registered = set(
        Participant.objects.filter(project=project, volunteer__isnull=False).values_list("volunteer_id", flat=True)
    )
    added = 0
    for volunteer in volunteers:
        if volunteer.pk in registered:
            continue
        participant_add(project=project, role=ParticipantRole.VOLUNTEER, volunteer=volunteer, actor=actor)
        registered.add(volunteer.pk)
        added += 1
    return added


class AlreadyCheckedIn(ValidationError):
    """A second check-in of one participant to one session: says who checked them in and when."""

    def __init__(self, attendance: Attendance) -> None:
        self.attendance = attendance
        by = attendance.checked_in_by
        super().__init__(
            _("%(name)s already checked in at %(time)s on %(date)s (by %(by)s). Nothing was changed.")
            % {
                "name": attendance.participant.full_name,
                "time": timezone.localtime(attendance.checked_in_at).strftime("%H:%M"),
                "date": format_date(attendance.checked_in_at),
                "by": (by.get_full_name() or by.username) if by is not None else _("the system"),
            },
            code="already_checked_in",
        )


def participant_by_token(*, project: TrainingProject, token: str) -> Participant:
    """The participant whose personal QR carries `token`; a ValidationError for a QR of another project or none."""
    token = (token or "").strip()
    if token.startswith(QR_PREFIX):
        token = token[len(QR_PREFIX) :]
    participant = (
        Participant.objects.filter(project=project, check_in_token=token).first() if 8 <= len(token) <= 40 else None
    )
    if participant is None:
        raise ValidationError(
            {"token": _("This QR code is not a participant's code of this project. Check the project and the code.")}
        )
    return participant


QR_PREFIX = "PBK-CHECKIN:"


def check_in_qr_text(participant: Participant) -> str:
    """What a participant's personal QR code holds."""
    return QR_PREFIX + participant.check_in_token


@transaction.atomic
def check_in(
    *,
    session: TrainingSession,
    participant: Participant,
    method: str,
    actor: User,
    at: dt.datetime | None = None,
) -> Attendance:
    """Check a participant in to a session, once: a second check-in raises AlreadyCheckedIn and changes nothing.

    `at` is when a queued scan was made on a phone that had lost signal; it is kept when it is plausible (not in
    the future, not before the session's day), else the time of arrival is used.
    """
    if participant.project_id != session.project_id:
        raise ValidationError({"participant": _("This person is not registered for this project.")})
    if method not in CheckInMethod.values:
        raise ValidationError({"method": _("Unknown way of checking in.")})
    now = timezone.now()
    day_start = dt.datetime.combine(
        timezone.localtime(session.starts_at).date(), dt.time.min, tzinfo=timezone.get_current_timezone()
    )
    when = at if at is not None and day_start <= at <= now else now
    existing = Attendance.objects.filter(session=session, participant=participant).select_related(
        "participant", "checked_in_by"
    )
    if found := existing.first():
        raise AlreadyCheckedIn(found)
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                session=session,
                participant=participant,
                checked_in_at=when,
                method=method,
                checked_in_by=actor if actor is not None and actor.is_authenticated else None,
            )
    except IntegrityError:  # two phones scanned the same QR at the same moment: the other one won
        raise AlreadyCheckedIn(existing.get()) from None
    record_change(obj=attendance, action=Action.CREATE, actor=actor)
    listeners.attendance_recorded(attendance)
    return attendance


def _score(value: NumberInput, name: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        score = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError({name: _("A score is a number from 0 to 100.")}) from None
    if not score.is_finite() or not Decimal("0") <= score <= MAX_SCORE:
        raise ValidationError({name: _("A score is a number from 0 to 100.")})
    return score.quantize(Decimal("0.01"))


@transaction.atomic
def scores_set(*, participant: Participant, pre_test: NumberInput, post_test: NumberInput, actor: User) -> Participant:
    """Record a participant's pre- and post-test scores (0–100; empty clears one)."""
    pre = _score(pre_test, "pre_test_score")
    post = _score(post_test, "post_test_score")
    before = snapshot(participant)
    participant.pre_test_score = pre
    participant.post_test_score = post
    participant.save(update_fields=["pre_test_score", "post_test_score", "updated_at"])
    record_change(obj=participant, action=Action.UPDATE, actor=actor, before=before)
    return participant


@transaction.atomic
def certificate_issue(*, participant: Participant, actor: User, issued_on: dt.date | None = None) -> Certificate:
    """Issue the participant's certificate, numbered next in the project; only for someone who attended."""
    if hasattr(participant, "certificate"):
        return participant.certificate
    if not Attendance.objects.filter(participant=participant).exists():
        raise ValidationError(
            {
                "participant": _(
                    "%(name)s did not attend any session of this project, so no certificate can be issued."
                )
                % {"name": participant.full_name}
            }
        )
    project = TrainingProject.objects.select_for_update().get(pk=participant.project_id)
    project.last_certificate_number += 1
    project.save(update_fields=["last_certificate_number"])
    certificate = Certificate.objects.create(
        project=project,
        participant=participant,
        number=project.last_certificate_number,
        issued_on=issued_on or project.ends_on,
        issued_by=actor if actor is not None and actor.is_authenticated else None,
    )
    record_change(obj=certificate, action=Action.CREATE, actor=actor)
    return certificate


@transaction.atomic
def certificates_issue_all(*, project: TrainingProject, actor: User) -> int:
    """Issue a certificate to every participant who attended and has none yet; return how many were issued."""
    waiting = (
        Participant.objects.filter(project=project, attendances__isnull=False, certificate__isnull=True)
        .distinct()
        .order_by("role", "first_name", "last_name", "id")
    )
    issued = 0
    for participant in waiting:
        certificate_issue(participant=participant, actor=actor)
        issued += 1
    return issued
