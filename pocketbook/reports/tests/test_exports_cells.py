"""The cells of an export file: text that a spreadsheet would run as a formula is neutralised, numbers and
amounts are kept, dates are in the Buddhist Era in Thai and ISO 8601 otherwise."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pocketbook.core.exports import cell, neutralise


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_text_cell_starting_like_a_formula_is_neutralised(start):
    # given
    text = start + "SUM(A1:A9)"
    # when
    written = neutralise(text)
    # then
    assert written == "'" + text


def test_plain_text_numbers_and_negative_amounts_are_written_as_they_are():
    # given / when / then
    assert neutralise("สมชาย") == "สมชาย"
    assert cell(Decimal("-150.00"), buddhist_era=True) == Decimal("-150.00")
    assert cell("-150", buddhist_era=True) == "'-150"


def test_dates_are_buddhist_era_in_thai_and_iso_otherwise():
    # given
    day = dt.date(2026, 12, 5)
    moment = dt.datetime(2026, 12, 5, 3, 4, tzinfo=dt.UTC)
    # when / then
    assert cell(day, buddhist_era=True) == "05/12/2569"
    assert cell(day, buddhist_era=False) == "2026-12-05"
    assert cell(moment, buddhist_era=True) == "05/12/2569 10:04"
    assert cell(moment, buddhist_era=False) == "2026-12-05T10:04:00+07:00"
