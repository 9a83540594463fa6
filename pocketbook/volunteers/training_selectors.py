"""Every read of training projects: lists, the check-in counts, the project report, certificate verification."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet

from pocketbook.accounts.http import AnyUser
from pocketbook.volunteers.choices import ParticipantRole
from pocketbook.volunteers.models import Attendance, Certificate, Participant, TrainingProject, TrainingSession

SEARCH_LIMIT = 50


def project_list(*, viewer: AnyUser) -> QuerySet[TrainingProject]:
    """Projects run for an area that overlaps the viewer's areas."""
    return TrainingProject.objects.for_user(viewer, "view").annotate(participant_count=Count("participants"))


def project_get(*, viewer: AnyUser, pk: int, action: str = "view") -> TrainingProject:
    """One project; TrainingProject.DoesNotExist when missing or outside the viewer's areas."""
    return TrainingProject.objects.for_user(viewer, action).get(pk=pk)


def session_get(*, viewer: AnyUser, pk: int, action: str = "view") -> TrainingSession:
    """One session of a project the viewer may see."""
    return TrainingSession.objects.for_user(viewer, action).select_related("project").get(pk=pk)


def participant_get(*, viewer: AnyUser, pk: int, action: str = "view") -> Participant:
    """One participant of a project the viewer may see."""
    return Participant.objects.for_user(viewer, action).select_related("project", "volunteer").get(pk=pk)


def participant_list(
    *, viewer: AnyUser, project: TrainingProject, search: str = "", role: str = ""
) -> QuerySet[Participant]:
    """A project's participants (none when the project is out of the viewer's areas)."""
    participants = Participant.objects.for_user(viewer, "view").filter(project=project)
    if role:
        participants = participants.filter(role=role)
    text = " ".join((search or "").split())
    if text:
        participants = participants.filter(
            Q(first_name__icontains=text) | Q(last_name__icontains=text) | Q(organisation__icontains=text)
        )
    return participants.select_related("certificate").order_by("role", "first_name", "last_name", "id")


def session_tick_list(*, viewer: AnyUser, session: TrainingSession, search: str = "") -> list[dict[str, Any]]:
    """The searchable tick list of a session: each participant and, when in, when."""
    checked = {
        row.participant_id: row
        for row in Attendance.objects.filter(session=session).select_related("checked_in_by").order_by()
    }
    participants = participant_list(viewer=viewer, project=session.project, search=search)
    if search:
        participants = participants[:SEARCH_LIMIT]
    return [{"participant": p, "attendance": checked.get(p.pk)} for p in participants]


@dataclass
class RoleCount:
    role: str
    label: str
    registered: int
    present: int


def live_counts(*, session: TrainingSession) -> list[RoleCount]:
    """Who is in, by role, for one session (two grouped queries)."""
    registered = dict(
        Participant.objects.filter(project_id=session.project_id)
        .order_by()
        .values_list("role")
        .annotate(n=Count("id"))
    )
    present = dict(
        Attendance.objects.filter(session=session).order_by().values_list("participant__role").annotate(n=Count("id"))
    )
    return [
        RoleCount(role, str(label), registered.get(role, 0), present.get(role, 0))
        for role, label in ParticipantRole.choices
        if registered.get(role) or present.get(role)
    ]


@dataclass
class SessionLine:
    session: TrainingSession
    present: int
    registered: int

    @property
    def rate(self) -> int:
        return round(100 * self.present / self.registered) if self.registered else 0


@dataclass
class ProjectReport:
    """The project report: counts by role, attendance by session, test scores, budget."""

    project: TrainingProject
    roles: list[RoleCount]
    total_registered: int
    total_attended: int
    sessions: list[SessionLine]
    mean_pre: Decimal | None
    mean_post: Decimal | None
    scored: int
    certificates: int

    @property
    def gain(self) -> Decimal | None:
        if self.mean_pre is None or self.mean_post is None:
            return None
        return self.mean_post - self.mean_pre

    @property
    def budget_left(self) -> Decimal:
        return self.project.planned_amount - self.project.spent_amount


def project_report(*, project: TrainingProject) -> ProjectReport:
    """Everything the project report shows, in a handful of grouped queries."""
    registered = dict(
        Participant.objects.filter(project=project).order_by().values_list("role").annotate(n=Count("id"))
    )
    attended = dict(
        Participant.objects.filter(project=project, attendances__isnull=False)
        .order_by()
        .values_list("role")
        .annotate(n=Count("id", distinct=True))
    )
    roles = [
        RoleCount(role, str(label), registered.get(role, 0), attended.get(role, 0))
        for role, label in ParticipantRole.choices
        if registered.get(role)
    ]
    total = sum(registered.values())
    sessions = list(project.sessions.annotate(present=Count("attendances")).order_by("starts_at", "id"))
    scores = Participant.objects.filter(
        project=project, pre_test_score__isnull=False, post_test_score__isnull=False
    ).aggregate(pre=Avg("pre_test_score"), post=Avg("post_test_score"), n=Count("id"))
    return ProjectReport(
        project=project,
        roles=roles,
        total_registered=total,
        total_attended=sum(attended.values()),
        sessions=[SessionLine(s, s.present, total) for s in sessions],
        mean_pre=_two_places(scores["pre"]),
        mean_post=_two_places(scores["post"]),
        scored=scores["n"],
        certificates=Certificate.objects.filter(project=project).count(),
    )


def _two_places(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def certificate_verify(code: str) -> Certificate | None:
    """The certificate with this verification code (public: the page shows the holder's name masked)."""
    code = (code or "").strip().upper()
    if not code.isalnum() or len(code) > 16:
        return None
    return Certificate.objects.select_related("project", "participant").filter(code=code).first()


def mask_name(first_name: str, last_name: str) -> str:
    """สมศรี ใจดี → สม*** ใ***: enough to match a certificate in hand, not enough to learn a name."""

    def part(text: str, keep: int) -> str:
        return text[:keep] + "***" if text else ""

    return " ".join(p for p in (part(first_name, 2), part(last_name, 1)) if p)


def certificate_get(*, viewer: AnyUser, pk: int) -> Certificate:
    """One certificate of a project the viewer may see."""
    return Certificate.objects.for_user(viewer, "view").select_related("project", "participant").get(pk=pk)
