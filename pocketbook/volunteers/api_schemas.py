"""The volunteers API's schemas: what each endpoint takes and answers, and how a record becomes its answer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from pocketbook.core.api import MAX_OFFSET, ObjectBody
from pocketbook.core.api_types import ApiDate, ApiDateTime, ApiId, ApiLatitude, ApiLongitude, ApiPhone, ApiPlanDate
from pocketbook.core.numbers import ApiAmount
from pocketbook.volunteers.models import TrainingSession, Volunteer
from pocketbook.volunteers.services import VolunteerInput


class Page(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class VolunteerFilters(Page):
    q: str = Field("", max_length=100, description="Name prefix or phone")
    status: str = Field("", pattern="^(|active|paused|left)$")
    area_code: str = Field("", pattern=r"^(\d{2}|\d{4}|\d{6}|\d{8})?$")


class VolunteerOut(Schema):
    id: int
    title: str
    first_name: str
    last_name: str
    national_id_masked: str
    phone: str
    line_id: str
    home_area_code: str
    areas_served: list[str]
    status: str
    started_on: dt.date | None
    term_ends_on: dt.date | None
    skills: list[str]
    caseload: int
    user_id: int | None


class VolunteerIn(Schema):
    first_name: str = Field(..., max_length=100)
    last_name: str = Field(..., max_length=100)
    home_area_code: str = Field(..., examples=["92010101"])
    areas_served: list[str] = Field(default_factory=list, max_length=50, description="Empty: the home area")
    title: str = Field("", max_length=30)
    national_id: str = Field("", max_length=20, description="13 digits; stored encrypted, returned masked")
    phone: ApiPhone = ""
    line_id: str = Field("", max_length=50)
    started_on: ApiPlanDate | None = None
    term_ends_on: ApiPlanDate | None = None
    skills: list[str] = Field(default_factory=list, max_length=30)


class StatusIn(Schema):
    status: str = Field(..., pattern="^(active|paused|left)$")
    on: ApiPlanDate | None = None
    hand_over_to: ApiId | None = Field(None, description="A leaver's households go to this volunteer")


def volunteer_out(volunteer: Volunteer) -> VolunteerOut:
    return VolunteerOut(
        id=volunteer.pk,
        title=volunteer.title,
        first_name=volunteer.first_name,
        last_name=volunteer.last_name,
        national_id_masked=volunteer.national_id_masked,
        phone=volunteer.phone,
        line_id=volunteer.line_id,
        home_area_code=volunteer.home_area_code,
        areas_served=[a.area_code for a in volunteer.areas.all()],
        status=volunteer.status,
        started_on=volunteer.started_on,
        term_ends_on=volunteer.term_ends_on,
        skills=list(volunteer.skills),
        caseload=volunteer.caseload,
        user_id=volunteer.user_id,
    )


def volunteer_input(payload: VolunteerIn) -> VolunteerInput:
    data = payload.dict()
    data["areas_served"] = data["areas_served"] or [payload.home_area_code]
    return VolunteerInput(**data)


class AssignIn(Schema):
    volunteer_id: ApiId
    household_ids: list[ApiId] = Field(default_factory=list, max_length=20_000)
    area_code: str = Field("", pattern=r"^(\d{6}|\d{8})?$", description="Instead of ids: every household of the "
                           "area without a volunteer")  # fmt: skip
    reason: str = Field("", max_length=300)


class ReassignIn(Schema):
    from_volunteer_id: ApiId
    to_volunteer_id: ApiId
    household_ids: list[ApiId] | None = Field(None, max_length=20_000, description="Default: all of them")
    reason: str = Field("", max_length=300)


class BatchOut(Schema):
    id: int
    kind: str
    household_count: int
    household_ids: list[int]
    to_volunteer_id: int | None
    from_volunteer_id: int | None
    created_at: dt.datetime


class AssignmentOut(Schema):
    id: int
    household_id: int
    volunteer_id: int
    started_on: dt.date
    ended_on: dt.date | None
    assigned_by_id: int | None


def batch_out(batch: Any) -> BatchOut:
    return BatchOut(
        id=batch.pk,
        kind=batch.kind,
        household_count=batch.household_count,
        household_ids=batch.household_ids,
        to_volunteer_id=batch.to_volunteer_id,
        from_volunteer_id=batch.from_volunteer_id,
        created_at=batch.created_at,
    )


class CoverageOut(Schema):
    area_code: str
    name: str
    households: int
    with_volunteer: int
    without_volunteer: int
    volunteers: int
    over_limit: int


class VisitIn(Schema):
    visited_on: ApiDate
    note: str = Field(..., max_length=2000)
    gps_lat: ApiLatitude | None = None
    gps_lng: ApiLongitude | None = None


class VisitOut(Schema):
    id: int
    household_id: int
    volunteer_id: int | None
    kind: str
    visited_on: dt.date
    note: str
    gps_lat: Decimal | None
    gps_lng: Decimal | None


class DueOut(Schema):
    household_id: int
    area_code: str
    next_visit_on: dt.date | None
    last_visit_on: dt.date | None
    overdue: bool


class ProjectOut(Schema):
    id: int
    title: str
    objectives: str
    organiser: str
    chair: str
    reporter: str
    venue: str
    area_code: str
    starts_on: dt.date
    ends_on: dt.date
    budget_source: str
    budget_fund: str
    fiscal_year: int
    planned_amount: Decimal
    spent_amount: Decimal
    status: str


class ProjectIn(Schema):
    title: str = Field(..., max_length=300)
    organiser: str = Field(..., max_length=300)
    venue: str = Field(..., max_length=300)
    area_code: str = Field(..., examples=["92"])
    starts_on: ApiPlanDate
    ends_on: ApiPlanDate
    fiscal_year: int = Field(..., description="Buddhist Era, e.g. 2566")
    objectives: str = ""
    chair: str = Field("", max_length=300)
    reporter: str = Field("", max_length=300)
    budget_source: str = Field("", max_length=300)
    budget_fund: str = Field("", max_length=60, description="A fund's reference from the funding sources, "
                             "e.g. cases.fund:12; its name becomes the budget source")  # fmt: skip
    planned_amount: ApiAmount = Field(Decimal("0"), ge=0, description='Baht: 5000, "5,000" or "๕๐๐๐"')
    spent_amount: ApiAmount = Field(Decimal("0"), ge=0, description='Baht: 5000, "5,000" or "๕๐๐๐"')
    status: str = Field("planned", pattern="^(planned|running|finished|cancelled)$")


class SessionOut(Schema):
    id: int
    project_id: int
    topic: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    speaker_ids: list[int]


class SessionIn(Schema):
    topic: str = Field(..., max_length=300)
    starts_at: ApiDateTime
    ends_at: ApiDateTime
    speaker_ids: list[ApiId] = Field(default_factory=list, max_length=50)


class ParticipantOut(Schema):
    id: int
    project_id: int
    role: str
    volunteer_id: int | None
    title: str
    first_name: str
    last_name: str
    organisation: str
    pre_test_score: Decimal | None
    post_test_score: Decimal | None


class ParticipantIn(Schema):
    role: str = Field(..., pattern="^(volunteer|speaker|staff|observer)$")
    volunteer_id: ApiId | None = None
    title: str = Field("", max_length=30)
    first_name: str = Field("", max_length=100)
    last_name: str = Field("", max_length=100)
    organisation: str = Field("", max_length=200)
    phone: ApiPhone = ""


class ScoresIn(ObjectBody, Schema):
    pre_test_score: Decimal | None = Field(None, ge=0, le=100)
    post_test_score: Decimal | None = Field(None, ge=0, le=100)


class AttendanceOut(Schema):
    id: int
    session_id: int
    participant_id: int
    checked_in_at: dt.datetime
    method: str


class CheckInIn(ObjectBody, Schema):
    participant_id: ApiId | None = None
    token: str = Field("", max_length=200, description="What the participant's QR holds, instead of the id")


def session_out(session: TrainingSession) -> SessionOut:
    return SessionOut(
        id=session.pk,
        project_id=session.project_id,
        topic=session.topic,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        speaker_ids=[p.pk for p in session.speakers.all()],
    )
