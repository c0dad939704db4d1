"""Bank card numbers: 13 to 19 digits, not starting with 0, with a valid Luhn (mod 10) check digit."""

from __future__ import annotations


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def is_bank_card(digits: str) -> bool:
    return 13 <= len(digits) <= 19 and digits.isdigit() and digits[0] != "0" and luhn_valid(digits)
