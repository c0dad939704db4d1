"""Negation scoped to the clause (issue 16, class 1): cues, their reach, short answers."""

from __future__ import annotations

import pytest

from inspection.engine.negation import is_negated
from tests.inspection.engine.phrase_helpers import found, utterance

GUARANTEE = ["保本", "保本保息", "稳赚不赔", "打包票", "保收益", "亏不了", "兜着底", "稳赚"]


@pytest.mark.parametrize(("text", "expected"), [
    # Cues anywhere earlier in the clause, not only the next word.
    pytest.param("这类产品哪有保本的，谁也不敢打包票", [], id="na-you-and-shei-ye-bu"),
    pytest.param("市面上没有一款理财敢承诺保本保息", [], id="mei-you-far-back"),
    pytest.param("别说保本了，连收益都不确定", [], id="bie-shuo-le"),
    pytest.param("任何产品都不能说稳赚", [], id="ren-he-dou-bu"),
    pytest.param("我们从来不承诺保本", [], id="cong-lai-bu"),
    pytest.param("理财产品并不保本", [], id="bing-bu"),
    pytest.param("现在已经不存在保本理财了", [], id="bu-cun-zai"),
    # A denial after the phrase: right after, or a universal negation in the clause.
    pytest.param("保本是不可能的", [], id="post-bu-ke-neng"),
    pytest.param("保本这事儿现在哪个银行也不会跟您打保票了", [], id="post-universal"),
    # The clause ends at punctuation, a connective or a sentence-final particle.
    pytest.param("您不用犹豫，这个保本", ["保本"], id="comma-ends-scope"),
    pytest.param("以前没有这种产品但是现在这款是保本的", ["保本"], id="connective-ends-scope"),
    pytest.param("不会吧这个保本的您放心", ["保本"], id="particle-ends-scope"),
    # A short answer closes the cue's scope: the promise after it is new and un-negated.
    pytest.param("不会亏的这个产品保本的您放心", ["保本"], id="short-answer"),
    pytest.param("不会不会亏不了的本金这块有我们行兜着底呢", ["亏不了", "兜着底"],
                 id="doubled-answer"),
    pytest.param("从来没有亏过的保本产品", ["保本"], id="answer-with-de"),
    # Words that only look negative.
    pytest.param("这个产品非常保本", ["保本"], id="fei-chang"),
    pytest.param("您不用担心保本的", ["保本"], id="bu-yong-dan-xin"),
    pytest.param("到手四个点跑不了稳赚的", ["稳赚"], id="bu-liao-complement"),
])
def test_clause_negation(text: str, expected: list[str]) -> None:
    assert found(GUARANTEE, text) == expected


@pytest.mark.parametrize(("text", "window", "negated"), [
    pytest.param("并非我们这款产品保本", 12, True, id="within-window"),
    pytest.param("并非我们这款产品保本", 2, False, id="beyond-window"),
    pytest.param("不保本", 1, True, id="short-cue-adjacent"),
    pytest.param("没想到这么保本", 12, False, id="short-cue-too-far"),
])
def test_window(text: str, window: int, negated: bool) -> None:
    prepared = utterance(text)
    start = text.index("保本")
    clause = prepared.clause_span(start)
    assert is_negated(prepared.text, clause, start, start + 2, window) is negated


@pytest.mark.parametrize(("text", "starts"), [
    pytest.param("您好，请问有什么可以帮您", (0, 3), id="punctuation"),
    pytest.param("保本吗您放心保本的", (0, 3), id="question-particle"),
    pytest.param("收益不错但是不保本", (0, 4), id="connective"),
    pytest.param("好的", (0,), id="one-clause"),
])
def test_clause_starts(text: str, starts: tuple[int, ...]) -> None:
    assert utterance(text).clause_starts == starts


def test_clause_span_excludes_closing_punctuation() -> None:
    assert utterance("您好，请问").clause_span(1) == (0, 2)
