"""Frames: warnings, advice and anti-fraud reminders that neutralise a match in their sentence.

"记住，银行不会让您报短信验证码，谁要都别给" names the forbidden request in order to warn against
it. With the phrase option `frames` (a list of cues, or `true` for `DEFAULT_FRAMES`), a phrase
does not count when a frame cue stands in the same sentence, before or after it (split at
。/？/！; an unpunctuated ASR turn is one sentence). A cue written
"A…B" matches A, then B at most `GAP_CHARS` characters later ("任何人…都不要给"). A negated cue
does not frame ("我们不是骗子，您把验证码报一下" still asks for the code), nor does the phrase
itself (骗子 said as an insult).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from inspection.engine.negation import is_negated
from inspection.text import SENTENCE_END

DEFAULT_FRAMES = (
    "提醒", "谨防", "小心", "警惕", "当心", "注意防范", "别信", "不要信", "不能信", "千万别",
    "千万不要", "要是有人", "如果有人", "若有人", "有人冒充", "骗子", "诈骗", "骗局", "冒充",
    "非法集资", "反诈", "不会向您索要", "不会找您要", "不会问您要", "任何人…都不要给",
    "任何人…都别给", "任何人…都不能", "谁要都别给", "谁要都不要给", "谁问…都别", "说法不准确",
    "说法不对", "不靠谱",
)
GAP_CHARS = 8
SENTENCE_ENDS = frozenset(SENTENCE_END + "？！")


def compile_frames(cues: Sequence[str]) -> re.Pattern[str]:
    """One pattern for all cues; "A…B" becomes A, up to `GAP_CHARS` characters, then B."""
    parts = sorted((_cue_pattern(cue) for cue in cues if cue.strip()), key=len, reverse=True)
    return re.compile("|".join(parts))


def _cue_pattern(cue: str) -> str:
    pieces = [re.escape(piece) for piece in re.split(r"…+|\.\.\.", cue.strip()) if piece]
    return f"[^{SENTENCE_END}]{{0,{GAP_CHARS}}}?".join(pieces)


def in_frame(text: str, start: int, end: int, frames: re.Pattern[str]) -> bool:
    """True when an un-negated frame cue shares the sentence of `text[start:end]`."""
    sentence_start, sentence_end = _sentence(text, start, end)
    for match in frames.finditer(text, sentence_start, sentence_end):
        if start <= match.start() and match.end() <= end:
            continue  # the phrase itself ("骗子" as an insult) frames nothing
        clause = (sentence_start, sentence_end)
        if not is_negated(text, clause, match.start(), match.end(), window=2):
            return True
    return False


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    begin = start
    while begin > 0 and text[begin - 1] not in SENTENCE_ENDS:
        begin -= 1
    stop = end
    while stop < len(text) and text[stop] not in SENTENCE_ENDS:
        stop += 1
    return begin, stop
