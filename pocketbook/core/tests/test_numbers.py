"""Numbers as Thai users write them: one reading for every form, the API and the phone's outbox."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from pocketbook.core.forms import AmountField
from pocketbook.core.numbers import parse_decimal


@pytest.mark.parametrize(
    "typed",
    ["5000", "5,000", "5000.00", "5,000.00", "๕๐๐๐", "๕,๐๐๐", " 5 000 ", "5\u00a0000", 5000, 5000.0, Decimal("5000")],
)
def test_every_way_of_writing_five_thousand_reads_as_5000(typed):
    assert parse_decimal(typed) == Decimal("5000")


def test_decimals_and_large_grouped_numbers():
    assert parse_decimal("5000.50") == Decimal("5000.50")
    assert parse_decimal("1,250,000.5") == Decimal("1250000.5")
    assert parse_decimal("๑,๒๕๐.๗๕") == Decimal("1250.75")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("abc", "invalid"),
        ("5,00", "invalid"),  # a comma not between groups of three is a mistake, not 500
        ("5.000,50", "invalid"),
        ("NaN", "invalid"),
        ("Infinity", "invalid"),
        ("1e5", "invalid"),
        ("", "invalid"),
        (True, "invalid"),
        (None, "invalid"),
        (float("nan"), "invalid"),
        ("1.005", "max_decimal_places"),
        ("12345678901", "max_whole_digits"),
    ],
)
def test_bad_input_is_refused_with_a_code(typed, code):
    with pytest.raises(ValidationError) as error:
        parse_decimal(typed)
    assert error.value.code == code


def test_the_message_says_what_to_write_in_thai():
    with translation.override("th"), pytest.raises(ValidationError) as error:
        parse_decimal("ห้าพัน")
    assert error.value.messages == ["กรอกเป็นตัวเลข เช่น 5000 หรือ 5,000"]


def test_bounds_are_checked_after_reading():
    assert parse_decimal("0", minimum=0) == Decimal("0")
    with pytest.raises(ValidationError) as error:
        parse_decimal("-1", minimum=0)
    assert error.value.code == "min_value"


def test_the_form_field_reads_the_same_way_and_refuses_clearly():
    field = AmountField(min_value=0, max_digits=12, decimal_places=2, required=False)
    assert field.clean("๕,๐๐๐") == Decimal("5000")
    assert field.clean("5000.50") == Decimal("5000.50")
    assert field.clean("") is None
    with translation.override("th"), pytest.raises(ValidationError) as error:
        field.clean("5,00")
    assert error.value.messages == ["กรอกเป็นตัวเลข เช่น 5000 หรือ 5,000"]
    with pytest.raises(ValidationError) as error:
        field.clean("-5")
    assert [e.code for e in error.value.error_list] == ["min_value"]
