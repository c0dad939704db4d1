"""A fast dictionary-based `SentimentAnalyzer`: fallback when no model loads, and unit tests.

Each text scores the sum of the weights of the cue phrases it contains (longest match first,
a phrase is not counted again inside a longer one); a negator just before a positive cue
("不满意", "没解决") flips it. The score maps through a logistic curve to P(positive).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from inspection.types import SentimentLabel, SentimentResult

NEGATIVE_CUES: Mapping[str, float] = {
    "投诉": 2.0,
    "举报": 2.0,
    "12378": 2.0,
    "315": 1.5,
    "曝光": 1.5,
    "媒体": 1.0,
    "监管": 1.0,
    "骗": 2.0,
    "坑人": 2.0,
    "垃圾": 2.0,
    "破": 1.0,
    "差": 1.5,
    "太慢": 1.5,
    "不满": 2.0,
    "生气": 2.0,
    "气死": 2.5,
    "受够": 2.5,
    "过分": 2.0,
    "失望": 2.0,
    "烦": 1.5,
    "凭什么": 2.0,
    "什么态度": 2.5,
    "态度差": 2.5,
    "敷衍": 2.0,
    "推卸": 2.0,
    "不负责": 2.0,
    "乱扣": 2.0,
    "没人": 1.0,
    "没用": 1.5,
    "报警": 2.0,
    "告你们": 2.0,
    "霸王": 2.0,
    "有病": 2.5,
    "着急": 1.5,
    "急死": 2.5,
    "担心": 1.5,
    "害怕": 1.5,
    "慌": 1.5,
    "怎么办": 1.5,
    "被盗": 2.0,
    "盗刷": 2.0,
    "冻结": 1.0,
    "不踏实": 1.5,
    "等不起": 2.0,
    "糟糕": 2.0,
    "难吃": 2.0,
    "退货": 0.5,
    "不好": 1.5,
    "太差": 2.5,
    "恶心": 2.5,
    "后悔": 2.0,
    "浪费": 1.5,
    "你自己去": 1.5,
    "不归我管": 2.0,
    "说了多少遍": 2.0,
    "我不是说了": 2.0,
    "后果自负": 2.5,
    "terrible": 2.0,
    "complaint": 2.0,
    "angry": 2.0,
    "worst": 2.0,
    "bad": 1.0,
}
POSITIVE_CUES: Mapping[str, float] = {
    "谢谢": 2.0,
    "感谢": 2.0,
    "多谢": 2.0,
    "满意": 2.0,
    "解决了": 2.0,
    "很好": 2.0,
    "不错": 1.5,
    "挺好": 1.5,
    "太好了": 2.5,
    "好评": 2.0,
    "点赞": 2.0,
    "专业": 1.0,
    "耐心": 1.0,
    "周到": 1.5,
    "放心": 1.0,
    "辛苦": 1.0,
    "满分": 2.0,
    "推荐": 1.0,
    "方便": 1.0,
    "顺利": 1.5,
    "喜欢": 1.5,
    "高兴": 1.5,
    "愉快": 1.5,
    "值得": 1.5,
    "划算": 1.5,
    "好吃": 2.0,
    "干净": 1.0,
    "快": 0.5,
    "不好意思": 0.0,
    "不客气": 1.0,
    "没问题": 1.0,
    "thank": 2.0,
    "great": 2.0,
    "good": 1.0,
    "excellent": 2.0,
}
NEGATORS = ("不", "没", "没有", "别", "未", "无")
NEGATION_WINDOW = 2
NEUTRAL_BAND = (0.35, 0.65)


def _cue_pattern(cues: Sequence[str]) -> re.Pattern[str]:
    ordered = sorted(cues, key=len, reverse=True)
    return re.compile("|".join(re.escape(cue) for cue in ordered), re.IGNORECASE)


@dataclass(frozen=True)
class LexiconSentiment:
    """Cue-phrase sentiment; `scale` sets how quickly the score saturates."""

    negative: Mapping[str, float] = field(default_factory=lambda: dict(NEGATIVE_CUES))
    positive: Mapping[str, float] = field(default_factory=lambda: dict(POSITIVE_CUES))
    scale: float = 1.0
    _weights: dict[str, float] = field(init=False, repr=False, compare=False)
    _pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        weights = {**{k.lower(): -v for k, v in self.negative.items()}}
        weights.update({k.lower(): v for k, v in self.positive.items()})
        object.__setattr__(self, "_weights", weights)
        object.__setattr__(self, "_pattern", _cue_pattern(list(weights)))

    def predict(self, texts: Sequence[str]) -> list[SentimentResult]:
        return [self._one(text) for text in texts]

    def polarity(self, text: str) -> float:
        """Signed sum of cue weights (negative < 0 < positive)."""
        total = 0.0
        for match in self._pattern.finditer(text or ""):
            weight = self._weights[match.group(0).lower()]
            before = text[max(0, match.start() - NEGATION_WINDOW) : match.start()]
            if weight > 0 and any(before.endswith(negator) for negator in NEGATORS):
                weight = -weight
            total += weight
        return total

    def _one(self, text: str) -> SentimentResult:
        score = 1.0 / (1.0 + math.exp(-self.scale * self.polarity(text)))
        label: SentimentLabel = "neutral"
        if score <= NEUTRAL_BAND[0]:
            label = "negative"
        elif score >= NEUTRAL_BAND[1]:
            label = "positive"
        return SentimentResult(label=label, score=round(score, 4))
