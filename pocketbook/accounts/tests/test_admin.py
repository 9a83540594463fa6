"""An administrator of one area manages only that area's users and cannot raise anyone's rights, their own least."""

import pytest
from django.contrib.auth.models import Group

from pocketbook.accounts.models import AreaAssignment, User
from pocketbook.accounts.roles import Role
from pocketbook.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def change_form(user, **overrides):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": "",
        "phone": "",
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2025-01-01",
        "date_joined_1": "00:00:00",
        "area_assignments-TOTAL_FORMS": "0",
        "area_assignments-INITIAL_FORMS": "0",
        "area_assignments-MIN_NUM_FORMS": "0",
        "area_assignments-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_an_area_administrator_cannot_make_themselves_superuser(client, administrator):
    client.force_login(administrator)
    response = client.post(
        f"/admin/accounts/user/{administrator.pk}/change/",
        change_form(administrator, is_superuser="on", is_staff="on"),
    )
    administrator.refresh_from_db()
    assert response.status_code in (200, 302)
    assert not administrator.is_superuser
    assert administrator.area_codes() == ["92"]


def test_an_area_administrator_sees_only_users_of_their_areas(client, administrator, volunteer, other_province_worker):
    client.force_login(administrator)
    listing = client.get("/admin/accounts/user/").content.decode()
    assert f"/admin/accounts/user/{volunteer.pk}/change/" in listing
    assert f"/admin/accounts/user/{other_province_worker.pk}/change/" not in listing
    assert client.get(f"/admin/accounts/user/{other_province_worker.pk}/change/").status_code == 302  # "not found"
    other = User.objects.get(pk=other_province_worker.pk)
    assert other.area_codes() == ["50"]


def test_an_area_administrator_cannot_give_areas_outside_their_own(client, administrator, volunteer):
    client.force_login(administrator)
    data = change_form(
        volunteer,
        **{
            "area_assignments-TOTAL_FORMS": "1",
            "area_assignments-0-area_code": "50",
            "area_assignments-0-user": str(volunteer.pk),
            "groups": [str(Group.objects.get(name=Role.VOLUNTEER).pk)],
        },
    )
    response = client.post(f"/admin/accounts/user/{volunteer.pk}/change/", data)
    assert response.status_code == 200
    assert "อยู่นอกพื้นที่" in response.content.decode()
    assert not AreaAssignment.objects.filter(user=volunteer, area_code="50").exists()


def test_an_area_administrator_cannot_hand_out_the_administrator_role(client, administrator, volunteer):
    client.force_login(administrator)
    admin_group = Group.objects.get(name=Role.ADMINISTRATOR)
    response = client.post(
        f"/admin/accounts/user/{volunteer.pk}/change/", change_form(volunteer, groups=[str(admin_group.pk)])
    )
    assert response.status_code == 200
    assert not volunteer.groups.filter(name=Role.ADMINISTRATOR).exists()


def test_a_superuser_still_manages_everyone(client, other_province_worker):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    assert client.get(f"/admin/accounts/user/{other_province_worker.pk}/change/").status_code == 200


def test_an_area_administrator_assigns_an_area_inside_their_own(client, administrator, volunteer):
    client.force_login(administrator)
    data = change_form(
        volunteer,
        **{
            "area_assignments-TOTAL_FORMS": "1",
            "area_assignments-0-area_code": "920104",
            "area_assignments-0-user": str(volunteer.pk),
            "groups": [str(Group.objects.get(name=Role.VOLUNTEER).pk)],
        },
    )
    response = client.post(f"/admin/accounts/user/{volunteer.pk}/change/", data)
    assert response.status_code == 302
    assert sorted(volunteer.area_assignments.values_list("area_code", flat=True)) == ["920101", "920104"]
