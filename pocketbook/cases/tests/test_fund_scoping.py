"""Funds serve their area and the areas inside it: the shared `ServingQuerySet` scope."""

import pytest

from conftest import OTHER_DISTRICT
from pocketbook.accounts.roles import Role
from pocketbook.accounts.tests.factories import UserFactory
from pocketbook.cases.models import Fund

pytestmark = pytest.mark.django_db


def test_a_subdistrict_worker_sees_the_province_and_district_funds_not_a_neighbouring_districts(social_worker):
    # given: funds of the province, of the worker's district, of a neighbouring district and of another province
    for name, area in (("จังหวัด", "92"), ("อำเภอ", "9201"), ("กันตัง", OTHER_DISTRICT), ("เชียงใหม่", "50")):
        Fund.objects.create(name=name, owner="พมจ.", area_code=area)

    # when
    seen = sorted(Fund.objects.for_user(social_worker).values_list("name", flat=True))

    # then
    assert seen == ["จังหวัด", "อำเภอ"]


def test_a_district_manager_sees_the_province_fund_but_changes_only_the_districts():
    # given: a manager of อ.เมืองตรัง, and funds of the province, of the district and of another province
    manager = UserFactory(username="mgr_district", roles=[Role.MANAGER], areas=["9201"])
    for name, area in (("จังหวัด", "92"), ("อำเภอ", "9201"), ("เชียงใหม่", "50")):
        Fund.objects.create(name=name, owner="พมจ.", area_code=area)

    # when
    seen = sorted(Fund.objects.for_user(manager, "view").values_list("name", flat=True))
    changeable = sorted(Fund.objects.for_user(manager, "change").values_list("name", flat=True))

    # then: the province's fund is the province's to change (the budget page and the admin ask for "change")
    assert (seen, changeable) == (["จังหวัด", "อำเภอ"], ["อำเภอ"])
