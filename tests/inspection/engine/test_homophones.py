"""Homophones both ways on ASR-style text (issue 16, class 4): a sound-alike reading is wrong
when the heard characters already form known words that account for the sound, right when they
do not. The table is the measurement: each row is what a reader of the transcript decides.

Measured on this table (36 rows: 22 where the phrase was said, 14 where it was not): 33 decided
as a reader would (21 of 22 sound-alikes found, 12 of 14 look-alikes rejected); the three known
misses are marked xfail (strict) and documented in `inspection.engine.homophones`.
"""

from __future__ import annotations

import pytest

from inspection.engine.homophones import is_explained, word_frequency
from tests.inspection.engine.phrase_helpers import found

MISSES = pytest.mark.xfail(strict=True, reason="measured limit, see inspection.engine.homophones")

# (heard text, phrase, the phrase was said)
SAID = [
    ("全程路音", "录音"), ("本次通话将会路音", "录音"), ("本次通话将全程陆音", "录音"),
    ("本次通话可能会被路音", "录音"), ("这个产品是宝本的", "保本"), ("这个产品是宝本保西的", "保本保息"),
    ("我给您新手机号发一个演证码", "验证码"), ("他吗的系统又卡了", "他妈的"), ("请您烧等", "稍等"),
    ("我要去银保监会头诉你们", "投诉"), ("已经余期四十多天了", "逾期"), ("能不能先给我冻洁啊", "冻结"),
    ("先跟您盒实一下身份", "核实"), ("康顺电器收后服务", "售后"), ("公号二幺七", "工号"),
    ("感谢您的来店", "来电"), ("感谢您的来电在见", "再见"), ("理财飞存款投资须谨慎", "理财非存款"),
    ("这个产品不保笨", "不保本"), ("本金加利西一共六千二", "利息"), ("放心稳赚不陪", "稳赚不赔"),
]
NOT_SAID = [
    ("您登记的手机号码的后四位是多少", "妈的"), ("身份证号码的后四位", "妈的"),
    ("验证码的有效期是五分钟", "妈的"), ("扫一下条码的位置", "妈的"), ("二维码的下面有一行小字", "妈的"),
    ("动态码的话五分钟之内有效", "妈的"), ("您可以去四楼的柜台办理", "去死"), ("请您闭最后一个窗口", "闭嘴"),
    ("过去四年都是这个价", "去死"), ("这条路音乐声太大了", "录音"), ("请报本期的账单金额", "保本"),
    ("我们全程路音乐相伴", "录音"),
]


@pytest.mark.parametrize(("text", "phrase"), [
    *SAID, pytest.param("你沙比吧", "傻逼", marks=MISSES, id="rare-dictionary-word"),
])
def test_sound_alike_read_as_the_phrase(text: str, phrase: str) -> None:
    assert found([phrase], text, negation=False) != []


@pytest.mark.parametrize(("text", "phrase"), [
    *NOT_SAID,
    pytest.param("在页面上输入那个码的时候", "妈的", marks=MISSES, id="lone-character-word"),
    pytest.param("我在见客户", "再见", marks=MISSES, id="two-lone-characters"),
])
def test_known_words_explain_the_sound(text: str, phrase: str) -> None:
    assert found([phrase], text, negation=False) == []


def test_no_pinyin_on_chat() -> None:
    assert found(["录音"], "全程路音", voice=False) == []


@pytest.mark.parametrize(("text", "phrase", "explained"), [
    pytest.param("号码的", "号妈的", True, id="substituted-char-in-a-word"),
    pytest.param("全程陆音", "全程录音", False, id="rare-word-loses-to-the-phrase"),
    pytest.param("码的", "妈的", False, id="lone-character"),
])
def test_is_explained(text: str, phrase: str, explained: bool) -> None:
    assert is_explained(text, 0, len(phrase), phrase) is explained


def test_word_frequency_reads_jieba_and_the_user_dictionary() -> None:
    assert word_frequency("号码") > 100
    assert word_frequency("全程录音") > 0  # the user dictionary only
    assert word_frequency("路音") == 0
