"""PII redaction: Chinese ID numbers, bank card numbers and mobile numbers, written or spoken.

Masking format: the whole number — digits, separators, a "+86" prefix — becomes a placeholder
naming its kind: `[身份证号]`, `[银行卡号]`, `[手机号]`. No digit is kept (not even the last
four): the placeholder tells a reviewer what was said, and a masked text can then never leak
part of a number nor be combined with another masked copy. Numbers are validated before they
are masked (ID check character and birth date, Luhn, mobile prefixes), so amounts, dates,
times, 工号 and near-misses stay readable.

    redact_text(text) -> (masked text, [Detection(kind, start, end), ...])
    redact_conversation(conversation) -> (masked copy, [RedactedSpan(...), ...])

Detectors are listed, in priority order, in `DETECTORS` (one module per kind); finding
candidates is in `scan`, reading Chinese numerals in `digits`, words and timestamps in
`conversation`. Pure functions: no settings, no I/O.
"""

from inspection.redaction.conversation import RedactedSpan, redact_conversation
from inspection.redaction.detectors import DETECTORS, Detector, PiiKind
from inspection.redaction.scan import Detection, find_pii, redact_text

__all__ = [
    "DETECTORS",
    "Detection",
    "Detector",
    "PiiKind",
    "RedactedSpan",
    "find_pii",
    "redact_conversation",
    "redact_text",
]
