"""The write path: opening, numbering, placing and routing, the operator flow, merge, reassign, attachments."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from pocketbook.audit.models import ObjectChange
from pocketbook.incidents import services
from pocketbook.incidents.choices import Channel, DispatchStatus, EventKind, IncidentType, Priority, Status
from pocketbook.incidents.models import Incident, IncidentAttachment, IncidentEvent, SubdistrictCentroid
from pocketbook.incidents.tests.conftest import frozen
from pocketbook.incidents.tests.factories import ResponderFactory, UnitFactory

BANGKOK = dt.timezone(dt.timedelta(hours=7))


def kinds(incident: Incident) -> list[str]:
    return list(IncidentEvent.objects.filter(incident=incident).order_by("time", "id").values_list("kind", flat=True))


@pytest.mark.django_db
class TestIncidentOpen:
    def test_opens_with_a_readable_number_routes_and_writes_timeline_and_audit(self, ess_operator, district_unit):
        # given a moment in BE 2569
        with frozen(dt.datetime(2026, 3, 1, 9, 0, tzinfo=BANGKOK)):
            # when
            incident = services.incident_open(
                incident_type=IncidentType.ASSAULT,
                channel=Channel.HOTLINE,
                description="ชายเมาสุราทำร้ายภรรยา",
                area_code="920101",
                reporter_phone="0812345678",
                actor=ess_operator,
            )
        # then
        assert incident.number == "ESS-2569-000001"
        assert incident.status == Status.RECEIVED
        assert incident.priority == Priority.HIGH
        assert incident.unit == district_unit
        assert incident.location_to_confirm is False
        assert incident.created_by == ess_operator
        assert kinds(incident) == [EventKind.OPENED, EventKind.ROUTED]
        assert ObjectChange.objects.filter(object_id=str(incident.pk), action="create").count() == 1

    def test_numbers_follow_each_other_and_restart_in_a_new_be_year(self, db):
        # given / when
        with frozen(dt.datetime(2026, 12, 31, 23, 0, tzinfo=BANGKOK)):
            first = services.incident_open(incident_type="drugs", channel="staff", area_code="92")
            second = services.incident_open(incident_type="drugs", channel="staff", area_code="92")
        with frozen(dt.datetime(2027, 1, 1, 0, 30, tzinfo=BANGKOK)):
            third = services.incident_open(incident_type="drugs", channel="staff", area_code="92")
        # then
        assert [first.number, second.number, third.number] == ["ESS-2569-000001", "ESS-2569-000002", "ESS-2570-000001"]

    def test_unknown_type_channel_or_priority_is_refused_and_nothing_is_written(self, db):
        # when / then
        for kwargs, field in (
            ({"incident_type": "fire", "channel": "line"}, "incident_type"),
            ({"incident_type": "assault", "channel": "fax"}, "channel"),
            ({"incident_type": "assault", "channel": "line", "priority": "urgent"}, "priority"),
            ({"incident_type": "assault", "channel": "line", "area_code": "999999"}, "area_code"),
            ({"incident_type": "assault", "channel": "line", "latitude": 7.5}, "latitude"),
            ({"incident_type": "assault", "channel": "line", "latitude": 95.0, "longitude": 99.0}, "latitude"),
        ):
            with pytest.raises(ValidationError) as error:
                services.incident_open(**kwargs)
            assert list(error.value.message_dict) == [field]
        assert Incident.objects.count() == 0

    def test_address_text_places_it_in_the_subdistrict(self, district_unit):
        # when
        incident = services.incident_open(
            incident_type="gathering", channel="line", address_text="12 ถนนพระราม 6 ตำบลทับเที่ยง อำเภอเมืองตรัง ตรัง 92000"
        )
        # then
        assert (incident.area_code, incident.location_to_confirm, incident.unit) == ("920101", False, district_unit)
        routed = IncidentEvent.objects.get(incident=incident, kind=EventKind.ROUTED)
        assert routed.params["method"] == "address"

    def test_a_point_goes_to_the_nearest_loaded_centroid(self, district_unit):
        # given two centroids
        SubdistrictCentroid.objects.create(subdistrict_code="920101", latitude=7.5563, longitude=99.6114)
        SubdistrictCentroid.objects.create(subdistrict_code="920104", latitude=7.5100, longitude=99.5800)
        # when a point nearer the second, with an address that says nothing
        incident = services.incident_open(
            incident_type="unknown", channel="line", latitude=7.512, longitude=99.583, address_text="ซอยไม่มีชื่อ"
        )
        # then
        assert (incident.area_code, incident.location_to_confirm) == ("920104", False)

    def test_nowhere_known_goes_to_the_province_default_unit_to_confirm(self, province_unit, settings):
        # given a point far from any centroid and no address
        settings.HOME_PROVINCE_CODE = "92"
        SubdistrictCentroid.objects.create(subdistrict_code="920101", latitude=7.5563, longitude=99.6114)
        UnitFactory(name="อีกหน่วยระดับจังหวัด", areas=["92"])
        # when
        incident = services.incident_open(incident_type="unknown", channel="line", latitude=13.75, longitude=100.5)
        # then
        assert (incident.area_code, incident.location_to_confirm, incident.unit) == ("92", True, province_unit)

    def test_line_attachments_are_stored_once_each(self, db):
        # when
        incident = services.incident_open(
            incident_type="assault",
            channel="line",
            reporter_line_user_id="U123",
            attachments=[{"line_message_id": "m1"}, {"line_message_id": "m1"}, {"line_message_id": "m2"}],
        )
        services.incident_attachment_add(incident=incident, line_message_id="m2")
        # then
        assert sorted(incident.attachments.values_list("line_message_id", flat=True)) == ["m1", "m2"]
        assert kinds(incident).count(EventKind.ATTACHMENT) == 2

    def test_a_file_attachment_is_stored(self, db):
        # given
        incident = services.incident_open(incident_type="assault", channel="web")
        # when
        attachment = services.incident_attachment_add(
            incident=incident, file=SimpleUploadedFile("photo.jpg", b"\xff\xd8jpeg", content_type="image/jpeg")
        )
        # then
        assert attachment.file.read() == b"\xff\xd8jpeg"
        with pytest.raises(ValidationError):
            services.incident_attachment_add(incident=incident)
        assert IncidentAttachment.objects.count() == 1

    def test_an_uploaded_files_own_name_is_not_kept(self, db, settings, tmp_path):
        # given: a photo whose name names the person in it
        settings.MEDIA_ROOT = tmp_path
        incident = services.incident_open(incident_type="assault", channel="web")
        # when
        attachment = services.incident_attachment_add(
            incident=incident,
            file=SimpleUploadedFile("บ้านนางวรางคณา.JPG", b"\xff\xd8jpeg", content_type="image/jpeg"),
        )
        # then: stored under a random name with its kind kept, in the month's folder
        assert re.fullmatch(r"incidents/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", attachment.file.name)
        assert attachment.file.read() == b"\xff\xd8jpeg"
        assert "วรางคณา" not in str(IncidentEvent.objects.filter(incident=incident).values_list("params", flat=True))


@pytest.mark.django_db
class TestRouting:
    def test_the_most_specific_covering_unit_wins(self, province_unit, district_unit):
        # given a unit for one subdistrict and one for another district
        subdistrict_unit = UnitFactory(name="อบต.", areas=["920101"])
        UnitFactory(name="ไกลออกไป", areas=["9202"])
        # when
        here = services.incident_open(incident_type="assault", channel="staff", area_code="920101")
        next_door = services.incident_open(incident_type="assault", channel="staff", area_code="920105")
        elsewhere = services.incident_open(incident_type="assault", channel="staff", area_code="9203")
        # then
        assert (here.unit, next_door.unit, elsewhere.unit) == (subdistrict_unit, district_unit, province_unit)

    def test_inactive_units_are_skipped(self, province_unit):
        # given
        UnitFactory(name="ปิดแล้ว", areas=["920101"], is_active=False)
        # when
        incident = services.incident_open(incident_type="assault", channel="staff", area_code="920101")
        # then
        assert incident.unit == province_unit

    def test_operator_reassigns_and_the_timeline_says_so(self, ess_operator, province_unit, district_unit):
        # given
        incident = services.incident_open(incident_type="assault", channel="staff", area_code="920101")
        # when
        services.incident_reassign(incident=incident, unit=province_unit, actor=ess_operator, reason="ต้องใช้นักสังคม")
        # then
        incident.refresh_from_db()
        assert incident.unit == province_unit
        event = IncidentEvent.objects.get(incident=incident, kind=EventKind.REASSIGNED)
        assert event.params == {
            "old_unit": "สภ.เมืองตรัง",
            "unit": "พมจ.ตรัง",
            "unit_id": province_unit.pk,
            "reason": "ต้องใช้นักสังคม",
        }
        assert event.actor == ess_operator

    def test_confirming_the_location_reroutes(self, ess_operator, province_unit, district_unit):
        # given an incident nobody could place
        incident = services.incident_open(incident_type="unknown", channel="line")
        assert (incident.unit, incident.location_to_confirm) == (province_unit, True)
        # when
        services.incident_location_set(incident=incident, area_code="920105", actor=ess_operator)
        # then
        incident.refresh_from_db()
        assert (incident.area_code, incident.location_to_confirm, incident.unit) == ("920105", False, district_unit)


@pytest.mark.django_db
class TestOperatorFlow:
    def test_open_acknowledge_dispatch_on_scene_resolved(
        self, ess_operator, unit_responder, pushed, django_capture_on_commit_callbacks
    ):
        # given a LINE report
        incident = services.incident_open(
            incident_type="assault", channel="line", area_code="920101", reporter_line_user_id="Ureporter"
        )
        # when the operator and the responder work it, in one transaction that has not committed yet
        with django_capture_on_commit_callbacks(execute=False) as after_commit:
            services.incident_acknowledge(incident=incident, actor=ess_operator)
            services.incident_acknowledge(incident=incident, actor=ess_operator)  # a double click changes nothing
            services.incident_note_add(incident=incident, text="โทรกลับผู้แจ้งแล้ว", actor=ess_operator)
            [dispatch] = services.incident_dispatch(incident=incident, responders=[unit_responder], actor=ess_operator)
            assert services.incident_dispatch(incident=incident, responders=[unit_responder], actor=ess_operator) == []
            services.dispatch_accept(dispatch=dispatch, actor=unit_responder.user)
            services.dispatch_on_scene(dispatch=dispatch, actor=unit_responder.user)
            services.dispatch_complete(dispatch=dispatch, outcome="แยกคู่กรณี ส่งต่อบ้านพักเด็กฯ", actor=unit_responder.user)
        # then nothing reached the reporter before the commit; after it, the reporter hears where it stands now
        assert pushed == []
        assert after_commit != []
        for callback in after_commit:
            callback()
        assert [(user, text.split("\n")[0]) for user, text, _key in pushed] == [
            ("Ureporter", f"เรื่อง {incident.number}: ช่วยเหลือเสร็จสิ้น")
        ]
        incident.refresh_from_db()
        dispatch.refresh_from_db()
        assert incident.status == Status.RESOLVED
        assert incident.outcome == "แยกคู่กรณี ส่งต่อบ้านพักเด็กฯ"
        assert None not in (incident.acknowledged_at, incident.dispatched_at, incident.on_scene_at, incident.closed_at)
        assert dispatch.status == DispatchStatus.COMPLETED
        statuses = [
            (e.params["old"], e.params["new"])
            for e in IncidentEvent.objects.filter(incident=incident, kind=EventKind.STATUS_CHANGED).order_by("id")
        ]
        assert statuses == [
            ("received", "acknowledged"),
            ("acknowledged", "dispatched"),
            ("dispatched", "on_scene"),
            ("on_scene", "resolved"),
        ]
        assert kinds(incident)[:3] == [EventKind.OPENED, EventKind.ROUTED, EventKind.STATUS_CHANGED]

    def test_a_status_that_cannot_follow_is_refused(self, ess_operator):
        # given
        incident = services.incident_open(incident_type="assault", channel="staff", area_code="92")
        services.incident_status_change(incident=incident, status=Status.FALSE_ALARM, actor=ess_operator)
        # when / then
        with pytest.raises(ValidationError) as error:
            services.incident_status_change(incident=incident, status=Status.ACKNOWLEDGED, actor=ess_operator)
        assert list(error.value.message_dict) == ["status"]
        incident.refresh_from_db()
        assert incident.status == Status.FALSE_ALARM

    def test_resolving_needs_an_outcome(self, ess_operator):
        incident = services.incident_open(incident_type="assault", channel="staff", area_code="92")
        with pytest.raises(ValidationError) as error:
            services.incident_status_change(incident=incident, status=Status.RESOLVED, actor=ess_operator, outcome=" ")
        assert list(error.value.message_dict) == ["outcome"]
        incident.refresh_from_db()
        assert incident.status == Status.RECEIVED

    def test_dispatch_to_a_closed_incident_is_refused(self, ess_operator, unit_responder):
        incident = services.incident_open(incident_type="assault", channel="staff", area_code="92")
        services.incident_status_change(incident=incident, status=Status.REFERRED, actor=ess_operator)
        with pytest.raises(ValidationError):
            services.incident_dispatch(incident=incident, responders=[unit_responder], actor=ess_operator)
        assert incident.dispatches.count() == 0

    def test_the_incident_waits_for_every_responder_before_closing(self, ess_operator, unit_responder):
        # given two responders
        second = ResponderFactory(unit=unit_responder.unit)
        incident = services.incident_open(incident_type="assault", channel="staff", area_code="920101")
        first_dispatch, second_dispatch = services.incident_dispatch(
            incident=incident, responders=[unit_responder, second], actor=ess_operator
        )
        # when the first finishes
        services.dispatch_complete(dispatch=first_dispatch, outcome="เรียบร้อย", actor=unit_responder.user)
        incident.refresh_from_db()
        assert incident.status == Status.DISPATCHED
        # and the second too
        services.dispatch_complete(dispatch=second_dispatch, outcome="เรียบร้อยดี", actor=second.user)
        incident.refresh_from_db()
        assert (incident.status, incident.outcome) == (Status.RESOLVED, "เรียบร้อยดี")


@pytest.mark.django_db
class TestMerge:
    def test_a_duplicate_is_merged_into_the_other_and_its_dispatches_cancelled(self, ess_operator, unit_responder):
        # given
        first = services.incident_open(incident_type="gathering", channel="line", area_code="920101")
        second = services.incident_open(incident_type="gathering", channel="hotline", area_code="920101")
        [dispatch] = services.incident_dispatch(incident=second, responders=[unit_responder], actor=ess_operator)
        # when
        services.incident_merge(incident=second, into=first, actor=ess_operator)
        # then
        second.refresh_from_db()
        dispatch.refresh_from_db()
        assert (second.status, second.merged_into, dispatch.status) == (
            Status.DUPLICATE,
            first,
            DispatchStatus.CANCELLED,
        )
        assert IncidentEvent.objects.get(incident=first, kind=EventKind.DUPLICATE_MERGED_IN).params == {
            "duplicate": second.number
        }

    def test_merging_follows_a_chain_and_refuses_itself(self, ess_operator):
        first = services.incident_open(incident_type="gathering", channel="line", area_code="92")
        second = services.incident_open(incident_type="gathering", channel="line", area_code="92")
        third = services.incident_open(incident_type="gathering", channel="line", area_code="92")
        services.incident_merge(incident=second, into=first, actor=ess_operator)
        # when merged into a duplicate, it goes to the original
        services.incident_merge(incident=third, into=second, actor=ess_operator)
        third.refresh_from_db()
        assert third.merged_into == first
        # and an incident is never a duplicate of itself
        with pytest.raises(ValidationError):
            services.incident_merge(incident=first, into=first, actor=ess_operator)
        first.refresh_from_db()
        assert first.status == Status.RECEIVED


@pytest.mark.django_db
def test_number_format_is_readable(db):
    incident = services.incident_open(incident_type="elderly", channel="walk_in", area_code="92")
    assert re.fullmatch(r"ESS-25\d\d-\d{6}", incident.number)
    assert incident.priority == Priority.MEDIUM
