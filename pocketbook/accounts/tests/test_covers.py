"""The area boundary every write checks (`User.covers`) and the role test, at their exact edges.

Part of `make mutants`' selection (pyproject.toml): weakening `covers` to "any area of my province" or
"the district around me" must fail here, with neighbours in the same district and the same province.
"""

import pytest

from conftest import HOME_SUBDISTRICT, OTHER_DISTRICT, SAME_DISTRICT_SUBDISTRICT
from pocketbook.accounts.roles import Role
from pocketbook.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_subdistrict_user_covers_their_subdistrict_and_its_villages_only():
    # given
    user = UserFactory(username="sub", roles=[Role.VOLUNTEER], areas=[HOME_SUBDISTRICT])

    # when
    answers = {
        code: user.covers(code)
        for code in (
            HOME_SUBDISTRICT,
            HOME_SUBDISTRICT + "01",
            SAME_DISTRICT_SUBDISTRICT,
            SAME_DISTRICT_SUBDISTRICT + "01",
            HOME_SUBDISTRICT[:4],
            OTHER_DISTRICT + "01",
            "92",
            "50",
            "",
        )
    }

    # then: neither the district around it, nor a neighbour in the district, nor the province
    assert answers == {
        HOME_SUBDISTRICT: True,
        HOME_SUBDISTRICT + "01": True,
        SAME_DISTRICT_SUBDISTRICT: False,
        SAME_DISTRICT_SUBDISTRICT + "01": False,
        HOME_SUBDISTRICT[:4]: False,
        OTHER_DISTRICT + "01": False,
        "92": False,
        "50": False,
        "": False,
    }


def test_a_district_user_covers_the_district_not_a_neighbouring_district_of_the_province():
    user = UserFactory(username="dist", roles=[Role.ESS_OPERATOR], areas=[OTHER_DISTRICT])

    assert [user.covers(code) for code in (OTHER_DISTRICT, OTHER_DISTRICT + "0101", HOME_SUBDISTRICT, "92")] == [
        True,
        True,
        False,
        False,
    ]


def test_a_user_of_two_areas_covers_both_and_nothing_between():
    user = UserFactory(username="two", roles=[Role.SOCIAL_WORKER], areas=[HOME_SUBDISTRICT, OTHER_DISTRICT])

    assert user.area_codes() == sorted([HOME_SUBDISTRICT, OTHER_DISTRICT])
    assert [user.covers(code) for code in (HOME_SUBDISTRICT, OTHER_DISTRICT + "01", SAME_DISTRICT_SUBDISTRICT)] == [
        True,
        True,
        False,
    ]


def test_a_user_without_areas_covers_nothing_and_a_superuser_everything():
    nobody = UserFactory(username="none", roles=[Role.SOCIAL_WORKER], areas=[])
    root = UserFactory(username="root", is_superuser=True, areas=[])

    assert [nobody.covers(code) for code in ("92", HOME_SUBDISTRICT)] == [False, False]
    assert [root.covers(code) for code in ("92", "50")] == [True, True]


def test_has_role_is_any_of_the_roles_given():
    user = UserFactory(username="sw", roles=[Role.SOCIAL_WORKER], areas=[HOME_SUBDISTRICT])

    assert user.has_role(Role.SOCIAL_WORKER) is True
    assert user.has_role(Role.VOLUNTEER, Role.SOCIAL_WORKER) is True
    assert user.has_role(Role.VOLUNTEER) is False
    assert user.has_role() is False
    assert UserFactory(username="root", is_superuser=True).has_role(Role.VOLUNTEER) is True


def test_areas_names_each_area_and_leaves_out_unknown_codes():
    user = UserFactory(username="named", roles=[Role.SOCIAL_WORKER], areas=[HOME_SUBDISTRICT, "99999999"])

    assert [area.code for area in user.areas()] == [HOME_SUBDISTRICT]
