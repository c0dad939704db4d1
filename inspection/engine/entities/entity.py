"""`Entity`: one span of normalised text read as a value of an entity class."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entity:
    """`kind` is the class name without "@" (`amount`); `start`/`end` index the normalised
    utterance text and `text` is that span, as said ("九千出头").

    `value` is what the span reads as, None where the words carry no exact number:
    - amount: yuan (9000.0 for 九千出头), `approximate` for 多/出头/左右/来/上下;
    - percent: the percentage (3.8 for 百分之三点八 and 3.8%; 6.0 for 六个多点);
    - account_tail, phone: the digits as a string ("5520", "12315");
    - date: "YYYY-MM-DD" with unknown parts as "??" ("????-03-15"), or the relative words
      as said (月底, 下周二, 明天);
    - duration: the count in `unit` (3.0 and "月" for 三个月; 12.0 and "期" for 12期).
    """

    kind: str
    start: int
    end: int
    text: str
    value: float | str | None = None
    unit: str = ""
    approximate: bool = False
