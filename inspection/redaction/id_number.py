"""Chinese resident identity numbers (GB 11643-1999): 6-digit region, birth date, sequence, check.

18 characters: the region code's first two digits name a province-level division, the next
eight are a real calendar date between 1900 and 2099, and the last is the ISO 7064 MOD 11-2
check character ("X" stands for 10). The legacy 15-digit form (1984–1999) has a two-digit year
and no check character, so only the region and date are checked.
"""

from __future__ import annotations

from datetime import date

PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
     50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
)
WEIGHTS = tuple(2 ** (17 - position) % 11 for position in range(17))
CHECK_CHARACTERS = "10X98765432"  # indexed by the weighted sum mod 11


def check_character(first_17_digits: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first_17_digits, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def is_id_number(digits: str) -> bool:
    if len(digits) == 18:
        body = digits[:17]
        return (
            body.isdigit()
            and _plausible(region=body[:6], birth=body[6:14])
            and digits[17] == check_character(body)
        )
    if len(digits) == 15:
        return digits.isdigit() and _plausible(region=digits[:6], birth="19" + digits[6:12])
    return False


def _plausible(*, region: str, birth: str) -> bool:
    if int(region[:2]) not in PROVINCE_CODES:
        return False
    try:
        born = date(int(birth[:4]), int(birth[4:6]), int(birth[6:8]))
    except ValueError:
        return False
    return 1900 <= born.year <= 2099
