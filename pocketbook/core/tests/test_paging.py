"""The capped paginator: a page reads at most cap + 1 rows, whatever the size of the table."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pocketbook.core.paging import CappedPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups():
    Group.objects.all().delete()
    Group.objects.bulk_create([Group(name=f"g{number:03d}") for number in range(1, 31)])
    return Group.objects.order_by("name")


def test_a_short_list_fits_on_the_first_page_without_a_count_query(groups):
    with CaptureQueriesContext(connection) as queries:
        page = CappedPaginator(groups, per_page=50, cap=100).get_page("1")
    assert (page.count, page.count_is_capped, page.num_pages, page.has_next) == (30, False, 1, False)
    assert len(queries) == 1


def test_a_long_list_counts_only_up_to_the_cap(groups):
    # when a page of 5 rows is read from 30 with a cap of 12
    with CaptureQueriesContext(connection) as queries:
        page = CappedPaginator(groups, per_page=5, cap=12).get_page("2")
    # then the count stops at 13 ("more than 12") and only the pages within the cap are offered
    assert [group.name for group in page.object_list] == ["g006", "g007", "g008", "g009", "g010"]
    assert (page.count, page.count_is_capped, page.num_pages, page.has_next, page.has_previous) == (
        13,
        True,
        3,
        True,
        True,
    )
    count_query = queries[-1]["sql"]
    assert "COUNT(" in count_query and "LIMIT 13" in count_query


@pytest.mark.parametrize(("asked", "served"), [("", 1), ("abc", 1), ("-1", 1), ("0", 1), ("9" * 40, 3), ("4", 3)])
def test_a_page_that_is_not_offered_gives_the_nearest_one(groups, asked, served):
    page = CappedPaginator(groups, per_page=5, cap=12).get_page(asked)
    assert page.number == served


def test_a_page_past_the_rows_gives_the_last_page_with_rows(groups):
    page = CappedPaginator(groups.filter(name__lte="g007"), per_page=5, cap=100).get_page("5")
    assert (page.number, [group.name for group in page.object_list]) == (2, ["g006", "g007"])
