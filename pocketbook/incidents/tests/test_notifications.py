"""Reporter updates: every status change is pushed to the LINE reporter in Thai, once, unless they may not be told."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from pocketbook.incidents import selectors, services
from pocketbook.incidents.channels.line.transport import LineReporterTransport
from pocketbook.incidents.choices import EventKind, Status
from pocketbook.incidents.models import IncidentEvent, LineConversation
from pocketbook.incidents.notifications import notify_reporter
from pocketbook.incidents.transports import transport_for, transport_register, transport_unregister


def open_line_incident(**kwargs):
    defaults = {
        "incident_type": "assault",
        "channel": "line",
        "area_code": "920101",
        "reporter_line_user_id": "Ureporter",
    }
    return services.incident_open(**(defaults | kwargs))


@pytest.mark.django_db
def test_each_status_change_is_pushed_in_thai_after_commit(ess_operator, pushed, django_capture_on_commit_callbacks):
    # given
    incident = open_line_incident()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_acknowledge(incident=incident, actor=ess_operator)
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_status_change(
            incident=incident, status=Status.RESOLVED, actor=ess_operator, outcome="ปลอดภัยแล้ว"
        )
    # then
    assert [(user, text) for user, text, _key in pushed] == [
        (
            "Ureporter",
            f"เรื่อง {incident.number}: รับเรื่องแล้ว\n"
            "เจ้าหน้าที่รับเรื่องของท่านแล้ว และกำลังประสานความช่วยเหลือ\n"
            "หากท่านตกอยู่ในอันตรายขณะนี้ โทร 1300 (24 ชั่วโมง) หรือ 191",
        ),
        (
            "Ureporter",
            f"เรื่อง {incident.number}: ช่วยเหลือเสร็จสิ้น\nเรื่องที่ท่านแจ้งได้รับการดูแลแล้ว\nผลการดำเนินการ: ปลอดภัยแล้ว",
        ),
    ]
    keys = [key for _user, _text, key in pushed]
    assert len(set(keys)) == 2
    assert all(uuid.UUID(key).version == 5 for key in keys)
    assert IncidentEvent.objects.filter(incident=incident, kind=EventKind.REPORTER_NOTIFIED).count() == 2


@pytest.mark.django_db
def test_running_the_task_again_sends_nothing_more(ess_operator, pushed, django_capture_on_commit_callbacks):
    # given
    incident = open_line_incident()
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_acknowledge(incident=incident, actor=ess_operator)
    # when
    notify_reporter.call(incident_id=incident.pk)
    # then
    assert len(pushed) == 1


@pytest.mark.django_db
def test_anonymous_unfollowed_and_non_line_reporters_are_not_told(
    ess_operator, pushed, django_capture_on_commit_callbacks
):
    # given
    anonymous = open_line_incident(is_anonymous=True)
    LineConversation.objects.create(line_user_id="Ugone", is_following=False)
    unfollowed = open_line_incident(reporter_line_user_id="Ugone")
    by_phone = services.incident_open(incident_type="assault", channel="hotline", reporter_phone="0811111111")
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for incident in (anonymous, unfollowed, by_phone):
            services.incident_acknowledge(incident=incident, actor=ess_operator)
    # then
    assert (pushed, callbacks) == ([], [])


@pytest.mark.django_db
def test_a_merged_reporter_is_told_which_number_to_follow(ess_operator, pushed, django_capture_on_commit_callbacks):
    # given
    original = open_line_incident(reporter_line_user_id="Uother")
    duplicate = open_line_incident()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_merge(incident=duplicate, into=original, actor=ess_operator)
    # then
    assert pushed[0][1] == (
        f"เรื่อง {duplicate.number}: เรื่องซ้ำ\nเรื่องที่ท่านแจ้งเป็นเหตุเดียวกับเรื่อง {original.number} โปรดติดตามเรื่องนั้นแทน"
    )


@pytest.mark.django_db
def test_open_incidents_of_a_line_user(ess_operator):
    # given
    first = open_line_incident()
    second = open_line_incident()
    closed = open_line_incident()
    services.incident_status_change(incident=closed, status=Status.FALSE_ALARM, actor=ess_operator)
    open_line_incident(reporter_line_user_id="Usomeoneelse")
    # when
    found = selectors.incident_list_for_line_user("Ureporter")
    # then
    assert found == [second, first]
    assert selectors.incident_list_for_line_user("") == []


def test_the_domain_tells_the_reporter_through_the_registered_line_transport():
    assert isinstance(transport_for("line"), LineReporterTransport)
    assert transport_for("phone") is None


def test_running_the_incidents_ready_again_keeps_the_one_line_transport():
    # Django runs ready() again when a test changes INSTALLED_APPS: an equal transport is the same registration
    before = transport_for("line")
    apps.get_app_config("incidents").ready()
    apps.get_app_config("incidents").ready()
    assert transport_for("line") == before


def test_another_transport_for_a_registered_channel_is_refused():
    with pytest.raises(ImproperlyConfigured, match="'line'"):
        transport_register(HotlineSmsTransport(channel="line"))
    assert transport_for("line") == LineReporterTransport()


@dataclass(frozen=True)
class HotlineSmsTransport:
    """A pretend SMS channel for the hotline's callers: reaches every number but 0800000000."""

    channel: str = "hotline"
    sent: list[tuple[str, str, str]] = field(default_factory=list, compare=False)

    def address_of(self, incident):
        return incident.reporter_phone

    def can_reach(self, reporter_address):
        return reporter_address != "0800000000"

    def notify(self, *, reporter_address, message, idempotency_key):
        self.sent.append((reporter_address, message.text, idempotency_key))


@pytest.fixture
def sms_transport():
    transport = HotlineSmsTransport()
    transport_register(transport)
    yield transport
    transport_unregister("hotline")


@pytest.mark.django_db
def test_the_domain_asks_each_channels_transport_whom_it_can_reach(
    ess_operator, pushed, sms_transport, django_capture_on_commit_callbacks
):
    # given: hotline callers, one the pretend SMS channel cannot reach, and one anonymous
    reachable = services.incident_open(incident_type="assault", channel="hotline", reporter_phone="0811111111")
    unreachable = services.incident_open(incident_type="assault", channel="hotline", reporter_phone="0800000000")
    anonymous = services.incident_open(
        incident_type="assault", channel="hotline", reporter_phone="0822222222", is_anonymous=True
    )
    # when
    with django_capture_on_commit_callbacks(execute=True):
        for incident in (reachable, unreachable, anonymous):
            services.incident_acknowledge(incident=incident, actor=ess_operator)
    # then: only the reachable caller is told, through the SMS transport and not through LINE
    assert [(address, text.splitlines()[0]) for address, text, _key in sms_transport.sent] == [
        ("0811111111", f"เรื่อง {reachable.number}: รับเรื่องแล้ว")
    ]
    assert pushed == []
    assert list(
        IncidentEvent.objects.filter(kind=EventKind.REPORTER_NOTIFIED).values_list("incident_id", flat=True)
    ) == [reachable.pk]
