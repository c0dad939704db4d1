"""Chinese resident identity numbers, GB 11643-1999 ([身份证号]).

Finds: 18 characters — 6-digit region code, birth date, 3-digit sequence, check character ("X"
for 10, also heard as 叉) — and the legacy 15-digit form (1984–1999: two-digit year, no check
character), written, spoken or grouped (110105 19491231 002X).

Validation: `stdnum.cn.ric` computes the ISO 7064 MOD 11-2 check character and reads the birth
date (a real calendar date); the region code's first two digits must name a province-level
division in stdnum's region table. The county is *not* looked up: counties are renamed and
merged, and an ID number whose county left the table must still be hidden. The legacy form has
no check character, so only its region and date are checked.

False-positive guard: the check character (1 in 11 by chance), a real birth date between 1900
and 2099 and a known province make 18-digit order numbers and timestamps (2024061009452231…)
fail; amounts and codes glued to letters are refused.
"""

from __future__ import annotations

from functools import cache

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from inspection.redaction.candidate import Candidate

FIRST_BIRTH_YEAR, LAST_BIRTH_YEAR = 1900, 2099


def is_id_number(digits: str) -> bool:
    if len(digits) == 18:
        return (
            digits[:17].isdigit()
            and ric.calc_check_digit(digits) == digits[17]
            and _plausible(region=digits[:6], birth=digits[6:14])
        )
    if len(digits) == 15:
        return digits.isdigit() and _plausible(region=digits[:6], birth="19" + digits[6:12])
    return False


def accepts(candidate: Candidate) -> bool:
    return not candidate.amount and is_id_number(candidate.digits)


def _plausible(*, region: str, birth: str) -> bool:
    if not _is_province(region[:2]):
        return False
    try:
        born = ric.get_birth_date("0" * 6 + birth + "0" * 4)
    except ValidationError:
        return False
    return FIRST_BIRTH_YEAR <= born.year <= LAST_BIRTH_YEAR


@cache
def _is_province(code: str) -> bool:
    """A province-level division in stdnum's table of region codes (cn/loc)."""
    return any("province" in properties for _, properties in numdb.get("cn/loc").info(code))
