"""Bank card (and card-account) numbers ([银行卡号]).

Finds: 13 to 19 digits, not starting with 0, written, spoken, grouped (6222 0212 …, 6-13) or mixed.

Validation: the Luhn (mod 10) check digit, by `stdnum.luhn`.

False-positive guard: an order or reference number is not a card unless it is said as one —
after a reference cue (订单号, 流水号, 交易号, 工单号, 编号 … see `cues`) a Luhn-valid run stays
readable (订单号2024061009452231 survives; one in ten order numbers is Luhn-valid by chance).
Without a cue, a Luhn-valid run is masked (the safe side). Amounts (¥…, …元), decimals,
thousands-grouped figures (1,234,567) and codes glued to letters are refused.
"""

from __future__ import annotations

from stdnum import luhn

from inspection.redaction.candidate import Candidate

MIN_DIGITS, MAX_DIGITS = 13, 19


def is_bank_card(digits: str) -> bool:
    return (
        MIN_DIGITS <= len(digits) <= MAX_DIGITS and digits.isdigit() and digits[0] != "0"
        and luhn.is_valid(digits)
    )


def accepts(candidate: Candidate) -> bool:
    return not candidate.amount and candidate.cue != "reference" and is_bank_card(candidate.digits)
