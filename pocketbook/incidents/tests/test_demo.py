"""The demo: Trang's units, responders, and incidents in every state; running it again adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from pocketbook.accounts.models import User
from pocketbook.incidents import selectors
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
    # three named, the shared demo login, and one officer at each of the other nine district stations
    assert Responder.objects.count() == 13
    assert set(
        Unit.objects.filter(kind="police_station", responders__isnull=False).values_list("pk", flat=True)
    ) == set(Unit.objects.filter(kind="police_station").values_list("pk", flat=True))
    assert User.objects.get(username="responder_police1").check_password("pocketbook-demo")
    assert set(Incident.objects.values_list("status", flat=True)) == set(Status.values)
    assert Incident.objects.count() == 12
    assert Incident.objects.filter(location_to_confirm=True).count() == 1
    assert Incident.objects.filter(is_overdue=True).exists()


@pytest.mark.django_db
def test_a_demo_incident_routed_to_another_district_is_offered_its_own_stations_officer_first():
    # given
    seed()
    operator = User.objects.get(username="operator")
    incident = Incident.objects.filter(unit__kind="police_station").exclude(unit__name="สถานีตำรวจภูธรเมืองตรัง").first()
    assert incident is not None  # the demo routes reports across the province's districts

    # when
    offered = list(selectors.responders_for_incident(viewer=operator, incident=incident))

    # then
    assert offered[0].unit_id == incident.unit_id
