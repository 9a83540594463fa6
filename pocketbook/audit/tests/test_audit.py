import pytest
from django.contrib.contenttypes.models import ContentType

from pocketbook.audit.models import AccessLog, Action, ObjectChange
from pocketbook.audit.services import record_access, record_change
from pocketbook.geo.models import Village

pytestmark = pytest.mark.django_db


def test_a_change_made_through_a_page_carries_the_request_id(client, administrator):
    # given
    client.force_login(administrator)
    # when
    response = client.post(
        "/areas/villages/new/",
        {"subdistrict_code": "920101", "number": "3", "name": "บ้านทดสอบ"},
        HTTP_X_REQUEST_ID="req-12345678",
    )
    # then
    assert response.status_code == 302
    change = ObjectChange.objects.get(content_type=ContentType.objects.get_for_model(Village))
    assert (change.action, change.user, change.request_id, change.object_id) == (
        Action.CREATE,
        administrator,
        "req-12345678",
        "92010103",
    )
    assert change.after["name"] == "บ้านทดสอบ"
    assert change.before is None


def test_audit_rows_are_append_only(administrator):
    village = Village(code="92010109", subdistrict_id="920101", number=9, name="x")
    village.save()
    entry = record_access(obj=village, actor=administrator, purpose="test")
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()
    assert AccessLog.objects.count() == 1


def test_secrets_never_reach_the_audit_trail(administrator):
    from pocketbook.audit.services import snapshot

    assert "password" not in snapshot(administrator)


def test_the_admin_lists_are_read_only_and_filterable(client, administrator, volunteer):
    village = Village.objects.create(code="92010108", subdistrict_id="920101", number=8, name="x")
    record_access(obj=village, actor=volunteer, purpose="national id")
    client.force_login(administrator)
    listing = client.get("/admin/audit/accesslog/", {"user__id__exact": volunteer.pk})
    assert listing.status_code == 200
    assert "national id" in listing.content.decode()
    entry = AccessLog.objects.get()
    assert client.post(f"/admin/audit/accesslog/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AccessLog.objects.count() == 1
    assert client.get("/admin/audit/objectchange/", {"time__gte": "2020-01-01"}).status_code == 200


def test_a_volunteer_cannot_open_the_audit_admin(client, volunteer):
    client.force_login(volunteer)
    response = client.get("/admin/audit/accesslog/", follow=True)
    assert response.status_code == 403
    assert "ไม่มีสิทธิ์" in response.content.decode()


def test_anonymous_is_sent_to_our_sign_in_page_for_the_admin(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=%2Fadmin%2F"


def test_audit_rows_carry_the_records_area_and_the_admin_shows_an_area_administrator_only_theirs(
    client, administrator
):
    # given a change in Trang and one in Chiang Mai
    from pocketbook.geo.services import village_create

    village_create(subdistrict_code="920101", number=5, name="บ้านตรัง", actor=None)
    village_create(subdistrict_code="500101", number=5, name="บ้านเชียงใหม่", actor=None)
    assert set(ObjectChange.objects.values_list("area_code", flat=True)) == {"92010105", "50010105"}
    # when the Trang administrator opens the audit list
    client.force_login(administrator)
    listing = client.get("/admin/audit/objectchange/").content.decode()
    # then only Trang's row is there
    assert "บ้านตรัง" in listing
    assert "บ้านเชียงใหม่" not in listing


def test_an_anonymous_reporter_stays_out_of_the_audit_trail(ess_operator):
    from pocketbook.incidents.models import Incident

    incident = Incident(number="ESS-TEST-1", reporter_name="ผู้แจ้งลับ", reporter_phone="0812345678", is_anonymous=True)
    from pocketbook.audit.services import snapshot

    data = snapshot(incident)
    assert "reporter_name" not in data and "reporter_phone" not in data
    # a named reporter's name and phone stay out too (personal values never enter the trail)
    incident.is_anonymous = False
    assert "ผู้แจ้งลับ" not in str(snapshot(incident)) and "0812345678" not in str(snapshot(incident))


def test_the_trail_keeps_who_did_what_but_no_personal_value(volunteer):
    from pocketbook.audit.models import ObjectChange
    from pocketbook.audit.services import snapshot
    from pocketbook.households.tests.factories import MemberFactory

    # given
    member = MemberFactory(first_name="บุญมีลับ", last_name="ใจเย็น", occupation="ชาวสวน")
    before = snapshot(member)
    member.first_name = "บุญมาลับ"
    member.is_studying = True
    member.save()
    # when
    change = record_change(obj=member, action=Action.UPDATE, actor=volunteer, before=before)
    # then: who, what (which fields), when; no name, birth date or occupation
    stored = ObjectChange.objects.get(pk=change.pk)
    text = str(stored.before) + str(stored.after) + stored.object_repr
    assert "บุญมีลับ" not in text and "บุญมาลับ" not in text and "ใจเย็น" not in text and "ชาวสวน" not in text
    assert "1980-05-17" not in text
    assert stored.after["personal_fields_changed"] == ["first_name"]
    assert (stored.before["is_studying"], stored.after["is_studying"]) == (False, True)
    assert stored.user_name == "vol" and stored.object_repr == f"สมาชิก #{member.pk}"


def test_the_data_migration_takes_names_out_of_rows_written_before(volunteer):
    from django.apps import apps

    from pocketbook.audit.migration_helpers import forget_personal_values
    from pocketbook.households.models import Member

    # given: a row as the trail wrote it before personal fields were left out
    content_type = ContentType.objects.get_for_model(Member)
    row = ObjectChange.objects.create(
        user_name="vol", action=Action.UPDATE, content_type=content_type, object_id="7",
        object_repr="สมศักดิ์ รักดี", before={"first_name": "สมศักดิ์", "sex": "M"},
        after={"first_name": "สมศักด์", "sex": "M"},
    )  # fmt: skip
    read = AccessLog.objects.create(user_name="vol", content_type=content_type, object_id="7", object_repr="สมศักดิ์")
    # when
    forget_personal_values(apps, "households", "member", ("first_name",), "member #{pk}")
    # then
    row = ObjectChange.objects.get(pk=row.pk)
    assert (row.object_repr, row.before, row.after) == ("member #7", {"sex": "M"}, {"sex": "M"})
    assert (row.user_name, row.action) == ("vol", Action.UPDATE)
    assert AccessLog.objects.get(pk=read.pk).object_repr == "member #7"
