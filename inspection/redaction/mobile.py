"""Mainland China mobile numbers: 11 digits, 1 then 3–9, optionally after the country code 86 / 0086.

A leading "+" before the country code is masked with the number (see `scan`).
"""

from __future__ import annotations

COUNTRY_PREFIXES = ("0086", "86")


def is_mobile(digits: str) -> bool:
    for prefix in COUNTRY_PREFIXES:
        if len(digits) == len(prefix) + 11 and digits.startswith(prefix):
            digits = digits[len(prefix):]
            break
    return len(digits) == 11 and digits.isdigit() and digits[0] == "1" and digits[1] in "3456789"
