"""The demo: Trang's units, responders, and incidents in every state; running it again adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from pocketbook.accounts.models import User
from pocketbook.incidents.choices import Status
from pocketbook.incidents.models import Incident, Responder, Unit


def seed() -> None:
    call_command(
        "seed_demo",
        "--households",
        "5",
        "--villages-per-subdistrict",
        "1",
        "--subdistricts-per-district",
        "1",
        "--quiet-logins",
        stdout=io.StringIO(),
    )


@pytest.mark.django_db
def test_the_demo_builds_units_responders_and_incidents_in_every_state():
    # when
    seed()
    seed()
    # then
    assert Unit.objects.count() == 12  # the office, the 1300 team, and Trang's ten district police stations
    assert Unit.objects.get(is_province_default=True).managers.filter(username="manager").exists()
    assert Responder.objects.count() == 4
    assert User.objects.get(username="responder_police1").check_password("pocketbook-demo")
    assert set(Incident.objects.values_list("status", flat=True)) == set(Status.values)
    assert Incident.objects.count() == 12
    assert Incident.objects.filter(location_to_confirm=True).count() == 1
    assert Incident.objects.filter(is_overdue=True).exists()
