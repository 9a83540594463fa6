import datetime as dt

import pytest
from django.utils import translation

from pocketbook.core.dates import DateInputError, fiscal_year, format_date, parse_date_input


def test_thai_date_is_buddhist_era_with_thai_month():
    with translation.override("th"):
        assert format_date(dt.date(2023, 6, 2)) == "2 มิถุนายน 2566"
        assert format_date(dt.date(2023, 6, 2), short=True) == "2 มิ.ย. 2566"


def test_english_date_is_gregorian():
    with translation.override("en"):
        assert format_date(dt.date(2023, 6, 2)) == "2 June 2023"


@pytest.mark.parametrize(
    ("typed", "expected", "era"),
    [
        ("2/6/2566", dt.date(2023, 6, 2), "BE"),
        ("2/6/2023", dt.date(2023, 6, 2), "CE"),
        ("2566-06-02", dt.date(2023, 6, 2), "BE"),
        ("2023-06-02", dt.date(2023, 6, 2), "CE"),
        ("2 มิถุนายน 2566", dt.date(2023, 6, 2), "BE"),
        ("2 มิ.ย. 2566", dt.date(2023, 6, 2), "BE"),
        ("๒/๖/๒๕๖๖", dt.date(2023, 6, 2), "BE"),
        ("2 June 2023", dt.date(2023, 6, 2), "CE"),
        (" 02.06.2566 ", dt.date(2023, 6, 2), "BE"),
    ],
)
def test_typed_dates_are_understood_in_either_era(typed, expected, era):
    understood = parse_date_input(typed)
    assert (understood.date, understood.era) == (expected, era)


@pytest.mark.parametrize("typed", ["", "31/2/2566", "2/6/66", "2/6/3000", "2/6/1800", "hello", "2 Foo 2566"])
def test_impossible_dates_raise_a_message(typed):
    with pytest.raises(DateInputError) as error:
        parse_date_input(typed)
    assert str(error.value)


def test_the_explanation_names_the_era_in_thai():
    with translation.override("th"):
        assert parse_date_input("2/6/2566").explanation().startswith("2 มิถุนายน 2566")


def test_fiscal_year_starts_in_october():
    assert fiscal_year(dt.date(2023, 9, 30)) == 2023
    assert fiscal_year(dt.date(2023, 10, 1)) == 2024
