"""Volunteers, assignments, visits and training over the API; area-scoped (outside the viewer's areas: 404)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router, Status

from pocketbook.accounts.http import AuthenticatedHttpRequest
from pocketbook.core.api import require_permission
from pocketbook.households import selectors as household_selectors
from pocketbook.volunteers import selectors, services, training_selectors, training_services
from pocketbook.volunteers.api_schemas import (
    AssignIn,
    AssignmentOut,
    AttendanceOut,
    BatchOut,
    CheckInIn,
    CoverageOut,
    DueOut,
    Page,
    ParticipantIn,
    ParticipantOut,
    ProjectIn,
    ProjectOut,
    ReassignIn,
    ScoresIn,
    SessionIn,
    SessionOut,
    StatusIn,
    VisitIn,
    VisitOut,
    VolunteerFilters,
    VolunteerIn,
    VolunteerOut,
    batch_out,
    session_out,
    volunteer_input,
    volunteer_out,
)
from pocketbook.volunteers.models import Attendance, Participant, TrainingProject

router = Router(tags=["volunteers"])


@router.get("/volunteers", response=list[VolunteerOut], summary="Volunteers in your areas")
def volunteer_list(request: AuthenticatedHttpRequest, filters: Query[VolunteerFilters]):
    require_permission(request, "volunteers.view_volunteer")
    volunteers = selectors.volunteer_list(
        viewer=request.user, search=filters.q, status=filters.status, area_code=filters.area_code
    )
    return [volunteer_out(v) for v in volunteers[filters.offset : filters.offset + filters.limit]]


@router.get("/volunteers/{volunteer_id}", response=VolunteerOut, summary="One volunteer")
def volunteer_detail(request: AuthenticatedHttpRequest, volunteer_id: int):
    require_permission(request, "volunteers.view_volunteer")
    return volunteer_out(selectors.volunteer_open(viewer=request.user, pk=volunteer_id))


@router.post("/volunteers", response={201: VolunteerOut}, summary="Register a volunteer")
def volunteer_create(request: AuthenticatedHttpRequest, payload: VolunteerIn):
    require_permission(request, "volunteers.add_volunteer")
    volunteer = services.volunteer_create(data=volunteer_input(payload), actor=request.user)
    return Status(201, volunteer_out(selectors.volunteer_get(viewer=request.user, pk=volunteer.pk)))


@router.put("/volunteers/{volunteer_id}", response=VolunteerOut, summary="Change a volunteer")
def volunteer_update(request: AuthenticatedHttpRequest, volunteer_id: int, payload: VolunteerIn):
    require_permission(request, "volunteers.change_volunteer")
    volunteer = selectors.volunteer_get(viewer=request.user, pk=volunteer_id, action="change")
    data = volunteer_input(payload)
    data.user = volunteer.user
    services.volunteer_update(volunteer=volunteer, data=data, actor=request.user)
    return volunteer_out(selectors.volunteer_get(viewer=request.user, pk=volunteer.pk))


@router.post("/volunteers/{volunteer_id}/status", response=VolunteerOut, summary="Pause, resume or end service")
def volunteer_status(request: AuthenticatedHttpRequest, volunteer_id: int, payload: StatusIn):
    require_permission(request, "volunteers.change_volunteer")
    volunteer = selectors.volunteer_get(viewer=request.user, pk=volunteer_id, action="change")
    hand_over = (
        selectors.volunteer_get(viewer=request.user, pk=payload.hand_over_to, action="change")
        if payload.hand_over_to
        else None
    )
    services.volunteer_status_set(
        volunteer=volunteer, status=payload.status, on=payload.on, hand_over_to=hand_over, actor=request.user
    )
    return volunteer_out(selectors.volunteer_get(viewer=request.user, pk=volunteer.pk))


# ---------------------------------------------------------------- assignments


@router.post("/assignments", response={201: BatchOut}, tags=["assignments"], summary="Assign households")
def assignments_create(request: AuthenticatedHttpRequest, payload: AssignIn):
    require_permission(request, "volunteers.add_householdassignment")
    volunteer = selectors.volunteer_get(viewer=request.user, pk=payload.volunteer_id)
    if payload.area_code:
        batch = services.households_assign_village(
            area_code=payload.area_code, volunteer=volunteer, actor=request.user
        )
    else:
        batch = services.households_assign(
            household_ids=payload.household_ids, volunteer=volunteer, actor=request.user, reason=payload.reason
        )
    return Status(201, batch_out(batch))


@router.post("/assignments/reassign", response={201: BatchOut}, tags=["assignments"], summary="Hand over in bulk")
def assignments_reassign(request: AuthenticatedHttpRequest, payload: ReassignIn):
    require_permission(request, "volunteers.change_householdassignment")
    source = selectors.volunteer_get(viewer=request.user, pk=payload.from_volunteer_id, action="change")
    target = selectors.volunteer_get(viewer=request.user, pk=payload.to_volunteer_id, action="change")
    batch = services.households_reassign(
        from_volunteer=source,
        to_volunteer=target,
        household_ids=payload.household_ids,
        actor=request.user,
        reason=payload.reason,
    )
    return Status(201, batch_out(batch))


@router.get(
    "/households/{household_id}/assignments",
    response=list[AssignmentOut],
    tags=["assignments"],
    summary="Who has been in charge of a household",
)
def household_assignments(request: AuthenticatedHttpRequest, household_id: int):
    require_permission(request, "volunteers.view_householdassignment")
    household = household_selectors.household_get(viewer=request.user, pk=household_id)
    return [
        AssignmentOut(
            id=a.pk,
            household_id=a.household_id,
            volunteer_id=a.volunteer_id,
            started_on=a.started_on,
            ended_on=a.ended_on,
            assigned_by_id=a.assigned_by_id,
        )
        for a in selectors.household_assignment_history(viewer=request.user, household=household)
    ]


@router.get("/coverage", response=list[CoverageOut], tags=["assignments"], summary="Coverage per area")
def coverage(request: AuthenticatedHttpRequest, area_code: str = ""):
    if not selectors.may_see_coverage(request.user):
        raise PermissionDenied
    rows, _total = selectors.coverage(viewer=request.user, area_code=area_code if area_code.isdigit() else "")
    return [
        CoverageOut(
            area_code=r.area_code,
            name=r.name,
            households=r.households,
            with_volunteer=r.with_volunteer,
            without_volunteer=r.without_volunteer,
            volunteers=r.volunteers,
            over_limit=r.over_limit,
        )
        for r in rows
    ]


# ---------------------------------------------------------------- visits


@router.post(
    "/households/{household_id}/visits", response={201: VisitOut}, tags=["visits"], summary="Record a visit note"
)
def visit_create(request: AuthenticatedHttpRequest, household_id: int, payload: VisitIn):
    require_permission(request, "volunteers.add_visit")
    household = household_selectors.household_get(viewer=request.user, pk=household_id)
    visit = services.visit_record(
        household=household,
        visited_on=payload.visited_on,
        note=payload.note,
        gps_lat=payload.gps_lat,
        gps_lng=payload.gps_lng,
        actor=request.user,
    )
    return Status(201, VisitOut.from_orm(visit))


@router.get("/visits/mine", response=list[DueOut], tags=["visits"], summary="My visits: overdue first")
def my_visits(request: AuthenticatedHttpRequest):
    require_permission(request, "volunteers.view_visitschedule")
    visits = selectors.my_visits(viewer=request.user)
    return [
        DueOut(
            household_id=s.household_id,
            area_code=s.area_code,
            next_visit_on=s.next_visit_on,
            last_visit_on=s.last_visit_on,
            overdue=s in visits.overdue,
        )
        for s in visits.overdue + visits.this_week + visits.later
    ]


# ---------------------------------------------------------------- training


def _project(request: HttpRequest, pk: int, action: str = "view") -> TrainingProject:
    return training_selectors.project_get(viewer=request.user, pk=pk, action=action)


@router.get("/training-projects", response=list[ProjectOut], tags=["training"], summary="Training projects")
def project_list(request: AuthenticatedHttpRequest, page: Query[Page]):
    require_permission(request, "volunteers.view_trainingproject")
    return list(training_selectors.project_list(viewer=request.user)[page.offset : page.offset + page.limit])


@router.post("/training-projects", response={201: ProjectOut}, tags=["training"], summary="Set up a project")
def project_create(request: AuthenticatedHttpRequest, payload: ProjectIn):
    require_permission(request, "volunteers.add_trainingproject")
    return Status(201, training_services.project_create(data=training_services.ProjectInput(**payload.dict()),
                                                        actor=request.user))  # fmt: skip


@router.get("/training-projects/{project_id}", response=ProjectOut, tags=["training"], summary="One project")
def project_detail(request: AuthenticatedHttpRequest, project_id: int):
    require_permission(request, "volunteers.view_trainingproject")
    return _project(request, project_id)


@router.get("/training-projects/{project_id}/sessions", response=list[SessionOut], tags=["training"])
def session_list(request: AuthenticatedHttpRequest, project_id: int):
    require_permission(request, "volunteers.view_trainingsession")
    project = _project(request, project_id)
    return [session_out(s) for s in project.sessions.prefetch_related("speakers")]


@router.post("/training-projects/{project_id}/sessions", response={201: SessionOut}, tags=["training"])
def session_create(request: AuthenticatedHttpRequest, project_id: int, payload: SessionIn):
    require_permission(request, "volunteers.add_trainingsession")
    project = _project(request, project_id, "change")
    speakers = list(Participant.objects.filter(project=project, pk__in=payload.speaker_ids))
    if len(speakers) != len(set(payload.speaker_ids)):
        raise Participant.DoesNotExist
    session = training_services.session_create(
        project=project,
        topic=payload.topic,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        speakers=speakers,
        actor=request.user,
    )
    return Status(201, session_out(session))


@router.get("/training-projects/{project_id}/participants", response=list[ParticipantOut], tags=["training"])
def participant_list(request: AuthenticatedHttpRequest, project_id: int, page: Query[Page]):
    require_permission(request, "volunteers.view_participant")
    project = _project(request, project_id)
    participants = training_selectors.participant_list(viewer=request.user, project=project)
    return list(participants[page.offset : page.offset + page.limit])


@router.post("/training-projects/{project_id}/participants", response={201: ParticipantOut}, tags=["training"])
def participant_create(request: AuthenticatedHttpRequest, project_id: int, payload: ParticipantIn):
    require_permission(request, "volunteers.add_participant")
    project = _project(request, project_id, "change")
    volunteer = selectors.volunteer_get(viewer=request.user, pk=payload.volunteer_id) if payload.volunteer_id else None
    data = payload.dict()
    data.pop("volunteer_id")
    participant = training_services.participant_add(project=project, volunteer=volunteer, actor=request.user, **data)
    return Status(201, participant)


@router.put("/participants/{participant_id}/scores", response=ParticipantOut, tags=["training"])
def participant_scores(request: AuthenticatedHttpRequest, participant_id: int, payload: ScoresIn):
    require_permission(request, "volunteers.change_participant")
    participant = training_selectors.participant_get(viewer=request.user, pk=participant_id, action="change")
    return training_services.scores_set(
        participant=participant, pre_test=payload.pre_test_score, post_test=payload.post_test_score, actor=request.user
    )


@router.get("/sessions/{session_id}/attendance", response=list[AttendanceOut], tags=["training"])
def attendance_list(request: AuthenticatedHttpRequest, session_id: int):
    require_permission(request, "volunteers.view_attendance")
    session = training_selectors.session_get(viewer=request.user, pk=session_id)
    return list(Attendance.objects.filter(session=session))


@router.post(
    "/sessions/{session_id}/attendance",
    response={201: AttendanceOut},
    tags=["training"],
    summary="Check a participant in (by id or by the QR's text); a second check-in answers 422 saying who and when",
)
def attendance_create(request: AuthenticatedHttpRequest, session_id: int, payload: CheckInIn):
    require_permission(request, "volunteers.add_attendance")
    session = training_selectors.session_get(viewer=request.user, pk=session_id)
    if payload.token:
        participant = training_services.participant_by_token(project=session.project, token=payload.token)
        method = "qr"
    else:
        participant = Participant.objects.get(pk=payload.participant_id or 0, project_id=session.project_id)
        method = "tick"
    attendance = training_services.check_in(
        session=session, participant=participant, method=method, actor=request.user
    )
    return Status(201, attendance)
