"""Digits as chat and ASR text writes them: Arabic, full-width, or read out as Chinese numerals.

`digit_groups(text)` finds every maximal run of digit characters (a *group*) and records whether
it is joined to the group before it by a short separator — spaces, a dash, a comma — the way
numbers are written and read in groups: 138 1234 5678, 6222-0212-…, 幺三八，一二三四，五六七八.
Every digit character stands for exactly one digit, so text offsets and digits line up.
"""

from __future__ import annotations

from dataclasses import dataclass

SPOKEN_DIGITS: dict[str, str] = {
    char: str(value)
    for value, chars in enumerate(
        ("零〇洞", "幺一壹", "二两兩贰貳", "三叁參", "四肆", "五伍", "六陆陸", "七柒拐", "八捌", "九玖勾")
    )
    for char in chars
}
WRITTEN_DIGITS: dict[str, str] = {
    **{str(value): str(value) for value in range(10)},
    **{chr(0xFF10 + value): str(value) for value in range(10)},  # full-width ０-９
}
DIGITS: dict[str, str] = {**WRITTEN_DIGITS, **SPOKEN_DIGITS}
CHECK_LETTERS = frozenset("XxＸｘ叉")  # the ID number's check character "X", also as ASR hears it
SEPARATORS = frozenset(" \t\u3000\u00a0-－—–,，、")
MAX_SEPARATOR_LENGTH = 3


@dataclass(frozen=True)
class DigitGroup:
    """One maximal run of digit characters: text[start:end], one digit (or "X") per character."""

    start: int
    end: int
    digits: str
    spoken_prefix: int  # how many leading characters are Chinese numerals
    spoken_suffix: int  # how many trailing characters are Chinese numerals
    separator: str | None  # the text joining it to the previous group; None when not joined
    glued_to_letter: bool  # touches a Latin letter, as in an order number "WO2026…"


def digit_at(text: str, index: int) -> str | None:
    """The digit the character at `index` stands for; "X" for an ID check character."""
    char = text[index]
    if char in DIGITS:
        return DIGITS[char]
    if char not in CHECK_LETTERS or index == 0 or text[index - 1] not in DIGITS:
        return None
    after = text[index + 1] if index + 1 < len(text) else ""
    return None if after in DIGITS or (after.isascii() and after.isalnum()) else "X"


def digit_groups(text: str) -> list[DigitGroup]:
    groups: list[DigitGroup] = []
    index = 0
    while index < len(text):
        if digit_at(text, index) is None:
            index += 1
            continue
        end = index
        while end < len(text) and digit_at(text, end) is not None:
            end += 1
        previous_end = groups[-1].end if groups else None
        groups.append(_group(text, index, end, previous_end))
        index = end
    return groups


def _group(text: str, start: int, end: int, previous_end: int | None) -> DigitGroup:
    chars = text[start:end]
    gap = text[previous_end:start] if previous_end is not None else ""
    joined = 0 < len(gap) <= MAX_SEPARATOR_LENGTH and all(char in SEPARATORS for char in gap)
    return DigitGroup(
        start=start,
        end=end,
        digits="".join(digit_at(text, index) or "" for index in range(start, end)),
        spoken_prefix=_count_spoken(chars),
        spoken_suffix=_count_spoken(chars[::-1]),
        separator=gap if joined else None,
        glued_to_letter=_is_latin_letter(text, start - 1) or _is_latin_letter(text, end),
    )


def _count_spoken(chars: str) -> int:
    count = 0
    while count < len(chars) and chars[count] in SPOKEN_DIGITS:
        count += 1
    return count


def _is_latin_letter(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index].isascii() and text[index].isalpha()
