"""Cue words: what the speaker said a number is, just before saying it.

`cue_before(text, start)` names the nearest cue ending at most `MAX_LINK_LENGTH` characters
before `start`, with nothing between but linking words and punctuation ("卡号是", "手机号码：",
"身份证号呢，"): no digit, no sentence end, no bracket (so the "手机" inside a "[手机号]"
placeholder is never a cue, and masking twice finds nothing new).

Two uses: after a personal cue (卡号, 身份证, 手机 …) a long digit run is masked even when no
checksum holds — ASR mishears digits; after a reference cue (订单号, 流水号, 工号 …) a Luhn-valid
run is not taken for a bank card.
"""

from __future__ import annotations

import re
from typing import Literal

from inspection.redaction.digits import DIGITS

CueKind = Literal["bank_card", "id_number", "phone", "reference"]

CUES: dict[CueKind, tuple[str, ...]] = {
    "bank_card": ("卡号", "账号", "帐号", "账户", "帐户", "银行卡", "信用卡", "储蓄卡", "借记卡"),
    "id_number": ("身份证", "证件号"),
    "phone": ("手机", "电话", "tel", "wx", "微信"),
    "reference": (
        "订单号", "订单", "单号", "流水号", "交易号", "工单号", "编号", "合同号", "保单号", "批次号",
        "快递单", "运单", "工号", "验证码", "客户号", "会员号",
    ),
}
MAX_LINK_LENGTH = 6
_KIND_OF_CUE = {cue: kind for kind, cues in CUES.items() for cue in cues}
_CUE = re.compile("|".join(sorted(map(re.escape, _KIND_OF_CUE), key=len, reverse=True)), re.IGNORECASE)
# Between a cue and its number: no digit, no sentence end, no bracket.
_LINK = re.compile("[^" + re.escape("".join(DIGITS)) + r"。！？!?；;\n\[\]]*")
_WINDOW = max(map(len, _KIND_OF_CUE)) + MAX_LINK_LENGTH


def cue_before(text: str, start: int) -> CueKind | None:
    """The kind of the nearest cue said right before text[start:], or None."""
    window = text[max(0, start - _WINDOW):start]
    matches = list(_CUE.finditer(window))
    last = matches[-1] if matches else None  # the nearest cue
    if last is None or len(window) - last.end() > MAX_LINK_LENGTH:
        return None
    if _LINK.fullmatch(window, last.end()) is None:
        return None
    return _KIND_OF_CUE[last.group().lower()]
