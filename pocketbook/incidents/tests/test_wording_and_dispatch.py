"""What an operator reads: distinct plain words per state, times to the second, and whom to send.

The dispatch list offers the routed unit's responders first, free before busy, and says of each
whether they are on a job now.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from pocketbook.accounts.roles import Role
from pocketbook.accounts.tests.factories import UserFactory
from pocketbook.incidents.choices import DispatchStatus, Status
from pocketbook.incidents.forms import DispatchForm
from pocketbook.incidents.selectors import responders_for_incident
from pocketbook.incidents.tests.factories import DispatchFactory, IncidentFactory, ResponderFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_every_state_has_its_own_plain_thai_word_and_none_says_edit():
    with translation.override("th"):
        words = [str(label) for _value, label in Status.choices]

    assert words == [
        "แจ้งเข้ามาใหม่",
        "รับเรื่องแล้ว",
        "ส่งเจ้าหน้าที่แล้ว",
        "ถึงที่เกิดเหตุ",
        "ช่วยเหลือเสร็จสิ้น",
        "ส่งต่อหน่วยอื่น",
        "ไม่พบเหตุ",
        "เรื่องซ้ำ",
    ]
    assert len(set(words)) == len(words)
    assert not [word for word in words if "แก้ไข" in word]


def test_the_board_says_when_it_was_read_and_when_each_report_came_to_the_second(client, ess_operator):
    # given
    received = timezone.make_aware(dt.datetime(2026, 12, 5, 7, 8, 9))
    incident = IncidentFactory(received_at=received)
    client.force_login(ess_operator)

    # when
    html = client.get(reverse("incidents:board"), HTTP_HX_REQUEST="true").content.decode()

    # then
    assert re.search(r"ข้อมูล ณ \d\d:\d\d:\d\d", html)
    assert "รับแจ้ง 07:08:09" in html
    assert incident.number in html
    assert "แก้ไข" not in html


def test_the_incident_page_shows_the_report_time_to_the_second(client, ess_operator):
    received = timezone.make_aware(dt.datetime(2026, 12, 5, 7, 8, 9))
    incident = IncidentFactory(received_at=received)
    client.force_login(ess_operator)

    html = client.get(reverse("incidents:incident_detail", args=[incident.pk])).content.decode()

    assert "<dt>เวลารับแจ้ง</dt><dd>5 ธันวาคม 2569 07:08:09" in html


@pytest.fixture
def routed(db):
    """An incident routed to สภ.ปะเหลียน; responders there and at two other units of the province."""
    paliang = UnitFactory(name="สภ.ปะเหลียน", areas=["9206"])
    mueang = UnitFactory(name="สภ.เมืองตรัง", areas=["9201"])
    office = UnitFactory(name="พมจ.ตรัง", areas=["92"])
    people = {}
    for username, unit in (
        ("mueang", mueang),
        ("office", office),
        ("paliang-busy", paliang),
        ("paliang-free", paliang),
    ):
        user = UserFactory(username=username, first_name=username, roles=[Role.RESPONDER], areas=["92"])
        people[username] = ResponderFactory(user=user, unit=unit)
    incident = IncidentFactory(area_code="920601", unit=paliang, status=Status.ACKNOWLEDGED)
    DispatchFactory(responder=people["paliang-busy"], status=DispatchStatus.ACCEPTED)
    DispatchFactory(responder=people["mueang"], status=DispatchStatus.COMPLETED)
    return incident, people


def test_dispatch_offers_the_routed_units_responders_first_free_before_busy(routed, ess_operator):
    incident, _people = routed

    offered = list(responders_for_incident(viewer=ess_operator, incident=incident))

    # then: the routed unit first (free before busy), then the other units by name
    assert [r.user.username for r in offered] == ["paliang-free", "paliang-busy", "office", "mueang"]
    assert [r.on_job for r in offered] == [False, True, False, False]


def test_the_dispatch_choices_say_the_unit_and_whether_each_is_on_a_job(routed, ess_operator):
    incident, people = routed

    with translation.override("th"):
        form = DispatchForm(responders=responders_for_incident(viewer=ess_operator, incident=incident))
        labels = [str(label) for _value, label in form.fields["responders"].choices]

    assert labels == [
        f"{people['paliang-free'].user} · สภ.ปะเหลียน (หน่วยที่รับเรื่องนี้) — ว่าง",
        f"{people['paliang-busy'].user} · สภ.ปะเหลียน (หน่วยที่รับเรื่องนี้) — กำลังปฏิบัติงาน",
        f"{people['office'].user} · พมจ.ตรัง — ว่าง",
        f"{people['mueang'].user} · สภ.เมืองตรัง — ว่าง",
    ]


def test_dispatching_the_routed_units_free_responder_from_the_page(client, routed, ess_operator):
    incident, people = routed
    client.force_login(ess_operator)

    response = client.post(
        reverse("incidents:incident_dispatch", args=[incident.pk]), {"responders": [people["paliang-free"].pk]}
    )

    assert response.status_code == 302
    assert [d.responder.user.username for d in incident.dispatches.all()] == ["paliang-free"]
