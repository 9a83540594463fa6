"""Small-cell suppression: "< 5" for 1..4, and a second cell hidden so the first cannot be recovered."""

from __future__ import annotations

from pocketbook.reports.privacy import PRIMARY, SECONDARY, suppress_one, suppress_small


def shown(cells):
    return [cell.shown for cell in cells]


def test_counts_of_one_to_four_are_shown_as_less_than_five_and_zero_and_five_are_shown():
    # given / when
    cells = suppress_small([0, 1, 4, 5, 1200])
    # then
    assert shown(cells) == ["0", PRIMARY, PRIMARY, "5", "1,200"]
    assert [cell.value for cell in cells] == [0, None, None, 5, 1200]


def test_a_single_small_cell_beside_its_total_hides_the_smallest_other_cell_too():
    # given: 3 + 7 + 20 = 30 is shown, so 3 could be worked out from 30 - 7 - 20
    # when
    cells = suppress_small([3, 7, 20], total=30)
    # then
    assert shown(cells) == [PRIMARY, SECONDARY, "20"]


def test_two_small_cells_whose_sum_is_small_hide_a_third():
    # given: 1 + 2 = 3 could be worked out, and 3 splits only a few ways
    # when
    cells = suppress_small([1, 2, 9, 40], total=52)
    # then
    assert shown(cells) == [PRIMARY, PRIMARY, SECONDARY, "40"]


def test_two_small_cells_whose_sum_is_five_or_more_need_no_secondary():
    # given / when
    cells = suppress_small([2, 4, 9], total=15)
    # then
    assert shown(cells) == [PRIMARY, PRIMARY, "9"]


def test_zero_cells_are_never_chosen_for_secondary_suppression():
    # given / when
    cells = suppress_small([3, 0, 0, 8], total=11)
    # then
    assert shown(cells) == [PRIMARY, "0", "0", SECONDARY]


def test_a_viewer_who_sees_people_sees_every_value():
    # given / when
    cells = suppress_small([3, 7], total=10, suppress=False)
    # then
    assert shown(cells) == ["3", "7"]
    assert suppress_one(2).shown == PRIMARY
    assert suppress_one(2, suppress=False).shown == "2"
