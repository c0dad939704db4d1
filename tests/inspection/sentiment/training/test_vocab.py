"""The embedded model's tokenizers: what a run learns and what ``AutoTokenizer`` reloads."""

from __future__ import annotations

from transformers import AutoTokenizer

from inspection.sentiment.training.vocab import SPECIAL_TOKENS, UNIGRAM_MAX_PIECE, build_unigram_tokenizer

TEXTS = [
    "房间很干净，服务态度也不错",
    "服务态度很差，再也不来了",
    "外卖送得很快，味道不错",
    "等了两个小时，服务态度太差",
    "价格实惠，服务态度好，下次还来",
] * 40


def test_unigram_learns_multi_character_pieces_and_reloads(tmp_path) -> None:
    tokenizer = build_unigram_tokenizer(TEXTS, size=120, max_length=16)
    pieces = tokenizer.tokenize("服务态度不错")
    assert "".join(pieces) == "服务态度不错"
    assert any(len(piece) > 1 for piece in pieces)
    pieces_learnt = set(tokenizer.get_vocab()) - set(SPECIAL_TOKENS)
    assert max(len(piece) for piece in pieces_learnt) <= UNIGRAM_MAX_PIECE

    tokenizer.save_pretrained(tmp_path)
    reloaded = AutoTokenizer.from_pretrained(tmp_path, local_files_only=True)
    ids = reloaded("服务态度不错")["input_ids"]
    assert ids == tokenizer("服务态度不错")["input_ids"]
    assert ids[0] == reloaded.cls_token_id and ids[-1] == reloaded.sep_token_id


def test_unigram_normalises_and_truncates() -> None:
    tokenizer = build_unigram_tokenizer(TEXTS, size=120, max_length=16)
    # Full-width punctuation and upper case read as their plain forms.
    assert tokenizer("不错！OK")["input_ids"] == tokenizer("不错!ok")["input_ids"]
    assert tokenizer.unk_token_id in tokenizer("😀 ελληνικά")["input_ids"]
    long = tokenizer("服务态度不错" * 50, truncation=True, max_length=16)["input_ids"]
    assert len(long) == 16 and long[-1] == tokenizer.sep_token_id
