"""Mainland China mobile numbers ([手机号]).

Finds: 11 digits, 1 then 3–9, optionally after the country code 86 / 0086 (a "+" before it is
masked with the number, see `numbers`), in any written, spoken or broken-up form `digits` joins.

Validation: the shape only, on purpose. libphonenumber's CN plan knows only allocated prefixes
(it rejects 154, 16x, 174, 194 … today), while a redactor must also hide a newly allocated or
misheard prefix: masking a number that is not one costs a digit of readability, missing one leaks
it. `phonenumbers` decides the one case where context argues against a phone number:

False-positive guard: after a currency sign or before an amount unit (¥13812345678,
13812345678元) the digits are an amount and stay readable, unless they are a number
libphonenumber accepts as a mobile *and* are said as one: grouped 3-4-4 (¥138 1234 5678) or
after a phone cue (手机 / 电话 / tel / wx). Order codes glued to letters (WO13812345678) and
decimals (13812345678.50) are refused for every detector (see `numbers`).
"""

from __future__ import annotations

import phonenumbers

from inspection.redaction.candidate import Candidate

COUNTRY_PREFIXES = ("0086", "86")
MOBILE_TYPES = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)


def national_mobile(digits: str) -> str | None:
    """The 11-digit national number if `digits` has the shape of a mobile number, else None."""
    for prefix in COUNTRY_PREFIXES:
        if len(digits) == len(prefix) + 11 and digits.startswith(prefix):
            digits = digits[len(prefix):]
            break
    shaped = len(digits) == 11 and digits.isdigit() and digits[0] == "1" and digits[1] in "3456789"
    return digits if shaped else None


def is_allocated_mobile(national: str) -> bool:
    """libphonenumber's verdict: a valid CN mobile number (allocated prefix and length)."""
    number = phonenumbers.parse(national, "CN")
    return phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) in MOBILE_TYPES


def accepts(candidate: Candidate) -> bool:
    national = national_mobile(candidate.digits)
    if national is None:
        return False
    if not candidate.amount:
        return True
    said_as_phone = candidate.phone_grouped or candidate.cue == "phone"
    return said_as_phone and is_allocated_mobile(national)
