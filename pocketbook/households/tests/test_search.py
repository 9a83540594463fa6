"""Household search at scale: every arm bounded, a fixed number of queries, prefixes taken literally."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pocketbook.households import selectors
from pocketbook.households.tests.factories import HouseholdFactory, MemberFactory, make_national_id

ID_A = make_national_id("110170020345")


@pytest.fixture
def five_somchais():
    """Five households whose heads are called สมชาย, one of them with a national ID."""
    households = [HouseholdFactory(area_code="92010101", house_no=f"{n}/1") for n in range(1, 6)]
    for number, household in enumerate(households):
        MemberFactory(household=household, first_name="สมชาย", last_name=f"ทอง{number}")
    MemberFactory(household=households[0], first_name="มาลี", relation="spouse", national_id=ID_A)
    return households


def test_a_name_search_costs_the_same_number_of_queries_however_many_match(five_somchais, volunteer):
    # given: PostgreSQL runs the arms inside the page's query; SQLite runs its four arms first
    expected = 2 if connection.features.supports_slicing_ordering_in_compound else 2 + 4
    list(selectors.household_list(viewer=volunteer, search="x"))  # the viewer's permissions and areas, once
    # when
    with CaptureQueriesContext(connection) as queries:
        rows = list(selectors.household_list(viewer=volunteer, search="สม")[:31])
        heads = [household.head.first_name for household in rows]
    # then
    assert heads == ["สมชาย"] * 5
    assert len(queries.captured_queries) == expected


def test_each_kind_of_match_stops_at_the_search_limit(five_somchais, volunteer, monkeypatch):
    # given
    monkeypatch.setattr(selectors, "SEARCH_LIMIT", 2)
    # when
    found = list(selectors.household_list(viewer=volunteer, search="สมชาย"))
    # then: two by first name; the last-name arm finds nobody called สมชาย
    assert len(found) == 2


@pytest.mark.parametrize("search", ["%", "_", "ส%", "สม_าย"])
def test_like_wildcards_in_a_search_are_plain_characters(five_somchais, volunteer, search):
    assert list(selectors.household_list(viewer=volunteer, search=search)) == []


def test_two_words_match_a_first_name_and_a_last_name_prefix(five_somchais, volunteer):
    assert list(selectors.household_list(viewer=volunteer, search="สมชาย  ทอง3")) == [five_somchais[3]]


def test_search_by_national_id_finds_the_household_of_any_member(five_somchais, volunteer):
    assert list(selectors.household_list(viewer=volunteer, search=ID_A)) == [five_somchais[0]]


def test_search_never_reaches_outside_the_viewers_areas(five_somchais, other_province_worker):
    assert list(selectors.household_list(viewer=other_province_worker, search="สม")) == []


def test_a_household_key_or_house_number_matches_exactly(five_somchais, volunteer):
    # given
    keyed = HouseholdFactory(area_code="92010101", household_key="TR-0042", house_no="77")
    # then
    assert list(selectors.household_list(viewer=volunteer, search="TR-0042")) == [keyed]
    assert list(selectors.household_list(viewer=volunteer, search="3/1")) == [five_somchais[2]]
    assert list(selectors.household_list(viewer=volunteer, search="TR-004")) == []
