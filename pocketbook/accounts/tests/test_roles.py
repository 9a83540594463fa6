import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group

from pocketbook.accounts.roles import Role
from pocketbook.accounts.services import roles_sync_after_migrate, user_create
from pocketbook.audit.models import ObjectChange

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


REFERENCE_DATA = {"view_aggregates", "view_indicatorset", "view_indicator"}


def test_analysts_hold_no_permission_on_personal_records():
    permissions = set(Group.objects.get(name=Role.ANALYST).permissions.values_list("codename", flat=True))
    assert "view_aggregates" in permissions
    assert permissions <= REFERENCE_DATA


def test_the_roles_are_synced_once_the_last_app_with_models_has_migrated():
    # given an analyst group that lost its permissions
    analysts = Group.objects.get(name=Role.ANALYST)
    held = set(analysts.permissions.all())
    assert held
    analysts.permissions.clear()
    with_models = [config for config in django_apps.get_app_configs() if config.models_module is not None]
    # when an app other than the last migrates, nothing is synced yet
    roles_sync_after_migrate(django_apps.get_app_config("accounts"))
    assert set(analysts.permissions.all()) == set()
    # when the last one has migrated, the group holds what the roles give it again, and again after a second run
    roles_sync_after_migrate(with_models[-1])
    assert set(analysts.permissions.all()) == held
    roles_sync_after_migrate(with_models[-1])
    assert set(analysts.permissions.all()) == held


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
