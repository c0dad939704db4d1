"""`@amount`: a sum of money, as agents say it.

Reads: 一万五, 七万多, 四千五, 两千块, 九千出头, 二十万, 六万出头, 七千二百多, 三万一左右,
五十块, 两块五, 3200元, ¥3,200, 3,200, 7.5千, 3万, 5k, 1.2w. The span is the number with its
colloquial tail (多/出头/左右/来/上下/开外/整) and money unit (元/块/块钱/万元 …).

Not an amount (each is a decision, tested):
- a Chinese numeral below 百 without a money unit ("二十五号", "四十多天", "十一"): counts,
  days and dates, not money;
- a number followed by a counting word or another unit ("一万多个", "三千米", "一百分");
- a bare Arabic number without unit, sign, magnitude or thousands separator ("5520", "2026"):
  tails, years, order numbers;
- magnitudes without a digit ("千万别信", "万一").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from inspection.engine.entities.entity import Entity
from inspection.engine.entities.numerals import (
    AR_NUMBER,
    CN_DIGIT,
    CN_NUMBER,
    NOT_AFTER_NUMBER,
    read_number,
)

NAME = "amount"
LABEL = "金额"

TAILS = "多|出头|左右|来|上下|开外|整"
MONEY_UNITS = "块钱|块|元钱|元|圆|人民币|美元|美金|港币|港元|欧元|日元"
# After a number, these make it a count, a date or a measure rather than money.
NOT_MONEY_AFTER = ("号|日|月|年|期|天|周|岁|个|位|次|遍|人|名|条|层|楼|米|公里|斤|克|吨|度|倍|"
                   "分|秒|小时|钟|点|户|家|台|件|张|套|步|字|页|行|股|份|只|辆|平|线|路|级|"
                   "届|代|%")
_TAIL = f"(?:{TAILS})?+"  # possessive: "一万多个" may not drop 多 to dodge 个
_UNIT = f"(?:{MONEY_UNITS})"
_CHANGE = f"(?:[{CN_DIGIT}](?:毛|角)?)?"  # "两块五", "三块五毛"
_END = f"(?!{NOT_MONEY_AFTER})"
_SIGN = r"[¥$]\s?"

_PATTERN = re.compile("|".join((
    # ¥3,200 / $50 / ¥3万
    f"{_SIGN}{AR_NUMBER}[千万亿kw]?{_TAIL}{_UNIT}?",
    # 3200元, 7.5千块, 3万多
    f"{NOT_AFTER_NUMBER}{AR_NUMBER}[千万亿kw]?{_TAIL}{_UNIT}{_CHANGE}{_TAIL}",
    f"{NOT_AFTER_NUMBER}{AR_NUMBER}[千万亿kw]{_TAIL}{_END}",
    # 3,200 (a thousands separator says it is a sum)
    rf"{NOT_AFTER_NUMBER}\d{{1,3}}(?:[,，]\d{{3}})++(?:[.。]\d++)?{_TAIL}{_END}",
    # 五十块, 两块五, 一万五千元
    f"{NOT_AFTER_NUMBER}{CN_NUMBER}{_TAIL}{_UNIT}{_CHANGE}{_TAIL}",
    # 一万五, 九千出头, 二十万, 七千二百多 (百 or more)
    f"{NOT_AFTER_NUMBER}(?=[{CN_DIGIT}十点]*[百千万亿]){CN_NUMBER}{_TAIL}{_END}",
)))
_NUMBER = re.compile(f"{AR_NUMBER}[千万亿kw]?|{CN_NUMBER}")
_APPROXIMATE = re.compile(TAILS)
_CHANGE_VALUE = re.compile(f"[块元]([{CN_DIGIT}])")


def find(text: str) -> Iterator[Entity]:
    for match in _PATTERN.finditer(text):
        said = match.group()
        yield Entity(NAME, match.start(), match.end(), said, _value(said), "元",
                     bool(_APPROXIMATE.search(said)))


def _value(said: str) -> float | None:
    number = _NUMBER.search(said)
    value = read_number(number.group()) if number else None
    change = _CHANGE_VALUE.search(said)
    if value is not None and change:
        value += (read_number(change.group(1)) or 0) / 10
    return value
