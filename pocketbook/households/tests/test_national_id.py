import pytest
from django.core.exceptions import ValidationError

from pocketbook.households import national_id
from pocketbook.households.tests.factories import make_national_id


def test_a_valid_id_is_returned_as_thirteen_digits():
    # given / when
    number = national_id.validate("3-1006-00445-63-5")
    # then
    assert number == "3100600445635"


def test_thai_digits_and_spaces_are_accepted():
    assert national_id.validate("๓ ๑๐๐๖ ๐๐๔๔๕ ๖๓ ๕") == "3100600445635"


def test_a_wrong_check_digit_is_refused_with_a_clear_message():
    # when
    with pytest.raises(ValidationError) as error:
        national_id.validate("3100600445634")
    # then
    assert error.value.code == "checksum"
    assert "check digit" in error.value.messages[0]


def test_an_id_starting_with_zero_is_accepted_when_its_check_digit_is_right():
    # given: stdnum itself refuses a leading 0; the project's rule accepts it
    number = make_national_id("012345678901")
    # when / then
    assert national_id.validate(number) == number


def test_an_id_starting_with_zero_still_needs_the_right_check_digit():
    number = make_national_id("012345678901")
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    with pytest.raises(ValidationError) as error:
        national_id.validate(wrong)
    assert error.value.code == "checksum"


def test_an_id_starting_with_nine_is_refused():
    with pytest.raises(ValidationError) as error:
        national_id.validate(make_national_id("912345678901"))
    assert error.value.code == "component"


def test_a_short_id_says_how_many_digits_it_has():
    with pytest.raises(ValidationError) as error:
        national_id.validate("12345")
    assert error.value.messages == ["A national ID has 13 digits; this one has 5."]


def test_letters_are_refused():
    with pytest.raises(ValidationError) as error:
        national_id.validate("310060044563X")
    assert error.value.code == "format"


def test_the_mask_keeps_only_the_check_digit():
    assert national_id.mask("3") == "x-xxxx-xxxxx-xx-3"


def test_protect_encrypts_and_hashes_without_keeping_the_number(settings):
    # when
    stored = national_id.protect("3100600445635")
    # then
    assert "3100600445635" not in stored.encrypted
    assert len(stored.lookup_hash) == 64
    assert stored.last_digit == "5"
    assert national_id.reveal(stored.encrypted) == "3100600445635"
    assert national_id.lookup_hash("3-1006-00445-63-5") == stored.lookup_hash


def test_the_mask_keeps_only_the_check_digit_and_shows_nothing_without_one():
    assert national_id.mask("3") == "x-xxxx-xxxxx-xx-3"
    assert national_id.mask("") == ""


def test_is_valid_answers_for_each_kind_of_refusal():
    number = make_national_id("012345678901")

    assert national_id.is_valid("3100600445635") is True
    assert national_id.is_valid(number) is True
    assert national_id.is_valid("3100600445634") is False
    assert national_id.is_valid("0000000000000") is False
    assert national_id.is_valid("") is False


def test_display_groups_the_digits_as_on_the_card():
    assert national_id.display("3100600445635") == "3-1006-00445-63-5"


def test_twelve_equal_leading_digits_are_refused_even_with_a_matching_check_digit():
    # given: 0000000000000's check digit is 1; a real-looking check digit does not make it an ID
    number = make_national_id("000000000000")

    with pytest.raises(ValidationError) as error:
        national_id.validate(number)

    assert error.value.code == "invalid"
