"""`keyword`: modes, negation, pinyin homophones, questions and quotation, role and Latin words."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.inspection.engine.engine_builders import Turn, evidence_texts, load_rule, run

A, C = "agent", "customer"
GUARANTEE = "type: keyword\nkeywords: [保本, 保本保息, 稳赚不赔, 保证收益]\n"


def case(case_id: str, condition: str, turns: list[Turn], expected: list[str] | None,
         channel: str = "chat") -> object:
    """`expected`: evidence texts of the findings; None: fires without a location."""
    return pytest.param(condition, turns, expected, channel, id=case_id)


MODES = [
    case("any-hit", "type: keyword\nkeywords: [保本, 稳赚]", [(A, "这个产品保本")], ["保本"]),
    case("any-miss", "type: keyword\nkeywords: [保本, 稳赚]", [(A, "这个产品收益稳定")], []),
    case("any-each-utterance", "type: keyword\nkeywords: [保本]",
         [(A, "保本的"), (C, "真的吗"), (A, "对，保本")], ["保本", "保本"]),
    case("all-across-utterances", "type: keyword\nmode: all\nkeywords: [身份证, 手机号]",
         [(A, "请提供身份证"), (A, "还有预留手机号")], ["身份证", "手机号"]),
    case("all-missing-one", "type: keyword\nmode: all\nkeywords: [身份证, 手机号]",
         [(A, "请提供身份证")], []),
    case("all-nested-phrases", "type: keyword\nmode: all\nkeywords: [保本, 保本保息]",
         [(A, "这款是保本保息的")], ["保本保息"]),
    case("at-least-reached", "type: keyword\nmode: at_least\nmin_count: 2\nkeywords: [稍等, 抱歉]",
         [(A, "抱歉，请您稍等")], ["抱歉"]),
    case("at-least-counts-repeats", "type: keyword\nmode: at_least\nmin_count: 2\n"
         "keywords: [稍等]", [(A, "稍等"), (A, "再稍等一下")], ["稍等", "稍等"]),
    case("at-least-short", "type: keyword\nmode: at_least\nmin_count: 2\nkeywords: [稍等, 抱歉]",
         [(A, "请您稍等")], []),
    case("none-fires-without-location", "type: keyword\nmode: none\nkeywords: [谢谢, 再见]",
         [(A, "好的")], None),
    case("none-said", "type: keyword\nmode: none\nkeywords: [谢谢, 再见]", [(A, "好的，再见")], []),
    case("none-customer-said-it", "type: keyword\nmode: none\nkeywords: [谢谢]",
         [(C, "谢谢"), (A, "好的")], None),
]

NEGATION = [
    case("plain-promise", GUARANTEE, [(A, "这款理财产品是保本保息的")], ["保本保息"]),
    case("feichang-is-not-negation", GUARANTEE, [(A, "这个产品非常保本")], ["保本"]),
    case("bu-negates", GUARANTEE, [(A, "不保本")], []),
    case("bu-negates-in-sentence", GUARANTEE, [(A, "这个产品不保本，投资有风险")], []),
    case("bing-bu-cheng-nuo", GUARANTEE, [(A, "理财产品并不承诺保本")], []),
    case("bu-cun-zai", GUARANTEE, [(A, "已经不存在稳赚不赔的产品了")], []),
    case("post-negation", GUARANTEE, [(A, "保本是不可能的")], []),
    case("bu-yi-ding", GUARANTEE, [(A, "这个产品不一定保本")], []),
    case("wei-bi", GUARANTEE, [(A, "这种产品未必保本")], []),
    case("bu-neng-bao-zheng", GUARANTEE, [(A, "我们不能保证收益")], []),
    case("negation-other-clause", GUARANTEE, [(A, "您不用犹豫，这个保本")], ["保本"]),
    case("dont-worry-is-not-negation", GUARANTEE, [(A, "您不要担心保本的")], ["保本"]),
    case("bie-dan-xin", GUARANTEE, [(A, "别担心保本的")], ["保本"]),
    case("short-cue-too-far", GUARANTEE, [(A, "没想到这么保本")], ["保本"]),
    case("negation-off", GUARANTEE + "negation: false", [(A, "不保本")], ["保本"]),
    case("negation-window", GUARANTEE + "negation_window: 2", [(A, "并非我们这款产品保本")],
         ["保本"]),
]

PINYIN = [
    case("homophone-on-voice", GUARANTEE, [(A, "这个产品是宝本的")], ["宝本"], "voice"),
    case("homophone-not-on-chat", GUARANTEE, [(A, "这个产品是宝本的")], [], "chat"),
    case("homophone-off", GUARANTEE + "pinyin: false", [(A, "这个是宝本的")], [], "voice"),
    case("homophone-forced-on-chat", GUARANTEE + "pinyin: true", [(A, "这个是宝本的")],
         ["宝本"], "chat"),
    case("homophone-negated", GUARANTEE, [(A, "这个产品不宝本")], [], "voice"),
    case("homophone-longer-phrase", GUARANTEE, [(A, "放心，稳赚不陪")], ["稳赚不陪"], "voice"),
    case("exact-on-voice", GUARANTEE, [(A, "是保本的")], ["保本"], "voice"),
    case("homophone-inside-a-word", "type: keyword\nkeywords: [去死, 闭嘴]",
         [(A, "您可以去四楼的柜台办理")], [], "voice"),
    case("homophone-across-words", "type: keyword\nkeywords: [去死, 闭嘴]",
         [(A, "请您闭最后一个窗口")], [], "voice"),
    case("single-char-no-pinyin", "type: keyword\nkeywords: [滚]\npinyin: true",
         [(A, "拿根木棍")], [], "voice"),
]

QUESTIONS = [
    case("question-ignored", GUARANTEE + "ignore_questions: true", [(A, "您是问保本吗？")], []),
    case("quoted-ignored", GUARANTEE + "ignore_questions: true", [(A, "您说的保本是指存款")], []),
    case("suowei-ignored", GUARANTEE + "ignore_questions: true",
         [(A, "所谓保本理财早就没有了")], []),
    case("assertion-kept", GUARANTEE + "ignore_questions: true", [(A, "放心，这个是保本的")],
         ["保本"]),
    case("question-then-assertion", GUARANTEE + "ignore_questions: true",
         [(A, "您问保本吗？保本的，放心")], ["保本"]),
    case("questions-count-by-default", GUARANTEE, [(A, "保本吗？")], ["保本"]),
]

TEXT = [
    case("customer-words-do-not-count", GUARANTEE, [(C, "这个保本吗"), (A, "请稍等")], []),
    case("traditional-chinese", GUARANTEE, [(A, "這個產品保本")], ["保本"]),
    case("full-width-latin", "type: keyword\nkeywords: [sb]", [(A, "你个ＳＢ")], ["sb"]),
    case("latin-inside-word", "type: keyword\nkeywords: [sb]", [(A, "请用usb线连接")], []),
    case("latin-before-digit", "type: keyword\nkeywords: [cvv]", [(A, "cvv2是多少")], []),
    case("latin-beside-chinese", "type: keyword\nkeywords: [qq]", [(A, "加我qq聊")], ["qq"]),
    case("spaces-between-chinese", GUARANTEE, [(A, "这个 产品 保 本")], ["保本"]),
    case("window-first-utterance", "type: keyword\nkeywords: [您好]\n"
         "window: {first_utterances: 1}", [(A, "喂"), (A, "您好")], []),
]


@pytest.mark.parametrize(("condition", "turns", "expected", "channel"),
                         MODES + NEGATION + PINYIN + QUESTIONS + TEXT)
def test_keyword(tmp_path: Path, condition: str, turns: list[Turn], expected: list[str] | None,
                 channel: str) -> None:
    findings = run(load_rule(tmp_path, condition), turns, channel=channel)
    if expected is None:
        assert len(findings) == 1 and findings[0].evidence is None
    else:
        assert evidence_texts(findings) == expected


def test_role_any_counts_customer_words(tmp_path: Path) -> None:
    rule = load_rule(tmp_path, "type: keyword\nkeywords: [投诉]", role="any")
    findings = run(rule, [(A, "您好"), (C, "我要投诉")])
    assert [(f.evidence.role, f.evidence.utterance_index) for f in findings if f.evidence] == [
        ("customer", 1)]


def test_condition_role_overrides_rule_role(tmp_path: Path) -> None:
    rule = load_rule(tmp_path, "type: any\nconditions: [{type: keyword, keywords: [投诉], "
                               "role: customer}]")
    assert evidence_texts(run(rule, [(A, "投诉电话是多少"), (C, "我要投诉")])) == ["投诉"]


def test_word_lists_expand(tmp_path: Path) -> None:
    rule = load_rule(tmp_path, 'type: keyword\nkeywords: ["@promise", 刚兑]',
                     lists="promise: [保本, 稳赚]")
    assert evidence_texts(run(rule, [(A, "稳赚的"), (A, "刚兑")])) == ["稳赚", "刚兑"]


def test_pinyin_hit_explains_itself(tmp_path: Path) -> None:
    findings = run(load_rule(tmp_path, GUARANTEE), [(A, "是宝本的")], channel="voice")
    assert "拼音" in findings[0].explanation and "保本" in findings[0].explanation
