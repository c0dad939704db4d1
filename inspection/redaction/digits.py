"""Digits as chat and ASR text writes them: Arabic, full-width, or read out as Chinese numerals.

`digit_groups(text)` finds every maximal run of digit characters (a *group*) and records whether
it is joined to the group before it by a short *gap* — the way numbers are written and read in
pieces: 138 1234 5678, 6222-0212-…, 138.1234.5678, 138/1234/5678, 138 ... 1234,
幺三八，那个，一二三四，嗯，五六七八, 138呃1234嗯5678. A gap joins when it is at most
`MAX_GAP_LENGTH` characters of separators and at most `MAX_FILLERS` hesitation words
(`FILLER_WORDS`), and nothing else: "138 的话 1234" is two numbers. A single "." joins only
groups of three or more digits on both sides (138.1234.5678), so a decimal point (1380.50,
12.5) never does.

A group touching Latin letters is marked `glued_to_letter` (an order code "WO2026…") unless the
letters are a contact prefix said before a number ("wx138…", "tel138…", `CONTACT_PREFIXES`) or an
extension marker after it ("…5678ext12"). Every digit character stands for exactly one digit,
so text offsets and digits line up.
"""

from __future__ import annotations

import re
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
SEPARATORS = frozenset(" \t\u3000\u00a0-－—–―,，、/／_＿·・…⋯~～()（）")
DOTS = frozenset(".．。")
FILLER_WORDS = ("那个", "这个", "就是", "然后", "呃", "嗯", "啊", "额", "哦", "噢", "唔", "诶", "欸", "哎")
MAX_GAP_LENGTH = 8
MAX_FILLERS = 2
MIN_DOTTED_GROUP = 3  # a lone "." joins only groups this long: 138.1234.5678, never 1380.50
CONTACT_PREFIXES = frozenset(
    {"tel", "phone", "mobile", "mob", "cell", "wx", "vx", "v", "wechat", "weixin", "qq"}
)
EXTENSION_MARKERS = frozenset({"x", "ext"})
_DIGIT_RUN = re.compile("[" + re.escape("".join(DIGITS)) + "]+")
_AS_DIGITS = str.maketrans({**DIGITS, **dict.fromkeys(CHECK_LETTERS, "X")})


@dataclass(frozen=True)
class DigitGroup:
    """One maximal run of digit characters: text[start:end], one digit (or "X") per character."""

    start: int
    end: int
    digits: str
    spoken_prefix: int  # how many leading characters are Chinese numerals
    spoken_suffix: int  # how many trailing characters are Chinese numerals
    separator: str | None  # the gap joining it to the previous group; None when not joined
    glued_to_letter: bool  # touches Latin letters that are not a contact prefix: "WO2026…"


def digit_at(text: str, index: int) -> str | None:
    """The digit the character at `index` stands for; "X" for an ID check character.

    An "X" (x, 叉) counts only right after a digit and not before a digit, a Latin letter or
    digit, or "[" (the start of a placeholder or of a span found earlier, see `scan`): what
    follows a number then reads the same before and after masking.
    """
    char = text[index]
    if char in DIGITS:
        return DIGITS[char]
    if char not in CHECK_LETTERS or index == 0 or text[index - 1] not in DIGITS:
        return None
    after = text[index + 1] if index + 1 < len(text) else ""
    return None if after in DIGITS or after == "[" or (after.isascii() and after.isalnum()) else "X"


def digit_groups(text: str) -> list[DigitGroup]:
    """Every maximal run of digit characters in `text`, in order."""
    groups: list[DigitGroup] = []
    for run in _DIGIT_RUN.finditer(text):
        end = run.end()
        if end < len(text) and digit_at(text, end) == "X":  # an "X" only ends a group
            end += 1
        groups.append(_group(text, run.start(), end, groups[-1] if groups else None))
    return groups


def _group(text: str, start: int, end: int, previous: DigitGroup | None) -> DigitGroup:
    chars = text[start:end]
    joined = previous is not None and joins(text[previous.end:start], len(previous.digits), end - start)
    return DigitGroup(
        start=start,
        end=end,
        digits=chars.translate(_AS_DIGITS),
        spoken_prefix=_count_spoken(chars),
        spoken_suffix=_count_spoken(chars[::-1]),
        separator=text[previous.end:start] if joined and previous is not None else None,
        glued_to_letter=_glued_before(text, start) or _glued_after(text, end),
    )


def joins(gap: str, before_length: int, after_length: int) -> bool:
    """Whether `gap` between two digit groups of these lengths makes them one number."""
    if not 0 < len(gap) <= MAX_GAP_LENGTH:
        return False
    if gap.strip() in DOTS and len(gap.strip()) == 1:
        return min(before_length, after_length) >= MIN_DOTTED_GROUP
    fillers, index = 0, 0
    while index < len(gap):
        if gap[index] in SEPARATORS or gap[index] in DOTS:
            index += 1
            continue
        word = next((word for word in FILLER_WORDS if gap.startswith(word, index)), None)
        if word is None or fillers == MAX_FILLERS:
            return False
        fillers, index = fillers + 1, index + len(word)
    return True


def _count_spoken(chars: str) -> int:
    count = 0
    while count < len(chars) and chars[count] in SPOKEN_DIGITS:
        count += 1
    return count


def _glued_before(text: str, start: int) -> bool:
    letters_start = start
    while letters_start > 0 and _is_latin_letter(text[letters_start - 1]):
        letters_start -= 1
    return letters_start < start and text[letters_start:start].lower() not in CONTACT_PREFIXES


def _glued_after(text: str, end: int) -> bool:
    letters_end = end
    while letters_end < len(text) and _is_latin_letter(text[letters_end]):
        letters_end += 1
    if letters_end == end:
        return False
    marker = text[end:letters_end].lower()
    extension = letters_end < len(text) and text[letters_end] in WRITTEN_DIGITS
    return not (marker in EXTENSION_MARKERS and extension)


def _is_latin_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()
