"""The households admin shows, never changes, keeps to the administrator's areas and logs each read of a record."""

import pytest

from pocketbook.audit.models import AccessLog
from pocketbook.households.models import Household, Member
from pocketbook.households.tests.factories import HouseholdFactory, MemberFactory, make_national_id

ID_A = make_national_id("110170020345")


@pytest.fixture
def trang_member():
    return MemberFactory(
        household=HouseholdFactory(area_code="92010101", household_key="TR-1", house_no="12/3"),
        first_name="สมศักดิ์",
        last_name="รักดี",
        national_id=ID_A,
    )


@pytest.fixture
def chiang_mai_member():
    return MemberFactory(household=HouseholdFactory(area_code="50010101"), first_name="สมหมาย", last_name="ดอยดี")


def test_an_area_administrator_lists_only_their_areas_members_with_ids_masked(
    client, administrator, trang_member, chiang_mai_member
):
    # given
    client.force_login(administrator)
    # when
    listing = client.get("/admin/households/member/").content.decode()
    # then
    assert f"/admin/households/member/{trang_member.pk}/change/" in listing
    assert f"/admin/households/member/{chiang_mai_member.pk}/change/" not in listing
    assert "x-xxxx-xxxxx-xx-" + ID_A[-1] in listing
    assert ID_A not in listing


def test_a_record_outside_the_administrators_areas_answers_as_missing(client, administrator, chiang_mai_member):
    # given
    client.force_login(administrator)
    # when
    member_page = client.get(f"/admin/households/member/{chiang_mai_member.pk}/change/")
    household_page = client.get(f"/admin/households/household/{chiang_mai_member.household_id}/change/")
    # then: the admin's "does not exist" redirect, and nothing logged as read
    assert (member_page.status_code, household_page.status_code) == (302, 302)
    assert AccessLog.objects.count() == 0


def test_opening_a_member_shows_the_record_read_only_and_logs_the_read(client, administrator, trang_member):
    # given
    client.force_login(administrator)
    # when
    page = client.get(f"/admin/households/member/{trang_member.pk}/change/")
    # then
    content = page.content.decode()
    assert page.status_code == 200
    assert "สมศักดิ์" in content and ID_A not in content
    assert 'name="_save"' not in content
    log = AccessLog.objects.get()
    assert (log.user_id, log.object_id, log.purpose) == (administrator.pk, str(trang_member.pk), "admin")


def test_nobody_adds_changes_or_deletes_households_in_the_admin(client, administrator, trang_member):
    # given
    client.force_login(administrator)
    household = trang_member.household
    # when
    add = client.get("/admin/households/household/add/")
    change = client.post(f"/admin/households/household/{household.pk}/change/", {"house_no": "99"})
    delete = client.post(f"/admin/households/household/{household.pk}/delete/", {"post": "yes"})
    # then
    assert (add.status_code, change.status_code, delete.status_code) == (403, 403, 403)
    household.refresh_from_db()
    assert household.house_no == "12/3"
    assert Member.objects.filter(pk=trang_member.pk).exists()


@pytest.mark.parametrize("search", ["สมศ", "สมศักดิ์ รัก", ID_A])
def test_member_search_uses_name_prefixes_and_the_id_hash(client, administrator, trang_member, search):
    # given
    client.force_login(administrator)
    MemberFactory(household=trang_member.household, first_name="มาลี", last_name="ใจงาม", relation="spouse")
    # when
    listing = client.post("/admin/households/member/", {"q": search}, follow=True).content.decode()
    # then
    assert f"/admin/households/member/{trang_member.pk}/change/" in listing
    assert "มาลี" not in listing


def test_household_search_matches_the_exact_key_or_house_number(client, administrator, trang_member):
    # given
    client.force_login(administrator)
    other = HouseholdFactory(area_code="92010101", house_no="7")
    # when
    by_key = client.post("/admin/households/household/", {"q": "TR-1"}, follow=True).content.decode()
    by_house = client.post("/admin/households/household/", {"q": "7"}, follow=True).content.decode()
    # then
    assert f"/admin/households/household/{trang_member.household_id}/change/" in by_key
    assert f"/admin/households/household/{other.pk}/change/" not in by_key
    assert f"/admin/households/household/{other.pk}/change/" in by_house


def test_people_without_staff_rights_do_not_reach_the_admin(client, volunteer, trang_member):
    # given
    client.force_login(volunteer)
    # when
    response = client.get("/admin/households/member/")
    # then
    assert response.status_code == 302
    assert Household.objects.count() == 1


def test_the_admin_member_search_is_posted_and_never_travels_in_a_url(client, administrator, trang_member):
    # given
    client.force_login(administrator)
    # when: the search is posted
    response = client.post("/admin/households/member/", {"q": ID_A}, follow=True)
    # then: the redirect, the page's links and the change links carry no clear national ID
    page = response.content.decode()
    landed = response.redirect_chain[-1][0]
    assert ID_A not in landed and "q=" not in landed and "?s=" in landed
    assert f"/admin/households/member/{trang_member.pk}/change/" in page
    assert ID_A not in page.replace(f'value="{ID_A}"', "")  # only in the search box itself
    assert '<form id="changelist-search" method="post"' in page
    # and a clear search in the URL is ignored (it would be logged)
    MemberFactory(household=trang_member.household, first_name="มาลี", relation="spouse")
    assert "มาลี" in client.get("/admin/households/member/", {"q": "สมศ"}).content.decode()
