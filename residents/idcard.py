"""Resident identity card numbers (居民身份证号码), GB 11643-1999: validation and derived facts (masking: portal.core.disclosure)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def check_digit(first17: str) -> str:
    """The 18th character computed from the first 17 digits (ISO 7064 MOD 11-2)."""
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalize_id_number(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def birth_date_of(number: str) -> dt.date:
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def sex_of(number: str) -> str:
    """ "M" or "F" from the sequence code: odd for men, even for women."""
    return "M" if int(number[16]) % 2 else "F"


def validate_id_number(value: str) -> None:
    """Raise ValidationError unless `value` is an 18-character number with a valid date and check digit."""
    number = normalize_id_number(value)
    if (
        len(number) != 18
        or not number.isascii()
        or not number[:17].isdigit()
        or not (number[17].isdigit() or number[17] == "X")
    ):
        raise ValidationError(_("An ID number has 18 characters: 17 digits and a digit or X."), code="id_format")
    try:
        born = birth_date_of(number)
    except ValueError:
        raise ValidationError(_("The birth date inside this ID number does not exist."), code="id_date") from None
    if born.year < 1890 or born > dt.date.today():
        raise ValidationError(_("The birth date inside this ID number is out of range."), code="id_date")
    if check_digit(number[:17]) != number[17]:
        raise ValidationError(
            _("The check digit of this ID number is wrong; please check each digit."), code="id_check"
        )


def make_id_number(region: str, born: dt.date, sequence: int, sex: str) -> str:
    """Build a valid number (demo data and tests): region code, birth date, sequence of the right parity."""
    seq = sequence % 1000
    if (seq % 2 == 1) != (sex == "M"):
        seq = (seq + 1) % 1000
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)
