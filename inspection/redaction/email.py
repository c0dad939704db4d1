"""E-mail addresses ([邮箱]).

Finds: an ASCII user name, an at sign (@, full-width ＠, or 艾特 as ASR writes it spoken) and a
domain of dot-separated labels ending in a letters-only top-level label; dots may be full-width
or spoken (点): zhang.san@example.com, 13812345678@qq.com, zhangsan 艾特 qq 点 com.

Validation: the shape only (no DNS: the service is offline).

False-positive guard: an at sign needs a user name before it and a dotted domain after it, so
"@客服" mentions, "@2x" and a lone "艾特一下" stay readable. Known miss: a user name spelt out
letter by letter in Chinese (张三拼音…).
"""

from __future__ import annotations

import re

from inspection.redaction.detectors import Detection

_AT = r"\s*(?:@|＠|艾特)\s*"
_DOT = r"\s*(?:\.|．|点)\s*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}"
    + _AT + _LABEL + f"(?:{_DOT}{_LABEL})*" + _DOT + r"[A-Za-z]{2,12}(?![A-Za-z0-9-])"
)
AT_SIGNS = ("@", "＠", "艾特")


def find_emails(text: str) -> list[Detection]:
    """Every e-mail address in `text`, in order."""
    if not any(sign in text for sign in AT_SIGNS):
        return []
    return [Detection("email", match.start(), match.end(), "pattern") for match in EMAIL.finditer(text)]
