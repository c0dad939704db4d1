"""The text stage's speed-ups change nothing: the compiled tokenizer segments exactly as
jieba does, and the traditional→simplified fast path returns what the converter returns."""

from __future__ import annotations

import logging
import random
from importlib import resources

import jieba
import pytest

from inspection.text import _opencc, normalise, to_simplified, tokenize

SENTENCES = (
    "您好，这里是XX银行信用卡中心，工号8027，请问有什么可以帮您？",
    "这款理财产品年化收益百分之四点五，起购一万，理财非存款，投资有风险",
    "我上个月已经还了三千二百四十五元了你们怎么还在催",
    "请您把手机收到的验证码报一下我这边帮您操作",
    "张小凡经理说下周一给我回电话结果到现在都没有消息",
    "亲您的羽绒服已经打包预计明天发货哦有问题随时联系客服小美",
    "沈默是金，沈先生请稍等，這個產品保本嗎？乾隆年間的乾燥天氣",
)


def corpus(dictionary: dict[str, int], count: int = 1000) -> list[str]:
    """Realistic sentences plus random runs of dictionary words and characters (OOV for HMM)."""
    rng = random.Random(5)
    words = [w for w, f in dictionary.items() if f][::97]
    chars = "的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会"
    texts = list(SENTENCES)
    for _ in range(count):
        parts = [rng.choice(words) if rng.random() < 0.6 else "".join(rng.sample(chars, 3))
                 for _ in range(rng.randint(1, 6))]
        texts.append(rng.choice(("", "，", "2024年")).join(parts))
    return [normalise(text) for text in texts]


def with_domain_dictionary(tokenizer: jieba.Tokenizer) -> jieba.Tokenizer:
    with resources.as_file(resources.files("inspection") / "data" / "user_dict.txt") as path:
        tokenizer.load_userdict(str(path))
    return tokenizer


@pytest.fixture(scope="module")
def reference() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    return with_domain_dictionary(jieba.Tokenizer())


@pytest.fixture(scope="module")
def texts(reference: jieba.Tokenizer) -> list[str]:
    return corpus(reference.FREQ)


def test_compiled_tokenizer_segments_exactly_like_jieba(reference: jieba.Tokenizer,
                                                         texts: list[str]) -> None:
    assert [list(tokenize(t)) for t in texts] == [list(reference.tokenize(t)) for t in texts]


@pytest.mark.parametrize("text", [*SENTENCES, "沈默", "沈船", "有序", "乾坤", "台灣", "发财"])
def test_simplified_fast_path_matches_converter(text: str) -> None:
    assert to_simplified(text) == _opencc().convert(text)


def test_simplified_fast_path_on_a_corpus(texts: list[str]) -> None:
    from opencc import OpenCC

    to_traditional = OpenCC("s2t")
    traditional = [to_traditional.convert(t) for t in texts[:200]]
    for text in [*texts, *traditional]:
        assert to_simplified(text) == _opencc().convert(text)
