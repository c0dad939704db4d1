"""Numerals as normalised call-centre text writes them, and their values (through `cn2an`).

Regex fragments shared by the entity classes, and two readers:
- `read_number("一万五")` → 15000.0: Chinese numerals (with magnitudes 十百千万亿, the ASR
  digit 幺, "点" decimals), Arabic numbers (with "," thousands and "." decimals — which
  `inspection.text.normalise` writes as "，" and "。"), and mixtures ("7.5千", "3万");
- `read_digits("五五二零")` → "5520": a number read out digit by digit.

Numbers are read by `cn2an` (MIT, a small pure-Python package); this module only cuts the
span and handles what cn2an does not: a decimal before a magnitude ("三点五万"), "k"/"w",
and normalised separators.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import cn2an

logger = logging.getLogger(__name__)

# Characters that stand for one digit when a number is read out digit by digit.
SPOKEN_DIGITS: dict[str, str] = {
    char: str(value)
    for value, chars in enumerate(("零〇", "一幺", "二两", "三", "四", "五", "六", "七", "八", "九"))
    for char in chars
}
CN_DIGIT = "零〇一二两三四五六七八九幺"
CN_MAGNITUDE = "十百千万亿"
# A Chinese numeral: a digit or 十 first ("千万别信", "万一" are no numbers), then digits and
# magnitudes, possessively (so a look-ahead after it cannot be dodged by giving back a digit),
# then an optional "点" decimal and magnitude ("三点五万").
CN_NUMBER = (f"(?:[{CN_DIGIT}]|十)[{CN_DIGIT}{CN_MAGNITUDE}]*+"
             f"(?:点[{CN_DIGIT}]++[{CN_MAGNITUDE}]?)?")
# An Arabic number: "3,200" (normalised "3，200") or "3200", with an optional decimal part
# ("7.5", normalised "7。5").
AR_NUMBER = r"(?:\d{1,3}(?:[,，]\d{3})++|\d++)(?:[.。]\d++)?"
# Not inside a longer number: no digit, magnitude or "点" right before, nor a separator
# that follows a digit ("3，200" is one number; "扣款，3200元" starts one after the comma).
NOT_AFTER_NUMBER = f"(?<![0-9{CN_DIGIT}{CN_MAGNITUDE}点])(?<![0-9][.。,，])"

_MAGNITUDES = {"十": 10, "百": 100, "千": 1_000, "万": 10_000, "亿": 100_000_000,
               "k": 1_000, "w": 10_000}
_DECIMAL_THEN_MAGNITUDE = re.compile(r"(.*[点.].*?)([十百千万亿kw])")


@lru_cache(maxsize=4096)
def read_number(numeral: str) -> float | None:
    """The value of a numeral ("一万五", "7.5千", "3，200", "三点五万"), None if unreadable."""
    numeral = numeral.replace("。", ".").replace("，", "").replace(",", "")
    scaled = _DECIMAL_THEN_MAGNITUDE.fullmatch(numeral)
    if scaled:
        base = read_number(scaled.group(1))
        return None if base is None else base * _MAGNITUDES[scaled.group(2)]
    numeral = numeral.replace("k", "千").replace("w", "万")
    try:
        return float(cn2an.cn2an(numeral, "smart"))
    except (ValueError, KeyError, IndexError):
        logger.debug("cn2an cannot read %r", numeral)
        return None


def read_digits(spoken: str) -> str:
    """The digits of a number said digit by digit ("幺二三幺五" → "12315"); other characters
    (spaces, hyphens) are dropped."""
    return "".join(SPOKEN_DIGITS.get(char, char) for char in spoken if char.isdigit()
                   or char in SPOKEN_DIGITS)
