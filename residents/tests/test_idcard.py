"""Resident ID numbers (GB 11643-1999): check digit, embedded date, length, masking."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from portal.core.disclosure import mask_id_number
from residents.idcard import (
    birth_date_of,
    check_digit,
    make_id_number,
    normalize_id_number,
    sex_of,
    validate_id_number,
)

# The first is the specimen number of the standard; the others were checked by hand.
VALID = ["11010519491231002X", "440524198001010013", "130902196005170016"]


def _code(value: str) -> str:
    with pytest.raises(ValidationError) as exc:
        validate_id_number(value)
    return exc.value.code


@pytest.mark.parametrize("number", VALID)
def test_valid_numbers_pass(number):
    validate_id_number(number)


def test_x_check_digit_is_valid_in_either_case_and_with_spaces():
    validate_id_number("11010519491231002x")
    validate_id_number(" 110105 19491231002X ")
    assert normalize_id_number(" 110105 19491231002x ") == "11010519491231002X"


def test_check_digit_is_computed_mod_11_2():
    assert check_digit("11010519491231002") == "X"
    assert check_digit("44052419800101001") == "3"


@pytest.mark.parametrize("number", ["110105194912310021", "440524198001010014", "13090219600517001X"])
def test_wrong_check_digit_is_rejected(number):
    assert _code(number) == "id_check"


@pytest.mark.parametrize(
    "number",
    [
        "130902" + "19610229" + "001",  # 1961 is not a leap year
        "130902" + "19601332" + "001",  # month 13
        "130902" + "19600500" + "001",  # day 0
    ],
)
def test_impossible_birth_date_is_rejected(number):
    # Append the right check digit, so only the date can be wrong.
    assert _code(number + check_digit(number)) == "id_date"


def test_birth_date_in_the_future_or_before_1890_is_rejected():
    future = dt.date.today() + dt.timedelta(days=400)
    first17 = f"130902{future:%Y%m%d}001"
    assert _code(first17 + check_digit(first17)) == "id_date"
    old = "130902" + "18800101" + "001"
    assert _code(old + check_digit(old)) == "id_date"


@pytest.mark.parametrize(
    "number",
    [
        "",
        "1101051949123100",
        "1101051949123100211",
        "11010519491231002Y",
        "1101A5194912310021",
        "110105194912310",
        "²" * 18,  # digits to str.isdigit(), not to int()
        "١١٠١٠٥١٩٤٩١٢٣١٠٠٢١",  # Arabic-Indic digits
    ],
)
def test_wrong_length_or_characters_are_rejected(number):
    assert _code(number) == "id_format"


def test_birth_date_and_sex_are_read_from_the_number():
    assert birth_date_of("11010519491231002X") == dt.date(1949, 12, 31)
    assert sex_of("11010519491231002X") == "F"  # 2 is even
    assert sex_of("440524198001010013") == "M"  # 1 is odd


def test_make_id_number_builds_valid_numbers_of_the_right_sex():
    born = dt.date(1988, 2, 29)
    for sequence in range(20):
        for sex in ("M", "F"):
            number = make_id_number("130902", born, sequence, sex)
            validate_id_number(number)
            assert birth_date_of(number) == born
            assert sex_of(number) == sex


def test_mask_keeps_only_two_characters_at_each_end():
    assert mask_id_number("11010519491231002X") == "11**************2X"
    assert mask_id_number("") == ""
