"""A neighbour's phone inside the province takes none of the home household offline, and sends no change to it.

The home household of ต.ทับเที่ยง (920101) is in the home volunteer's care and still names the neighbour as its
volunteer in charge (they moved to ต.นาพละ, 920104, or to อ.กันตัง, 9202): only the area keeps it off their phone.
A refused record writes nothing: no change, no SyncConflict holding the phone's value, no SyncedRecord. This is
what fails if `User.covers` or the scoped querysets are widened to the province.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from pocketbook.assessments.models import Assessment
from pocketbook.assessments.tests.factories import answers_for
from pocketbook.audit.models import AccessLog, ObjectChange
from pocketbook.households.models import Household, HouseholdEvent, Member
from pocketbook.offline.models import SyncConflict, SyncedRecord
from pocketbook.volunteers.models import Visit, VisitSchedule
from tests.neighbours import HOME_VILLAGE, NEIGHBOUR_VILLAGES, NEIGHBOURS, OFFICE_NEIGHBOURS, still_in_their_care

pytestmark = pytest.mark.django_db

API = "/api/v1/offline"
PHONE_VALUE = "ค่าจากโทรศัพท์เพื่อนบ้าน"


def caseload(client, device: uuid.UUID) -> dict:
    response = client.get(f"{API}/caseload", HTTP_X_POCKETBOOK_DEVICE=str(device))
    assert response.status_code == 200
    return response.json()


def sync(client, records: list[dict], device: uuid.UUID) -> list[dict]:
    response = client.post(
        f"{API}/sync", {"records": records}, content_type="application/json", HTTP_X_POCKETBOOK_DEVICE=str(device)
    )
    assert response.status_code == 200
    return response.json()["results"]


def record(kind: str, **payload) -> dict:
    return {"id": str(uuid.uuid4()), "kind": kind, "payload": payload}


def edits_of_the_home_household(home) -> list[dict]:
    """Each kind of record a phone sends about a household, aimed at the home one (current and stale versions)."""
    household, member = home["household"], home["member"]
    current, stale = household.updated_at.isoformat(), "2001-01-01T00:00:00+07:00"
    member_current = member.updated_at.isoformat()
    fields = {"address": PHONE_VALUE}
    member_fields = {"first_name": PHONE_VALUE}
    return [
        record("household_update", household_id=household.pk, base_version=current, fields=fields),
        record("household_update", household_id=household.pk, base_version=stale, fields=fields),
        record("member_update", household_id=household.pk, member_id=member.pk, base_version=member_current,
               fields=member_fields),
        record("member_update", household_id=household.pk, member_id=member.pk, base_version=stale,
               fields=member_fields),
        record("assessment", household_id=household.pk, assessed_on=timezone.localdate().isoformat(),
               answers=answers_for(member)),
        record("visit_note", household_id=household.pk, visited_on=timezone.localdate().isoformat(), note=PHONE_VALUE),
    ]  # fmt: skip


def _state() -> tuple:
    """What a refused record must leave untouched."""
    return (
        list(Household.objects.order_by("pk").values_list("pk", "area_code", "house_no", "address", "updated_at")),
        list(Member.objects.order_by("pk").values_list("pk", "first_name", "updated_at")),
        list(VisitSchedule.objects.order_by("pk").values_list("pk", "last_visit_on", "next_visit_on")),
        SyncConflict.objects.count(),
        SyncedRecord.objects.count(),
        Assessment.objects.count(),
        Visit.objects.count(),
        HouseholdEvent.objects.count(),
        ObjectChange.objects.exclude(content_type__model="offlinedevice").count(),  # the neighbour's own phone is new
    )


@pytest.mark.parametrize("neighbour", NEIGHBOURS)
def test_a_neighbours_phone_gets_no_home_household_in_its_caseload(
    client, home_in_care, volunteer, neighbour, request
):
    household, member = home_in_care["household"], home_in_care["member"]
    # given: the home volunteer's phone takes the household, with its member and visit schedule
    client.force_login(volunteer)
    taken = caseload(client, uuid.uuid4())["households"]
    assert [(row["id"], [m["id"] for m in row["members"]]) for row in taken] == [(household.pk, [member.pk])]
    assert taken[0]["visits"]["next_visit_on"] is not None
    # and the household still names the neighbour as its volunteer in charge
    user = request.getfixturevalue(neighbour)
    still_in_their_care(household, user)
    reads_before = AccessLog.objects.filter(user=user).count()
    # when the neighbour's phone asks for its caseload
    client.force_login(user)
    body = caseload(client, uuid.uuid4())
    # then: no home household, no home village to register in, and no read of the home member logged
    assert body["households"] == []
    assert [code for code, _name in body["areas"] if code.startswith("920101")] == []
    assert AccessLog.objects.filter(user=user).count() == reads_before


@pytest.mark.parametrize("neighbour", NEIGHBOURS)
def test_a_neighbours_phone_changes_nothing_of_the_home_household(client, home_in_care, volunteer, neighbour, request):
    # given
    user = request.getfixturevalue(neighbour)
    still_in_their_care(home_in_care["household"], user)
    before = _state()
    client.force_login(user)
    # when the neighbour's phone sends every kind of edit of the home household
    results = sync(client, edits_of_the_home_household(home_in_care), uuid.uuid4())
    # then each is refused, and nothing was written: no change, no conflict keeping the phone's value
    assert [result["status"] for result in results] == ["refused"] * 6
    assert _state() == before
    assert not SyncConflict.objects.filter(phone_fields__icontains=PHONE_VALUE).exists()
    # and the home volunteer's phone sending the same edits reaches the household (stored, or kept as a conflict)
    client.force_login(volunteer)
    results = sync(client, edits_of_the_home_household(home_in_care), uuid.uuid4())
    assert [result for result in results if result["status"] == "refused"] == []


@pytest.mark.parametrize("neighbour", NEIGHBOURS)
def test_a_neighbours_phone_cannot_register_a_household_in_the_home_village(client, home, neighbour, request):
    # given
    user = request.getfixturevalue(neighbour)
    client.force_login(user)
    # when the phone registers one household in the home village and one in the neighbour's own
    results = sync(
        client,
        [
            record("household_create", area_code=HOME_VILLAGE, house_no="9/9"),
            record("household_create", area_code=NEIGHBOUR_VILLAGES[user.area_codes()[0]], house_no="9/9"),
        ],
        uuid.uuid4(),
    )
    # then the home village is refused naming the area, and only their own is stored
    assert [(result["status"], list(result["errors"])) for result in results] == [
        ("refused", ["area_code"]),
        ("stored", []),
    ]
    assert Household.objects.get(pk=results[1]["object_id"]).area_code == NEIGHBOUR_VILLAGES[user.area_codes()[0]]
    assert list(Household.objects.filter(area_code__startswith="920101").values_list("pk", flat=True)) == [
        home["household"].pk
    ]
    assert [str(client_id) for client_id in SyncedRecord.objects.values_list("client_id", flat=True)] == [
        results[1]["id"]
    ]


@pytest.fixture
def home_conflict(client, home_in_care, volunteer):
    """The home volunteer's phone renamed the member after the office had changed them: a conflict kept open."""
    member = home_in_care["member"]
    client.force_login(volunteer)
    taken = caseload(client, uuid.uuid4())["households"][0]["members"][0]["version"]
    Member.objects.filter(pk=member.pk).update(updated_at=timezone.now() + dt.timedelta(seconds=1))
    edit = record("member_update", household_id=home_in_care["household"].pk, member_id=member.pk,
                  base_version=taken, fields={"first_name": "ชื่อจากโทรศัพท์"})  # fmt: skip
    assert [result["status"] for result in sync(client, [edit], uuid.uuid4())] == ["conflict"]
    client.logout()
    return SyncConflict.objects.get(), edit


@pytest.mark.parametrize("neighbour", OFFICE_NEIGHBOURS)
def test_the_office_of_a_neighbour_neither_sees_nor_resolves_a_home_conflict(
    client, home_conflict, social_worker, neighbour, request
):
    conflict, _edit = home_conflict
    resolve = f"/offline/conflicts/{conflict.pk}/resolve/"
    # given: the home social worker sees the conflict on the page
    client.force_login(social_worker)
    assert [view.conflict.pk for view in client.get("/offline/conflicts/").context["conflicts"]] == [conflict.pk]
    before = _state()
    # when the neighbour opens the page and resolves it with the phone's version
    client.force_login(request.getfixturevalue(neighbour))
    page = client.get("/offline/conflicts/")
    resolved = client.post(resolve, {"choice": "phone"})
    # then: not on their page, not found to resolve, nothing written
    assert (page.status_code, page.context["conflicts"], resolved.status_code) == (200, [], 404)
    conflict.refresh_from_db()
    assert conflict.status == "open"
    assert _state() == before
