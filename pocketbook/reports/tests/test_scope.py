"""The viewer's scope: their areas, the breadcrumb down to the area asked for, 404 outside."""

from __future__ import annotations

import pytest
from django.http import Http404

from pocketbook.accounts.roles import Role
from pocketbook.accounts.tests.factories import UserFactory
from pocketbook.reports.scope import Crumb, allowed_area_codes, report_area

pytestmark = pytest.mark.django_db


def test_a_manager_starts_at_the_province_and_drills_down_with_a_breadcrumb(manager):
    # given / when
    top = report_area(manager, None)
    subdistrict = report_area(manager, "920101")
    # then
    assert (top.code, top.level, top.breadcrumb) == ("92", "province", [Crumb("92", "ตรัง")])
    assert subdistrict.level == "subdistrict"
    assert [crumb.code for crumb in subdistrict.breadcrumb] == ["92", "9201", "920101"]
    assert subdistrict.breadcrumb[1].name == "เมืองตรัง"
    assert subdistrict.name == "ทับเที่ยง"


@pytest.mark.parametrize("code", ["50", "5001", "9", "92x", "920199", "9201010101"])
def test_an_area_outside_the_scope_or_unknown_or_malformed_is_not_found(manager, code):
    # given / when / then
    with pytest.raises(Http404):
        report_area(manager, code)


def test_the_breadcrumb_starts_at_the_viewers_own_area_and_lists_their_other_areas():
    # given
    viewer = UserFactory(username="two", roles=[Role.ANALYST], areas=["9202", "920101"])
    # when
    area = report_area(viewer, "920101")
    # then
    assert [crumb.code for crumb in area.breadcrumb] == ["920101"]
    assert [crumb.code for crumb in area.other_roots] == ["9202"]
    with pytest.raises(Http404):
        report_area(viewer, "9201")


def test_a_superuser_starts_at_the_country_and_a_role_without_reports_sees_nothing(volunteer):
    # given
    root = UserFactory(username="root", is_superuser=True)
    # when
    country = report_area(root, "")
    # then
    assert (country.code, country.level, country.name) == ("", "country", "ประเทศไทย")
    assert allowed_area_codes(volunteer) == []
    with pytest.raises(Http404):
        report_area(volunteer, "920101")
