"""Training projects: check-in once per session, scores, certificates only for attendees, the report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pocketbook.volunteers import training_selectors, training_services
from pocketbook.volunteers.models import Attendance, Certificate, Participant
from pocketbook.volunteers.tests.factories import ParticipantFactory, ProjectFactory, SessionFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    return SessionFactory()


def test_check_in_by_qr_then_a_second_scan_says_who_and_when(session, manager):
    # given
    participant = ParticipantFactory(project=session.project, first_name="มานี", last_name="มีนา")
    token = training_services.check_in_qr_text(participant)
    # when
    found = training_services.participant_by_token(project=session.project, token=token)
    attendance = training_services.check_in(session=session, participant=found, method="qr", actor=manager)
    with pytest.raises(training_services.AlreadyCheckedIn) as error:
        training_services.check_in(session=session, participant=found, method="tick", actor=manager)
    # then
    when = timezone.localtime(attendance.checked_in_at)
    assert error.value.messages == [
        f"มานี มีนา already checked in at {when:%H:%M} on {when.day} {when:%B} {when.year} (by ทดสอบ ผู้ใช้). "
        "Nothing was changed."
    ]
    assert Attendance.objects.count() == 1


def test_a_qr_of_another_project_is_refused(session, manager):
    other = ParticipantFactory()
    with pytest.raises(ValidationError) as error:
        training_services.participant_by_token(project=session.project, token=other.check_in_token)
    assert error.value.message_dict["token"][0].startswith("This QR code is not a participant's code of this project")


def test_a_queued_scan_keeps_its_time_when_plausible(manager):
    now = timezone.now()
    session = SessionFactory(
        project=ProjectFactory(starts_on=timezone.localdate(), ends_on=timezone.localdate()),
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=1),
    )
    participant = ParticipantFactory(project=session.project)
    scanned = now - dt.timedelta(minutes=20)
    attendance = training_services.check_in(
        session=session, participant=participant, method="qr", actor=manager, at=scanned
    )
    assert attendance.checked_in_at == scanned
    later = ParticipantFactory(project=session.project)
    future = training_services.check_in(
        session=session, participant=later, method="qr", actor=manager, at=now + dt.timedelta(days=3)
    )
    assert future.checked_in_at <= timezone.now()


def test_a_certificate_for_someone_who_did_not_attend_is_refused(session, manager):
    participant = ParticipantFactory(project=session.project, first_name="ขาด", last_name="เรียน")
    with pytest.raises(ValidationError) as error:
        training_services.certificate_issue(participant=participant, actor=manager)
    assert error.value.message_dict["participant"] == [
        "ขาด เรียน did not attend any session of this project, so no certificate can be issued."
    ]
    assert Certificate.objects.count() == 0


def test_certificates_are_numbered_per_project_and_issued_once(session, manager):
    people = ParticipantFactory.create_batch(3, project=session.project)
    for person in people[:2]:
        training_services.check_in(session=session, participant=person, method="tick", actor=manager)
    other_session = SessionFactory()
    outsider = ParticipantFactory(project=other_session.project)
    training_services.check_in(session=other_session, participant=outsider, method="tick", actor=manager)
    # when
    issued = training_services.certificates_issue_all(project=session.project, actor=manager)
    again = training_services.certificates_issue_all(project=session.project, actor=manager)
    elsewhere = training_services.certificate_issue(participant=outsider, actor=manager)
    # then
    assert (issued, again) == (2, 0)
    assert sorted(Certificate.objects.filter(project=session.project).values_list("number", flat=True)) == [1, 2]
    assert elsewhere.number == 1
    assert len(elsewhere.code) == 10


def test_scores_are_checked(session, manager):
    participant = ParticipantFactory(project=session.project)
    with pytest.raises(ValidationError) as error:
        training_services.scores_set(participant=participant, pre_test="120", post_test="80", actor=manager)
    assert error.value.message_dict["pre_test_score"] == ["A score is a number from 0 to 100."]
    training_services.scores_set(participant=participant, pre_test="55.5", post_test="80", actor=manager)
    participant.refresh_from_db()
    assert (participant.pre_test_score, participant.post_test_score) == (Decimal("55.50"), Decimal("80.00"))


def test_report_counts_roles_attendance_and_the_gain(manager):
    # given: 3 volunteers, 1 speaker, 1 staff; two sessions
    project = ProjectFactory()
    first = SessionFactory(project=project)
    second = SessionFactory(project=project, topic="การใช้สมุดพก", starts_at=first.ends_at, ends_at=first.ends_at)
    volunteers = [
        training_services.participant_add(
            project=project, role="volunteer", volunteer=VolunteerFactory(), actor=manager
        )
        for _ in range(3)
    ]
    speaker = training_services.participant_add(project=project, role="speaker", first_name="วิทยากร", actor=manager)
    staff = training_services.participant_add(project=project, role="staff", first_name="เจ้าหน้าที่", actor=manager)
    for person in [*volunteers, speaker, staff]:
        training_services.check_in(session=first, participant=person, method="tick", actor=manager)
    training_services.check_in(session=second, participant=volunteers[0], method="tick", actor=manager)
    training_services.scores_set(participant=volunteers[0], pre_test="50", post_test="80", actor=manager)
    training_services.scores_set(participant=volunteers[1], pre_test="60", post_test="70", actor=manager)
    # when
    report = training_selectors.project_report(project=project)
    # then
    assert [(r.role, r.registered, r.present) for r in report.roles] == [
        ("volunteer", 3, 3),
        ("speaker", 1, 1),
        ("staff", 1, 1),
    ]
    assert (report.total_registered, report.total_attended) == (5, 5)
    assert [(line.present, line.rate) for line in report.sessions] == [(5, 100), (1, 20)]
    assert (report.mean_pre, report.mean_post, report.gain) == (Decimal("55.00"), Decimal("75.00"), Decimal("20.00"))


def test_a_volunteer_registers_once_per_project(manager):
    project = ProjectFactory()
    volunteer = VolunteerFactory()
    training_services.participant_add(project=project, role="volunteer", volunteer=volunteer, actor=manager)
    with pytest.raises(ValidationError):
        training_services.participant_add(project=project, role="volunteer", volunteer=volunteer, actor=manager)
    assert Participant.objects.count() == 1


def test_verify_masks_the_holders_name(session, manager):
    participant = ParticipantFactory(project=session.project, first_name="สมศรี", last_name="ใจดี")
    training_services.check_in(session=session, participant=participant, method="tick", actor=manager)
    certificate = training_services.certificate_issue(participant=participant, actor=manager)
    found = training_selectors.certificate_verify(certificate.code.lower())
    assert found == certificate
    assert training_selectors.mask_name("สมศรี", "ใจดี") == "สม*** ใ***"
    assert training_selectors.certificate_verify("NOPE'; --") is None


def test_scores_are_imported_from_a_file_with_the_bad_rows_reported(session, manager):
    import io

    from pocketbook.volunteers import importer

    first, second = ParticipantFactory.create_batch(2, project=session.project)
    outsider = ParticipantFactory()
    text = f"participant_id,pre_test,post_test\n{first.pk},50,75.5\n{second.pk},50,150\n{outsider.pk},1,2\n"
    report = importer.scores_import(
        project=session.project, stream=io.BytesIO(text.encode()), filename="scores.csv", actor=manager
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.pre_test_score, first.post_test_score) == (Decimal("50.00"), Decimal("75.50"))
    assert second.post_test_score is None
    assert report.created == 1
    assert [(r.row, r.column) for r in report.rejected] == [(3, "post_test"), (4, "participant_id")]


def test_participant_lists_answer_nothing_outside_the_viewers_areas(db, social_worker, other_province_worker):
    from pocketbook.volunteers import training_selectors
    from pocketbook.volunteers.tests.factories import ParticipantFactory, SessionFactory

    # given a project of Trang with one participant
    session = SessionFactory()
    participant = ParticipantFactory(project=session.project)
    # then
    assert list(training_selectors.participant_list(viewer=social_worker, project=session.project)) == [participant]
    assert [
        row["participant"] for row in training_selectors.session_tick_list(viewer=social_worker, session=session)
    ] == [participant]
    assert list(training_selectors.participant_list(viewer=other_province_worker, project=session.project)) == []
    assert training_selectors.session_tick_list(viewer=other_province_worker, session=session) == []
