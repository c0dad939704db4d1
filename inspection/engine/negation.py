"""Negation scoped to a clause: does a cue deny the phrase found at `text[start:end]`?

The scope is the phrase's clause (`PreparedUtterance.clause_span`: punctuation, connective
tokens such as 但是/所以/然后, sentence-final particles), not the next word. A phrase is negated
when, inside its clause:

1. a cue before it reaches it, at most `window` characters back:
   - a multi-character cue anywhere in that reach (没有, 不会, 不能, 不敢, 并不, 从不, 不存在 …);
   - a discontinuous cue around or before it (任何…都不, 谁…也不, 哪个…也不, 别说…了, 哪有 …);
   - a single-character cue (不, 没, 无, 非, 别 …) only right before it (`SHORT_NEGATION_REACH`);
   words that merely start with a negation character are masked first (不好意思, 非常, 不用担心).
   A short answer closes a cue's scope: in the unpunctuated "不会亏的这个产品保本的", the answer
   不会亏的 (a cue, at most `SHORT_ANSWER_CHARS` characters, then 的/了) or a doubled answer
   (不会不会) ends there, and 保本 after it is a new, un-negated promise;
2. or a denial follows it: right after it (保本是不可能的, 刚兑不存在) or, a universal negation,
   within `window` characters (保本这事儿哪个银行也不会跟您打保票).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Cues that negate a following phrase within its clause ("这个产品不保本").
NEGATION_CUES = (
    "并非", "并不", "并没有", "绝不", "决不", "从不", "从没", "从来不", "从来没", "不是", "不会",
    "不能", "不可能", "没有", "不存在", "无法", "不敢", "不保证", "不承诺", "不代表", "谈不上",
    "不要", "不用", "不可以", "请勿", "切勿", "禁止", "严禁", "不一定", "不确定", "不允许", "不得",
    "不让", "不想", "没法", "别说", "哪有", "哪里有", "哪儿有", "哪来的", "哪会", "哪能", "怎么会",
    "怎么可能", "谁也不", "谁都不", "谁也没", "没人", "没有人", "没有哪", "没有一",
)
# Cues in two parts with the phrase possibly between them ("任何人问您要都不能给").
DISCONTINUOUS_CUES = (
    r"任何[^，。]{0,8}?[都也](?:不|没|别)",
    r"(?:谁|哪个|哪家|哪一家|哪款|哪一款|哪只)[^，。]{0,8}?[都也](?:不|没|别)",
    r"别说[^，。]{0,8}?了",
)
# Single-character cues negate only right before the phrase ("不保本", not "再不处理我就去投诉").
SHORT_NEGATION_CUES = ("不", "没", "无", "未", "别", "非", "勿", "莫")
SHORT_NEGATION_REACH = 2
# Words that start with a negation character but do not negate ("非常保本" still promises).
NOT_NEGATION = (
    "非常", "无论", "不错", "不少", "不仅", "不但", "不光", "没错", "不用担心", "不必担心",
    "无忧", "不怕", "不管", "毫无疑问", "无疑", "别担心", "不好意思", "不客气", "未来", "别人",
    "无限", "不断", "不停", "莫过于", "信不信", "是不是", "要不要", "能不能", "会不会", "好不好",
    "行不行", "对不对", "不要担心", "不要怕", "不用怕", "别怕", "不止", "不只", "没问题",
    "不会骗", "没骗", "别家", "特别", "区别", "分别", "级别", "类别", "别的", "不着急", "别着急",
    "不用着急", "不要着急", "别慌", "没关系", "没事", "不用犹豫", "无须担心", "不然", "要不然",
    "不得不", "差不多", "不一样", "不同", "不久", "没多久", "不了",
)
# Right after the phrase, a denial of it ("保本是不可能的").
POST_NEGATION_CUES = ("是不可能", "不可能", "是没有的", "是不存在", "不存在", "是不对的", "是错误",
                      "是假的", "是骗人的")
# After the phrase within the window, a universal negation ("保本哪个银行也不会承诺").
POST_UNIVERSAL_CUES = (
    r"(?:谁|哪个|哪家|哪一家|任何|没有哪)[^，。]{0,8}?[都也](?:不|没|别)",
    r"(?:谁也不|谁都不|没人敢|没有人敢|打不了包票|打不了保票|说不准|做不到)",
)
# A short answer ("不会亏的", "没有的", "亏不了的") or a doubled one ("不会不会") ends a clause.
SHORT_ANSWER_CHARS = 3
_ANSWER_CUES = r"(?:不会|不是|没有|不用|不要|没|不|别)"
_SHORT_ANSWER = re.compile(
    rf"(不会|不是|没有|不用|不要)\1|{_ANSWER_CUES}[\u4e00-\u9fff]{{0,{SHORT_ANSWER_CHARS}}}?"
    r"(?:了的|的|了)(?=[\u4e00-\u9fff])")


def _alternation(words: Sequence[str]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


_NOT_NEGATION = _alternation(NOT_NEGATION)
_PRE_CUES = re.compile("|".join([_alternation(NEGATION_CUES).pattern, *DISCONTINUOUS_CUES]))
_POST_UNIVERSAL = re.compile("|".join(POST_UNIVERSAL_CUES))
_SHORT_NEGATION_CUES = frozenset(SHORT_NEGATION_CUES)


def mask_false_cues(text: str) -> str:
    """`text` with the words that only look negative (不好意思, 非常 …) blanked, same length."""
    return _NOT_NEGATION.sub(lambda match: "＿" * len(match.group()), text)


def is_negated(text: str, clause: tuple[int, int], start: int, end: int, window: int) -> bool:
    """True when a negation cue in `text[clause[0]:clause[1]]` governs `text[start:end]`.

    `clause` must hold the phrase; `window` bounds how far (in characters) a cue reaches."""
    masked = mask_false_cues(text[clause[0]:clause[1]])
    offset = clause[0]
    scope_start = _after_last_answer(masked, start - offset)
    for match in _PRE_CUES.finditer(masked, scope_start):
        cue_start, cue_end = match.start() + offset, match.end() + offset
        if cue_start >= start:
            break
        if start - cue_end <= window:
            return True
    reach = masked[max(scope_start, start - offset - SHORT_NEGATION_REACH):start - offset]
    if not _SHORT_NEGATION_CUES.isdisjoint(reach):
        return True
    after = masked[end - offset:]
    if after.startswith(POST_NEGATION_CUES):
        return True
    denial = _POST_UNIVERSAL.search(after)
    return denial is not None and denial.start() <= window


def _after_last_answer(masked: str, phrase_start: int) -> int:
    """Where a cue may start: after the last short answer that ends before the phrase."""
    scope = 0
    for match in _SHORT_ANSWER.finditer(masked):
        if match.end() > phrase_start:
            break
        scope = match.end()
    return scope
