"""The counters: upserts at an area and every ancestor, reads of an area or its children, set-based rebuilds."""

from __future__ import annotations

import pytest

from pocketbook.reports.models import Tally
from pocketbook.reports.tallies import (
    TallyChange,
    area_lineage,
    area_parent,
    tally_add,
    tally_read,
    tally_replace_topic,
    tally_replace_topic_from_sql,
)

pytestmark = pytest.mark.django_db


def _all(topic: str = "t") -> dict[tuple[str, str, str, str], int]:
    return {(t.area_code, t.parent_code, t.period, t.key): t.value for t in Tally.objects.filter(topic=topic)}


def test_lineage_and_parent_of_each_level():
    # given / when / then
    assert area_lineage("92010101") == ["92010101", "920101", "9201", "92", ""]
    assert area_lineage("920101") == ["920101", "9201", "92", ""]
    assert area_lineage("") == [""]
    assert [area_parent(code) for code in ("92010101", "920101", "9201", "92", "")] == ["920101", "9201", "92", "", ""]


def test_an_addition_counts_at_the_area_and_every_ancestor():
    # given
    tally_add([TallyChange("t", "92010101", "", "registered", 2)])
    # when
    tally_add([TallyChange("t", "92010102", "", "registered", 1), TallyChange("t", "920201", "", "registered", 5)])
    # then
    assert _all() == {
        ("92010101", "920101", "", "registered"): 2,
        ("92010102", "920101", "", "registered"): 1,
        ("920101", "9201", "", "registered"): 3,
        ("9201", "92", "", "registered"): 3,
        ("920201", "9202", "", "registered"): 5,
        ("9202", "92", "", "registered"): 5,
        ("92", "", "", "registered"): 8,
        ("", "", "", "registered"): 8,
    }


def test_equal_keys_are_merged_and_a_change_that_cancels_out_writes_nothing():
    # given
    changes = [
        TallyChange("t", "920101", "fy2569", "fail:health", 1),
        TallyChange("t", "920101", "fy2569", "fail:health", -1),
        TallyChange("t", "920101", "fy2569", "fail:income", 0),
    ]
    # when
    tally_add(changes)
    # then
    assert Tally.objects.count() == 0


def test_a_subtraction_lowers_the_counters_to_zero_without_deleting_them():
    # given
    tally_add([TallyChange("t", "9201", "", "registered", 1)])
    # when
    tally_add([TallyChange("t", "9201", "", "registered", -1)])
    # then
    assert _all() == {
        ("9201", "92", "", "registered"): 0,
        ("92", "", "", "registered"): 0,
        ("", "", "", "registered"): 0,
    }


def test_read_an_area_or_its_children_for_the_periods_asked():
    # given
    tally_add(
        [
            TallyChange("t", "920101", "", "registered", 3),
            TallyChange("t", "920201", "", "registered", 4),
            TallyChange("t", "920201", "fy2569", "assessed", 1),
            TallyChange("other", "920201", "", "registered", 9),
        ]
    )
    # when
    province = tally_read(topic="t", area_code="92")
    districts = tally_read(topic="t", area_code="92", periods=("", "fy2569"), children=True)
    provinces = tally_read(topic="t", area_code="", children=True)
    # then
    assert province == {("92", "", "registered"): 7}
    assert districts == {
        ("9201", "", "registered"): 3,
        ("9202", "", "registered"): 4,
        ("9202", "fy2569", "assessed"): 1,
    }
    assert provinces == {("92", "", "registered"): 7}


def test_replacing_a_topic_rolls_leaf_rows_up_and_leaves_other_topics_alone():
    # given
    tally_add([TallyChange("t", "92010101", "", "stale", 1), TallyChange("other", "92", "", "kept", 1)])
    rows = [
        TallyChange("t", "92010101", "", "registered", 2),
        TallyChange("t", "92010101", "", "registered", 1),
        TallyChange("t", "920101", "", "registered", 1),  # a household filed at its subdistrict
        TallyChange("t", "92020101", "fy2569", "registered", 4),
    ]
    # when
    written = tally_replace_topic("t", rows)
    # then
    assert _all() == {
        ("92010101", "920101", "", "registered"): 3,
        ("920101", "9201", "", "registered"): 4,
        ("9201", "92", "", "registered"): 4,
        ("92", "", "", "registered"): 4,
        ("", "", "", "registered"): 4,
        ("92020101", "920201", "fy2569", "registered"): 4,
        ("920201", "9202", "fy2569", "registered"): 4,
        ("9202", "92", "fy2569", "registered"): 4,
        ("92", "", "fy2569", "registered"): 4,
        ("", "", "fy2569", "registered"): 4,
    }
    assert written == 10
    assert _all("other") == {("92", "", "", "kept"): 1, ("", "", "", "kept"): 1}


def test_replacing_a_topic_from_a_query_gives_the_same_counters_as_from_rows():
    # given
    tally_add([TallyChange("source", "92010101", "", "x", 2), TallyChange("source", "920201", "", "y", 3)])
    # when
    written = tally_replace_topic_from_sql(
        "t",
        "SELECT area_code, period, key, value FROM reports_tally WHERE topic = %s AND area_code IN (%s, %s)",
        ["source", "92010101", "920201"],
    )
    # then
    assert written == 9  # "x" at five levels, "y" at four
    assert tally_read(topic="t", area_code="") == {("", "", "x"): 2, ("", "", "y"): 3}
    assert tally_read(topic="t", area_code="920101") == {("920101", "", "x"): 2}
