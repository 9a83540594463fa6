"""Exports through the API: started with ISO dates and downloaded by the owner, refused to an analyst, hidden
from others, 410 once expired."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from pocketbook.households.tests.factories import MemberFactory
from pocketbook.reports.export_models import ExportJob
from pocketbook.reports.tests.exporting import export_now

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("exports_dir")]


def test_the_api_starts_an_export_with_iso_dates_and_the_owner_downloads_it(
    client, social_worker, django_capture_on_commit_callbacks
):
    # given
    MemberFactory(birth_date=dt.date(1980, 5, 17))
    client.force_login(social_worker)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            "/api/v1/exports",
            {"list": "members", "format": "csv", "filters": {"area": "920101"}},
            content_type="application/json",
        )
    detail = client.get(f"/api/v1/exports/{created.json()['id']}")
    download = client.get(detail.json()["download_url"])
    # then
    assert created.status_code == 201
    assert (detail.json()["status"], detail.json()["rows_done"], detail.json()["filters"]) == (
        "done",
        1,
        {"area": "920101"},
    )
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(body)))[1][7] == "1980-05-17"
    assert ExportJob.objects.get().buddhist_era is False


def test_the_api_refuses_an_analyst_and_hides_others_exports(client, analyst, social_worker, neighbour_social_worker):
    # given
    job = export_now(social_worker, "households")
    client.force_login(analyst)
    # when
    refused = client.post("/api/v1/exports", {"list": "members"}, content_type="application/json")
    client.force_login(neighbour_social_worker)
    hidden = client.get(f"/api/v1/exports/{job.public_id}")
    hidden_file = client.get(f"/api/v1/exports/{job.public_id}/download")
    # then
    assert refused.status_code == 403
    assert ExportJob.objects.count() == 1
    assert (hidden.status_code, hidden_file.status_code) == (404, 404)


def test_the_api_answers_410_for_an_expired_export(client, social_worker):
    # given
    job = export_now(social_worker, "households")
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    client.force_login(social_worker)
    # when
    detail = client.get(f"/api/v1/exports/{job.public_id}")
    download = client.get(f"/api/v1/exports/{job.public_id}/download")
    # then
    assert (detail.json()["status"], detail.json()["download_url"]) == ("expired", None)
    assert download.status_code == 410
