"""PII redaction: ID, bank card, mobile and landline numbers, e-mail addresses — written or spoken.

Masking format: the whole span — digits, separators, a "+86" prefix, an extension — becomes a
placeholder naming its kind: `[身份证号]`, `[银行卡号]`, `[手机号]`, `[座机号]`, `[邮箱]` (and,
with the opt-in NER model, `[姓名]`, `[地址]`). No digit is kept (not even the last four): the
placeholder tells a reviewer what was said, and a masked text can then never leak part of a
number nor be combined with another masked copy. Numbers are validated before they are masked
(ID check character and birth date, Luhn, the CN numbering plan) unless a cue word said what
they are (卡号 …), so amounts, dates, times, 工号, order numbers and hotlines stay readable.

    redact_text(text) -> (masked text, [Detection(kind, start, end, basis), ...])
    redact_value(value) -> (masked copy of a str / number / dict / list, [ValueDetection, ...])
    redact_conversation(conversation) -> (masked copy, [RedactedSpan(...), ...])

Detectors are listed, in priority order, in `DETECTORS` (one module per kind, its docstring
stating what it finds, its validation and its false-positive guard); reading digits is in
`digits`, cue words in `cues`, matching numbers in `numbers`, combining it all in `scan`, JSON-like
values in `values`, words and timestamps in `conversation`. Pure functions: no settings, no I/O;
the optional NER model (`LacEntityFinder`) is loaded by the caller and passed in.
"""

from inspection.redaction.conversation import RedactedSpan, redact_conversation
from inspection.redaction.detectors import DETECTORS, Detection, Detector, PiiKind
from inspection.redaction.entities import LacEntityFinder
from inspection.redaction.scan import EntityFinder, find_pii, redact_text
from inspection.redaction.values import MAX_DEPTH, ValueDetection, redact_value

__all__ = [
    "DETECTORS",
    "MAX_DEPTH",
    "Detection",
    "Detector",
    "EntityFinder",
    "LacEntityFinder",
    "PiiKind",
    "RedactedSpan",
    "ValueDetection",
    "find_pii",
    "redact_conversation",
    "redact_text",
    "redact_value",
]
