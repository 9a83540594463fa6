"""Erasing a person withdraws the exports of people made before it: a file written earlier may hold them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pocketbook.households import privacy
from pocketbook.households.tests.factories import HouseholdFactory, MemberFactory
from pocketbook.reports.export_files import export_path
from pocketbook.reports.export_models import ExportJob, ExportStatus
from pocketbook.reports.tests.exporting import csv_rows, export_now

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("exports_dir")]


def test_erasure_withdraws_the_exports_of_people_and_keeps_those_of_figures(
    client, manager, administrator, django_capture_on_commit_callbacks
):
    # given: the manager exported the members (the person among them) and a table of figures
    household = HouseholdFactory(area_code="92010101", has_consent=True)
    member = MemberFactory(household=household, first_name="วรางคณา", last_name="พฤกษ์ทดลอง", relation="head")
    members = export_now(manager, "members")
    figures = export_now(manager, "households_by_area")
    assert any("วรางคณา" in cell for row in csv_rows(members) for cell in row)
    members_file, figures_file = export_path(members), export_path(figures)

    # when: an administrator erases her
    with django_capture_on_commit_callbacks(execute=True):
        privacy.person_erase(member=member, actor=administrator)

    # then: the members' file is gone and its link says it expired; the figures stay
    members.refresh_from_db()
    figures.refresh_from_db()
    assert (members.status, members_file.exists()) == (ExportStatus.EXPIRED, False)
    assert (figures.status, figures_file.exists()) == (ExportStatus.DONE, True)
    client.force_login(manager)
    assert client.get(reverse("reports:export_download", args=[members.public_id])).status_code == 410
    assert client.get(reverse("reports:export_download", args=[figures.public_id])).status_code == 200
    assert ExportJob.objects.count() == 2
