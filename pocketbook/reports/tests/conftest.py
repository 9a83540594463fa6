"""Fixtures of the reports tests: the cases tests' villages, household, agency and fund; assessed households,
incidents, and a folder for export files."""

import datetime as dt

import pytest
from django.utils import translation

from pocketbook.assessments import services as assessment_services
from pocketbook.assessments.tests.factories import answers_for, couple_household
from pocketbook.cases.tests.conftest import agency, fund, household, villages  # noqa: F401 - fixtures
from pocketbook.incidents import services as incident_services
from pocketbook.reports.household_counts import rebuild_households, rebuild_poverty


@pytest.fixture
def exports_dir(settings, tmp_path):
    """Export files go to the test's own folder."""
    settings.EXPORTS_DIR = tmp_path / "exports"


@pytest.fixture
def assessed(volunteer):
    """Three households of one subdistrict with names and addresses, two failing the living dimension."""
    for number in range(3):
        home, head, spouse = couple_household(area_code="920101", house_no=f"77/{number}", address="ถนนพิเศษสุข")
        answers = answers_for(head, spouse, household={"tidy_house": number == 2})
        assessment_services.assessment_submit(
            household=home, assessed_on=dt.date(2026, 10, 1), answers=answers, actor=volunteer
        )
    rebuild_households()
    rebuild_poverty()


@pytest.fixture
def incidents(ess_operator):
    """Three incidents in ทับเที่ยง (one closed as a false alarm) with the reporter's name and address."""
    opened = [
        incident_services.incident_open(
            incident_type="assault",
            channel="hotline",
            area_code="920101",
            reporter_name="นางสมใจ ลับเฉพาะ",
            address_text="12 ถนนลับ",
            latitude=7.55,
            longitude=99.61,
        )
        for _ in range(3)
    ]
    incident_services.incident_status_change(incident=opened[0], status="false_alarm", actor=ess_operator)
    return opened


@pytest.fixture
def english():
    """Service messages and labels in English, for the tests that assert them."""
    with translation.override("en"):
        yield
