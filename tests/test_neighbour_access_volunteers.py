"""Neighbours inside the province neither read nor record the home household's visits, nor manage its volunteer.

The home household of ต.ทับเที่ยง (920101) is in the care of the home volunteer (registry entry, visit schedule,
one visit noted). Volunteers, social workers and a manager of ต.นาพละ (920104) and of อ.กันตัง (9202) try the
volunteers app's pages and endpoints against them: reads answer 403 or 404, writes are refused and write nothing,
and the home social worker reaches the same URLs. A volunteer who serves both subdistricts shows the office of
the next subdistrict nothing of the home household either. This is what fails if `User.covers` or the scoped
querysets are widened to the province.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pocketbook.audit.models import ObjectChange
from pocketbook.households.models import HouseholdEvent
from pocketbook.households.tests.factories import HouseholdFactory
from pocketbook.volunteers import services
from pocketbook.volunteers.models import AssignmentBatch, HouseholdAssignment, Visit, VisitSchedule, Volunteer
from pocketbook.volunteers.selectors import overdue_visits_count
from pocketbook.volunteers.tests.factories import VolunteerFactory
from tests.neighbours import (
    HOME_VILLAGE,
    NEIGHBOUR_VILLAGES,
    NEIGHBOURS_AND_MANAGER,
    OFFICE_NEIGHBOURS,
    answers,
    not_refused,
    page_date,
    read_statuses,
    refused,
)

pytestmark = pytest.mark.django_db


def own_entry(user) -> Volunteer:
    """A registry entry of the neighbour's own village (to hand the home household to)."""
    village = NEIGHBOUR_VILLAGES[user.area_codes()[0]]
    return VolunteerFactory(first_name="อาสาเพื่อนบ้าน", home_area_code=village)


def _state() -> tuple:
    """What a refused request must leave untouched."""
    return (
        list(Volunteer.objects.order_by("pk").values_list("pk", "status", "first_name", "home_area_code", "caseload")),
        list(HouseholdAssignment.objects.order_by("pk").values_list("pk", "household_id", "volunteer_id", "ended_on")),
        list(VisitSchedule.objects.order_by("pk").values_list("pk", "volunteer_id", "last_visit_on", "next_visit_on")),
        Visit.objects.count(),
        AssignmentBatch.objects.count(),
        HouseholdEvent.objects.count(),
        ObjectChange.objects.count(),
    )


def page_reads(records):
    household, entry = records["household"], records["volunteer"]
    return [
        reverse("volunteers:volunteer_detail", args=[entry.pk]),
        reverse("volunteers:volunteer_edit", args=[entry.pk]),
        reverse("volunteers:visit_create", args=[household.pk]),
        f"/api/v1/volunteers/{entry.pk}",
        f"/api/v1/households/{household.pk}/assignments",
    ]


def page_writes(records, own: Volunteer):
    household, entry, today = records["household"], records["volunteer"], timezone.localdate()
    details = {
        "first_name": "แก้ชื่อ",
        "last_name": "ใจบุญ",
        "home_area_code": HOME_VILLAGE,
        "areas_served": [HOME_VILLAGE],
    }
    note_on_the_page = {"visited_on": page_date(today), "note": "เยี่ยม"}
    return [
        ("post", reverse("volunteers:visit_create", args=[household.pk]), note_on_the_page),
        ("post", reverse("volunteers:volunteer_status", args=[entry.pk]), {"status": "paused"}),
        ("post", reverse("volunteers:volunteer_edit", args=[entry.pk]), details),
        ("post", f"/api/v1/households/{household.pk}/visits", {"visited_on": today.isoformat(), "note": "เยี่ยม"}),
        ("post", "/api/v1/assignments", {"volunteer_id": entry.pk, "household_ids": [household.pk]}),
        ("post", "/api/v1/assignments", {"volunteer_id": entry.pk, "area_code": HOME_VILLAGE}),
        ("post", "/api/v1/assignments/reassign", {"from_volunteer_id": entry.pk, "to_volunteer_id": own.pk}),
        ("put", f"/api/v1/volunteers/{entry.pk}", details),
        ("post", f"/api/v1/volunteers/{entry.pk}/status", {"status": "left", "hand_over_to": own.pk}),
    ]  # fmt: skip


@pytest.mark.parametrize("neighbour", NEIGHBOURS_AND_MANAGER)
def test_a_neighbour_reads_no_visit_nor_volunteer_of_the_home_subdistrict(
    client, home_in_care, social_worker, neighbour, request
):
    # given: the home social worker reaches every URL (so a refusal below is the boundary, not a typo)
    urls = page_reads(home_in_care)
    assert read_statuses(client, social_worker, urls) == dict.fromkeys(urls, 200)
    # when the neighbour tries them
    statuses = read_statuses(client, request.getfixturevalue(neighbour), urls)
    # then: not found (or forbidden to the role), never shown
    assert not_refused(statuses) == {}


@pytest.mark.parametrize("neighbour", OFFICE_NEIGHBOURS)  # volunteers see no registry at all
def test_a_neighbour_finds_the_home_volunteer_in_no_list(client, home_in_care, social_worker, neighbour, request):
    entry = home_in_care["volunteer"]
    detail = reverse("volunteers:volunteer_detail", args=[entry.pk])

    def seen(user):
        client.force_login(user)
        pages = {
            "registry": client.get(reverse("volunteers:volunteer_list")),
            "search": client.post(reverse("volunteers:volunteer_list"), {"q": "ทับเที่ยงอาสา"}, follow=True),
            "reassign": client.get(reverse("volunteers:reassign")),
        }
        found = {name for name, page in pages.items() if detail in page.content.decode() or entry.full_name in
                 page.content.decode()}  # fmt: skip
        listed = client.get("/api/v1/volunteers")
        found |= {"api" for row in (listed.json() if listed.status_code == 200 else []) if row["id"] == entry.pk}
        return found

    # given: the home social worker finds the volunteer in each
    assert seen(social_worker) == {"registry", "search", "reassign", "api"}
    # then the neighbour in none
    assert seen(request.getfixturevalue(neighbour)) == set()


@pytest.mark.parametrize("neighbour", OFFICE_NEIGHBOURS)
def test_the_assignment_page_offers_a_neighbour_nothing_of_the_home_village(
    client, home_in_care, social_worker, neighbour, request
):
    household = home_in_care["household"]
    # given: the home social worker gets the home village with its household
    client.force_login(social_worker)
    page = client.get(reverse("volunteers:assignment"), {"area": HOME_VILLAGE})
    assert (page.context["area"].code, [row["pk"] for row in page.context["rows"]]) == (HOME_VILLAGE, [household.pk])
    # when the neighbour asks for the home village and for the home subdistrict
    client.force_login(request.getfixturevalue(neighbour))
    pages = [client.get(reverse("volunteers:assignment"), {"area": code}) for code in (HOME_VILLAGE, "920101")]
    # then: as an area that does not exist, with no household
    assert [(page.status_code, page.context["area"], page.context["rows"]) for page in pages] == [(200, None, [])] * 2


@pytest.mark.parametrize("neighbour", NEIGHBOURS_AND_MANAGER)
def test_a_neighbour_records_no_visit_and_moves_no_schedule_of_the_home_household(
    client, home_in_care, social_worker, neighbour, request
):
    # given
    user = request.getfixturevalue(neighbour)
    own = own_entry(user)
    before = _state()
    client.force_login(user)
    # when
    statuses = answers(client, page_writes(home_in_care, own))
    # then: every write is refused, and nothing was written
    assert not_refused(statuses) == {}
    assert _state() == before
    # and the home social worker's same requests reach the home household and volunteer
    client.force_login(social_worker)
    reached = answers(client, page_writes(home_in_care, VolunteerFactory(first_name="อาสาทับเที่ยงสอง")))
    assert refused(reached) == {}
    assert _state() != before


@pytest.mark.parametrize("neighbour", OFFICE_NEIGHBOURS)
def test_the_forms_of_a_neighbours_office_hand_over_nothing_of_the_home_subdistrict(
    client, home_in_care, neighbour, request
):
    """The assignment and hand-over pages answer with their form (200) and an error, and write nothing."""
    # given
    user = request.getfixturevalue(neighbour)
    own = own_entry(user)
    entry = home_in_care["volunteer"]
    before = _state()
    client.force_login(user)
    # when: the whole home village to their own volunteer, and the home volunteer's households to theirs
    village = client.post(
        reverse("volunteers:assignment"), {"area": HOME_VILLAGE, "volunteer": own.pk, "whole_village": "1"}
    )
    ticked = client.post(
        reverse("volunteers:assignment"),
        {"area": NEIGHBOUR_VILLAGES[user.area_codes()[0]], "volunteer": own.pk,
         "households": [home_in_care["household"].pk]},
    )  # fmt: skip
    handed = client.post(reverse("volunteers:reassign"), {"from": entry.pk, "to": own.pk, "reason": "ย้าย"})
    # then
    assert [village.status_code, ticked.status_code, handed.status_code] == [200, 302, 200]
    assert _state() == before


@pytest.mark.parametrize("neighbour", OFFICE_NEIGHBOURS)
def test_a_neighbours_office_cannot_send_a_volunteer_to_serve_the_home_village(client, home, neighbour, request):
    # given
    user = request.getfixturevalue(neighbour)
    village = NEIGHBOUR_VILLAGES[user.area_codes()[0]]
    own = own_entry(user)
    before = _state()
    client.force_login(user)
    details = {"first_name": "อาสา", "last_name": "สองที่", "home_area_code": village}
    # when: a new volunteer, or their own one, to serve the home village too
    created = client.post("/api/v1/volunteers", details | {"areas_served": [village, HOME_VILLAGE]},
                          content_type="application/json")  # fmt: skip
    changed = client.put(f"/api/v1/volunteers/{own.pk}", details | {"areas_served": [village, HOME_VILLAGE]},
                         content_type="application/json")  # fmt: skip
    # then: each is refused naming the areas served, and nothing was written
    assert [response.status_code for response in (created, changed)] == [422, 422]
    assert [response.json()["error"]["fields"][0]["path"] for response in (created, changed)] == [
        "body.areas_served"
    ] * 2
    assert _state() == before
    # and the same without the home village is accepted
    accepted = client.post(
        "/api/v1/volunteers", details | {"areas_served": [village]}, content_type="application/json"
    )
    assert accepted.status_code == 201


# --- a volunteer of the next subdistrict who also serves the home village -----------------------------------------


@pytest.fixture
def bridge(home_in_care, social_worker, neighbour_volunteer):
    """A volunteer living in ต.นาพละ serving both villages, with the neighbour volunteer's login: they looked after
    the home household for a while (one visit noted), handed it back, and now have one of นาพละ and one of the home
    village in their care."""
    entry, household = home_in_care["volunteer"], home_in_care["household"]
    bridge = VolunteerFactory(first_name="สองตำบล", home_area_code="92010401", areas=["92010401", HOME_VILLAGE],
                              user=neighbour_volunteer)  # fmt: skip
    services.households_reassign(from_volunteer=entry, to_volunteer=bridge, actor=social_worker)
    visit = services.visit_record(
        household=household, visited_on=timezone.localdate(), note="แวะ", actor=social_worker
    )
    services.households_reassign(from_volunteer=bridge, to_volunteer=entry, actor=social_worker)
    own = HouseholdFactory(area_code="92010401", house_no="7")
    another = HouseholdFactory(area_code=HOME_VILLAGE, house_no="8")
    services.households_assign(household_ids=[own.pk, another.pk], volunteer=bridge, actor=None)
    assert Visit.objects.get(pk=visit.pk).volunteer == bridge
    return {"volunteer": bridge, "own": own, "home": household, "another": another}


def test_the_next_subdistricts_office_sees_the_volunteer_but_none_of_the_home_households_visits(
    client, bridge, manager, neighbour_social_worker
):
    profile = reverse("volunteers:volunteer_detail", args=[bridge["volunteer"].pk])
    home_links = [reverse("households:household_detail", args=[bridge[key].pk]) for key in ("home", "another")]
    own_link = reverse("households:household_detail", args=[bridge["own"].pk])
    # given: the province's manager sees the home households in the profile (visit, hand-back, care)
    client.force_login(manager)
    shown = client.get(profile).content.decode()
    assert all(link in shown for link in [*home_links, own_link])
    assert f"ครัวเรือน {bridge['home'].pk}:" in shown  # handed back
    # when the social worker of ต.นาพละ opens it
    client.force_login(neighbour_social_worker)
    page = client.get(profile)
    # then: the volunteer and their own household, no home household, visit or hand-over
    content = page.content.decode()
    assert page.status_code == 200 and own_link in content
    assert [link for link in home_links if link in content] == []
    assert f"ครัวเรือน {bridge['home'].pk}" not in content
    profile_data = page.context["profile"]
    assert (profile_data.visits_done, profile_data.history) == ([], [])


def test_a_volunteers_visit_list_holds_no_household_outside_their_login_areas(client, bridge, neighbour_volunteer):
    # given: the registry entry serves the home village, the login only ต.นาพละ
    client.force_login(neighbour_volunteer)
    # when
    page = client.get(reverse("volunteers:my_visits"))
    listed = client.get("/api/v1/visits/mine").json()
    # then: only the household of ต.นาพละ
    visits = page.context["visits"]
    assert [s.household_id for s in visits.overdue + visits.this_week + visits.later] == [bridge["own"].pk]
    assert [row["household_id"] for row in listed] == [bridge["own"].pk]


def test_the_menus_overdue_count_agrees_with_the_visit_list(client, bridge, neighbour_volunteer):
    # given: every visit of the registry entry is overdue, one in ต.นาพละ and the others in the home subdistrict
    VisitSchedule.objects.filter(volunteer=bridge["volunteer"]).update(
        next_visit_on=timezone.localdate() - dt.timedelta(days=3)
    )
    assert VisitSchedule.objects.filter(volunteer=bridge["volunteer"]).count() > 1
    client.force_login(neighbour_volunteer)
    # when
    visits = client.get(reverse("volunteers:my_visits")).context["visits"]
    # then: the number beside My visits counts only what the list shows
    assert [s.household_id for s in visits.overdue] == [bridge["own"].pk]
    assert overdue_visits_count(neighbour_volunteer) == 1
