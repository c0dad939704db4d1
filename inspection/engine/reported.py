"""Reported speech and questions: a phrase the agent quotes or asks about is not asserted.

Within the phrase's clause (`PreparedUtterance.clause_span`):

- `is_reported`: a reporting cue precedes the phrase within `window` characters: the customer's
  words restated (您说的…, 您刚才说…, 您是说…, 您问的…), a third party's (您朋友推荐的…,
  您同事说的…, 网上说…, 别人跟您讲…, 外面谁跟您讲…), or a term held at a distance (所谓…,
  听说…). The agent's own side reporting (我们行长都说了…) is not a cue: it is the agent's
  assurance.
- `is_asked`: a yes/no question cue precedes it (是不是, 是否, 有没有, 要不要 …) or the clause
  ends as a question after it (…吗, …么, …嘛, …是吧, …对吧).

The phrase option `ignore_reported` drops reported phrases; `ignore_questions` drops reported
and asked ones.
"""

from __future__ import annotations

import re

# The customer's words, restated or asked back.
_CUSTOMER = (r"(?:您|你)(?:刚才|刚刚|是|的意思是)?(?:说|讲|提到)"
             r"|(?:您|你)(?:刚才|刚刚|是)?问的|(?:您|你)(?:刚才|刚刚|是)问")
# A third party's words: the customer's relations, people outside, the internet, hearsay.
_THIRD_PARTY = (
    r"(?:您|你)(?:的)?(?:朋友|同事|邻居|家人|亲戚|爱人|老公|老婆|先生|太太|孩子|儿子|女儿|父母|"
    r"爸妈|同学|领导)[^，。]{0,3}?(?:说|讲|推荐|介绍|提到|买)"
    r"|(?:别人|有人|人家|外面|外边|网上|他们|业务员|上次的同事|之前的同事|那个客服|谁)"
    r"[^，。]{0,4}?(?:跟|给|对)?(?:您|你)?(?:说|讲|推荐|宣传|介绍)"
    r"|听说|据说|传言|所谓|广告上|宣传的"
)
REPORTING_CUES = re.compile(f"{_CUSTOMER}|{_THIRD_PARTY}")
QUESTION_CUES = re.compile(r"是不是|是否|有没有|要不要|需不需要|用不用|该不该")
QUESTION_ENDINGS = ("吗", "么", "嘛", "是吧", "对吧")


def is_reported(text: str, clause: tuple[int, int], start: int, end: int, window: int) -> bool:
    """True when a reporting cue in `clause` reaches `text[start:end]` (see module)."""
    return _cue_reaches(REPORTING_CUES, text, clause, start, window)


def is_asked(text: str, clause: tuple[int, int], start: int, end: int, window: int) -> bool:
    """True when `text[start:end]` is asked about in its `clause` (see module)."""
    if _cue_reaches(QUESTION_CUES, text, clause, start, window):
        return True
    return text[end:clause[1]].endswith(QUESTION_ENDINGS)


def _cue_reaches(cues: re.Pattern[str], text: str, clause: tuple[int, int], start: int,
                 window: int) -> bool:
    for match in cues.finditer(text, clause[0], clause[1]):
        if match.start() >= start:
            break
        if start - match.end() <= window:
            return True
    return False
