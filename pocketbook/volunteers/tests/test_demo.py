"""The demo: Trang's volunteers with households and schedules, and the 2 June 2566 project as the issue tells it."""

import datetime as dt

import pytest
from django.core.management import call_command

from pocketbook.accounts.models import User
from pocketbook.core.funding import funding_source_find
from pocketbook.volunteers import training_selectors
from pocketbook.volunteers.demo import PROJECT_TITLE
from pocketbook.volunteers.models import Certificate, TrainingProject, Visit, VisitSchedule, Volunteer

pytestmark = pytest.mark.django_db


def test_the_demo_builds_the_project_of_2_june_2566_and_keeps_it_on_a_second_run(capsys):
    # when
    call_command("seed_demo", "--households", "40", "--villages-per-subdistrict", "2", "--quiet-logins")
    counts = (
        Volunteer.objects.count(),
        Certificate.objects.count(),
        VisitSchedule.objects.count(),
        Visit.objects.count(),
    )
    call_command("seed_demo", "--households", "40", "--villages-per-subdistrict", "2", "--quiet-logins")
    # then
    project = TrainingProject.objects.get(title=PROJECT_TITLE)
    report = training_selectors.project_report(project=project)
    assert project.starts_on == dt.date(2023, 6, 2) and project.fiscal_year == 2566
    assert project.budget_source == "กองทุนส่งเสริมการจัดสวัสดิการสังคมจังหวัดตรัง"
    paying = funding_source_find(name=project.budget_source)
    assert paying is not None and paying.reference.startswith("cases.fund:")
    assert project.budget_fund == paying.reference
    assert [(r.role, r.registered) for r in report.roles] == [("volunteer", 100), ("speaker", 10), ("staff", 10)]
    assert report.total_registered == 120 and report.total_attended == 120
    assert report.certificates == 120 and report.mean_post > report.mean_pre
    assert [line.present for line in report.sessions][:2] == [120, 120]
    assert (
        Volunteer.objects.count(),
        Certificate.objects.count(),
        VisitSchedule.objects.count(),
        Visit.objects.count(),
    ) == counts
    assert counts[3] > 0
    demo_volunteer = Volunteer.objects.get(user=User.objects.get(username="volunteer"))
    assert demo_volunteer.caseload == VisitSchedule.objects.filter(volunteer=demo_volunteer).count() > 0
