import pytest
from django.contrib.auth.models import Group

from pocketbook.accounts.roles import Role
from pocketbook.accounts.services import user_create
from pocketbook.audit.models import ObjectChange

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


REFERENCE_DATA = {"view_aggregates", "view_indicatorset", "view_indicator"}


def test_analysts_hold_no_permission_on_personal_records():
    permissions = set(Group.objects.get(name=Role.ANALYST).permissions.values_list("codename", flat=True))
    assert "view_aggregates" in permissions
    assert permissions <= REFERENCE_DATA


def test_user_create_checks_areas_and_audits(administrator):
    user = user_create(
        username="new", password="long-enough-pw", roles=[Role.VOLUNTEER], area_codes=["920101"], actor=administrator
    )
    assert user.has_role(Role.VOLUNTEER) and not user.has_role(Role.MANAGER)
    assert user.area_codes() == ["920101"]
    assert ObjectChange.objects.filter(object_id=str(user.pk), user=administrator).exists()


def test_user_create_refuses_unknown_areas(administrator):
    from django.core.exceptions import ValidationError

    from pocketbook.accounts.models import User

    with pytest.raises(ValidationError):
        user_create(username="new", password=None, roles=[Role.VOLUNTEER], area_codes=["929999"], actor=administrator)
    assert not User.objects.filter(username="new").exists()
