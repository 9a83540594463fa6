"""A NUL character in a query string, a form or a JSON body is refused with a clear answer, never a 500.

PostgreSQL's text cannot hold NUL: `/households/?q=%00` once reached the database as a filter and answered 500
(as did the cases, agencies, area search and villages lists and their API). `NulCharacterMiddleware` refuses
the request before any view runs.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from pocketbook.accounts.tests.factories import UserFactory
from pocketbook.core.middleware import NulCharacterMiddleware
from pocketbook.households.models import Household

pytestmark = pytest.mark.django_db

FILTERS = "q=%00&village=%00&status=%00&area=%00&stage=%00&worker=%00&k=%00&type=%00&page=%00"


def _plain_paths(patterns: list, prefix: str = "") -> list[str]:
    """Every URL without a parameter: the lists and the pages that read filters from the query."""
    paths: list[str] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            paths += _plain_paths(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            paths.append(prefix + str(pattern.pattern))
    return sorted({re.sub("/+", "/", "/" + path) for path in paths if not re.search(r"[<(^$]|admin/", path)})


@pytest.fixture
def root_client() -> Client:
    client = Client()
    client.force_login(UserFactory(username="root", is_superuser=True, areas=["92"]))
    return client


def test_no_page_or_endpoint_answers_500_to_nul_in_its_query(root_client):
    # given
    paths = _plain_paths(get_resolver().url_patterns)
    assert "/households/" in paths and "/api/v1/cases" in paths  # the walk reaches the lists

    # when
    statuses = {path: root_client.get(f"{path}?{FILTERS}").status_code for path in paths}

    # then
    assert {path: status for path, status in statuses.items() if status >= 500} == {}
    assert statuses["/households/"] == 400
    assert statuses["/api/v1/cases"] == 422


def test_a_page_refuses_nul_in_thai_and_says_nothing_was_saved(root_client):
    # when
    response = root_client.get("/households/?q=%00")

    # then
    assert response.status_code == 400
    text = response.content.decode()
    assert "มองไม่เห็น (NUL)" in text
    assert "ยังไม่มีการบันทึกข้อมูลใด" in text


def test_the_api_names_the_query_parameter(root_client):
    # when
    response = root_client.get("/api/v1/cases?status=%00&limit=5")

    # then
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert [field["path"] for field in error["fields"]] == ["query.status"]


def test_a_json_body_with_nul_is_refused_naming_the_field_and_nothing_is_written(root_client):
    # given
    before = Household.objects.count()
    body = '{"area_code": "92010101", "house_number": "12\\u0000/3", "address": "ถนนพระราม"}'

    # when
    response = root_client.post("/api/v1/households", body, content_type="application/json")

    # then
    assert response.status_code == 422
    assert [field["path"] for field in response.json()["error"]["fields"]] == ["body.house_number"]
    assert Household.objects.count() == before


def test_a_form_with_nul_is_refused_and_nothing_is_written(root_client):
    # given
    before = Household.objects.count()

    # when
    response = root_client.post(
        "/households/new/",
        "area_code=92010101&house_number=1%00",
        content_type="application/x-www-form-urlencoded",
    )

    # then
    assert response.status_code == 400
    assert Household.objects.count() == before


def test_an_uploaded_file_may_hold_nul_bytes():
    # given: a multipart upload (an XLSX file is a zip, full of NUL bytes)
    request = RequestFactory().post("/households/import/", {"file": _file_with_nul()})
    reached: list[bool] = []

    def view(request):
        reached.append(True)
        return HttpResponse("ok")

    # when
    response = NulCharacterMiddleware(view)(request)

    # then
    assert response.status_code == 200
    assert reached == [True]


def _file_with_nul() -> SimpleUploadedFile:
    return SimpleUploadedFile("book.xlsx", b"PK\x03\x04\x00\x00\x00", content_type="application/octet-stream")
