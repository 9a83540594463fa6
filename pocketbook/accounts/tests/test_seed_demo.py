import pytest
from django.core.management import call_command

from pocketbook.accounts.models import User
from pocketbook.accounts.roles import Role
from pocketbook.geo.models import Village

pytestmark = pytest.mark.django_db


def run_seed(capsys, *args):
    call_command("seed_demo", "--households", "20", "--villages-per-subdistrict", "2", *args)
    return capsys.readouterr().out


def test_seed_demo_builds_trang_with_a_login_for_every_role(capsys):
    out = run_seed(capsys)
    assert Village.objects.filter(code__startswith="92").count() == 10 * 2 * 2
    for role in Role:
        assert User.objects.filter(groups__name=role.value).exists(), role
    assert "pocketbook-demo" in out
    volunteer = User.objects.get(username="volunteer")
    assert volunteer.check_password("pocketbook-demo")
    assert volunteer.area_codes()[0].startswith("92")


def test_seed_demo_again_keeps_the_data(capsys):
    run_seed(capsys)
    counts = (Village.objects.count(), User.objects.count())
    run_seed(capsys)
    assert (Village.objects.count(), User.objects.count()) == counts


def test_seed_demo_refuses_an_unknown_province(capsys):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed_demo", "--province", "00")
