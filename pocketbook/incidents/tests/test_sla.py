"""SLA escalation with frozen time, the escalate_overdue command, and loading centroids."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from pocketbook.accounts.roles import Role
from pocketbook.accounts.tests.factories import UserFactory
from pocketbook.incidents import services
from pocketbook.incidents.choices import EventKind
from pocketbook.incidents.models import IncidentEvent, SlaTarget, SubdistrictCentroid
from pocketbook.incidents.tests.conftest import frozen

BANGKOK = dt.timezone(dt.timedelta(hours=7))
T0 = dt.datetime(2026, 5, 1, 2, 0, tzinfo=BANGKOK)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


@pytest.fixture
def unit_manager(district_unit):
    user = UserFactory(username="unitboss", email="boss@example.org", roles=[Role.MANAGER], areas=["9201"])
    district_unit.managers.add(user)
    return user


@pytest.mark.django_db
def test_the_targets_are_data():
    assert {
        (t.priority, t.acknowledge_minutes, t.dispatch_minutes, t.on_scene_minutes) for t in SlaTarget.objects.all()
    } == {
        ("high", 5, 15, 60),
        ("medium", 15, 60, 240),
        ("low", 60, 240, 1440),
    }


@pytest.mark.django_db
def test_each_missed_step_is_escalated_once_and_the_manager_told(
    ess_operator, unit_manager, django_capture_on_commit_callbacks
):
    # given a high-priority incident received at T0
    with frozen(at(0)):
        incident = services.incident_open(incident_type="assault", channel="line", area_code="920101")
    # when nobody acknowledges within 5 minutes
    with frozen(at(4)):
        assert services.incidents_escalate_overdue() == 0
    with frozen(at(6)), django_capture_on_commit_callbacks(execute=True):
        assert services.incidents_escalate_overdue() == 1
    with frozen(at(6.5)):
        assert services.incidents_escalate_overdue() == 0
    # then
    incident.refresh_from_db()
    assert (incident.is_overdue, incident.escalated_steps) == (True, ["acknowledge"])
    escalation = IncidentEvent.objects.get(incident=incident, kind=EventKind.ESCALATED)
    assert escalation.params == {"step": "acknowledge", "minutes": 5, "notified": [str(unit_manager)]}
    assert [(m.to, m.subject) for m in mail.outbox] == [(["boss@example.org"], f"เรื่อง {incident.number} เกินกำหนดเวลา")]

    # when it is acknowledged late, it is no longer overdue until the next target passes
    with frozen(at(7)):
        services.incident_acknowledge(incident=incident, actor=ess_operator)
    incident.refresh_from_db()
    assert incident.is_overdue is False
    with frozen(at(16)):
        assert services.incidents_escalate_overdue() == 1
    incident.refresh_from_db()
    assert (incident.is_overdue, incident.escalated_steps) == (True, ["acknowledge", "dispatch"])


@pytest.mark.django_db
def test_closed_and_fast_incidents_are_not_escalated(ess_operator, district_unit):
    with frozen(at(0)):
        closed = services.incident_open(incident_type="assault", channel="line", area_code="920101")
        services.incident_status_change(incident=closed, status="false_alarm", actor=ess_operator)
        low = services.incident_open(incident_type="beggars", channel="hotline", area_code="920101")
    with frozen(at(59)):
        assert services.incidents_escalate_overdue() == 0
    with frozen(at(61)):
        assert services.incidents_escalate_overdue() == 1
    low.refresh_from_db()
    closed.refresh_from_db()
    assert (low.is_overdue, closed.is_overdue) == (True, False)


@pytest.mark.django_db
def test_several_steps_missed_at_once_are_recorded_together(district_unit):
    with frozen(at(0)):
        incident = services.incident_open(incident_type="assault", channel="line", area_code="920101")
    with frozen(at(61)):
        assert services.incidents_escalate_overdue() == 3
    incident.refresh_from_db()
    assert incident.escalated_steps == ["acknowledge", "dispatch", "on_scene"]
    notified = IncidentEvent.objects.filter(incident=incident, kind=EventKind.ESCALATED).values_list(
        "params__notified", flat=True
    )
    assert list(notified) == [[], [], []]


@pytest.mark.django_db
def test_the_command_runs_the_escalation(district_unit):
    with frozen(at(0)):
        services.incident_open(incident_type="assault", channel="line", area_code="920101")
    out = io.StringIO()
    with frozen(at(10)):
        call_command("escalate_overdue", stdout=out)
    assert out.getvalue() == "Escalations: 1\n"


@pytest.mark.django_db
def test_load_centroids_reads_the_documented_csv(tmp_path):
    # given
    path = tmp_path / "centroids.csv"
    path.write_text(
        "subdistrict_code,latitude,longitude\n920101,7.5563,99.6114\n999999,7,99\n920104,north,99\n920104,7.51,99.58\n",
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    # when
    call_command("load_centroids", str(path), stdout=out, stderr=err)
    call_command("load_centroids", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    # then
    assert sorted(SubdistrictCentroid.objects.values_list("subdistrict_code", "latitude", "longitude")) == [
        ("920101", 7.5563, 99.6114),
        ("920104", 7.51, 99.58),
    ]
    assert "Centroids loaded: 2; rows refused: 2." in out.getvalue()
    assert err.getvalue().splitlines() == [
        "line 3: '999999' is not a subdistrict code",
        "line 4: latitude and longitude must be numbers",
    ]


@pytest.mark.django_db
def test_load_centroids_refuses_a_file_without_the_columns(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("code,lat\n920101,7\n", encoding="utf-8")
    with pytest.raises(CommandError, match="The CSV header lacks: latitude, longitude, subdistrict_code"):
        call_command("load_centroids", str(path))
    assert SubdistrictCentroid.objects.count() == 0


@pytest.mark.django_db
def test_the_trang_sample_loads():
    sample = Path(__file__).resolve().parents[1] / "data" / "centroids_trang_sample.csv"
    call_command("load_centroids", str(sample), stdout=io.StringIO())
    assert SubdistrictCentroid.objects.filter(subdistrict_code__startswith="92").count() == 10
