"""`Model.objects.for_user(user, action)`: superuser all, no permission nothing, else by area prefix."""

import pytest
from django.contrib.auth.models import AnonymousUser

from pocketbook.accounts.roles import Role
from pocketbook.accounts.tests.factories import UserFactory
from pocketbook.geo.models import Village
from pocketbook.geo.services import village_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def villages():
    return [
        village_create(subdistrict_code="920101", number=1, name="บ้านทับเที่ยง", actor=None),
        village_create(subdistrict_code="920104", number=2, name="บ้านนาพละ", actor=None),
        village_create(subdistrict_code="500101", number=1, name="บ้านศรีภูมิ", actor=None),
    ]


def codes(queryset):
    return sorted(queryset.values_list("code", flat=True))


def test_a_user_sees_only_records_under_their_area_codes(villages, volunteer):
    assert codes(Village.objects.for_user(volunteer)) == ["92010101"]


def test_a_province_manager_sees_the_whole_province(villages, manager):
    assert codes(Village.objects.for_user(manager)) == ["92010101", "92010402"]


def test_a_user_of_another_province_sees_nothing_of_trang(villages, other_province_worker):
    assert codes(Village.objects.for_user(other_province_worker)) == ["50010101"]


def test_a_user_without_the_permission_sees_nothing(villages, analyst):
    assert codes(Village.objects.for_user(analyst)) == []


def test_a_user_without_areas_sees_nothing(villages):
    lonely = UserFactory(username="lonely", roles=[Role.SOCIAL_WORKER], areas=[])
    assert codes(Village.objects.for_user(lonely)) == []


def test_anonymous_and_inactive_users_see_nothing(villages, manager):
    assert codes(Village.objects.for_user(AnonymousUser())) == []
    manager.is_active = False
    assert codes(Village.objects.for_user(manager)) == []


def test_a_superuser_sees_everything(villages):
    root = UserFactory(username="root", is_superuser=True)
    assert len(codes(Village.objects.for_user(root))) == 3


def test_the_action_is_checked_separately(villages, manager, administrator):
    assert codes(Village.objects.for_user(manager, "add")) == []
    assert codes(Village.objects.for_user(administrator, "add")) == ["92010101", "92010402"]


def test_for_permission_scopes_by_area_for_a_holder_of_any_of_the_permissions(villages, analyst, volunteer):
    # given an analyst of Trang (reports.view_aggregates, no geo.view_village) and a volunteer of one subdistrict
    # when each asks for the villages under permissions other than the model's own
    by_analyst = Village.objects.for_permission(analyst, "volunteers.view_coverage", "reports.view_aggregates")
    by_volunteer = Village.objects.for_permission(volunteer, "volunteers.view_coverage", "reports.view_aggregates")
    # then the holder sees the rows of their areas, the other nothing
    assert codes(by_analyst) == ["92010101", "92010402"]
    assert codes(by_volunteer) == []
    assert codes(Village.objects.for_permission(AnonymousUser(), "reports.view_aggregates")) == []
