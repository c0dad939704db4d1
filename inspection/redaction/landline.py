"""Mainland China fixed-line numbers with their area code ([座机号]).

Finds: 0 + area code + local number (010-62345678, 0755 2345 6789, (021)6123-4567), or the same
after the country code (+86 10 6234 5678, 0086 …), and an extension said after it
("转 123", "分机123", "-123", "ext 12", "#123" — masked with the number, see `numbers`).

Validation: libphonenumber's CN plan (`phonenumbers`): the area code exists and the local number
has its length and a valid first digit; only the FIXED_LINE (or FIXED_LINE_OR_MOBILE) type counts.

False-positive guard: service numbers are not personal and stay readable — 12315-style
hotlines and 95588-style short codes are invalid numbers, 400/800 numbers are SHARED_COST /
TOLL_FREE types. A local number said without its area code (6234 5678) is not masked: eight
digits look exactly like a date (20261101) or an order number — a known miss. Amounts (after
¥, before 元) are refused.
"""

from __future__ import annotations

import phonenumbers

from inspection.redaction.candidate import Candidate

FIXED_LINE_TYPES = frozenset(
    {phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)
MIN_DIGITS, MAX_DIGITS = 10, 12  # 0 + area code + local number; +2 or +4 with the country code


def national_significant(digits: str) -> str | None:
    """The number without its trunk "0" or country code, or None when it has neither."""
    if digits.startswith("0086"):
        return digits[4:]
    if digits.startswith("0"):
        return digits[1:]
    if digits.startswith("86"):
        return digits[2:]
    return None


def is_landline(digits: str) -> bool:
    national = national_significant(digits)
    if national is None or not national.isdigit() or not MIN_DIGITS - 1 <= len(national) <= MAX_DIGITS - 1:
        return False
    number = phonenumbers.parse("+86" + national)
    return phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) in FIXED_LINE_TYPES


def accepts(candidate: Candidate) -> bool:
    return not candidate.amount and is_landline(candidate.digits)
