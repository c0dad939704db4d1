"""The vocabulary and tokenizer of the embedded model (training time only).

``char`` (`build_char_tokenizer`): Chinese characters and punctuation are one
token each (BERT's basic tokenizer splits them); runs of Latin letters and digits are split into
single characters by WordPiece (``a ##b …``), so English words and numbers never become one
opaque ``[UNK]``.

``unigram`` (`build_unigram_tokenizer`): a unigram-LM subword vocabulary learnt from the training
texts (pieces of up to `UNIGRAM_MAX_PIECE` characters: 服务态度, 很干净, 不错 …), so one token
can carry a word's sentiment the way an n-gram feature does; text is NFKC-normalised and
lower-cased, split at whitespace, punctuation and each digit first. Saved as a plain
``tokenizer.json`` that ``AutoTokenizer`` loads without any zhijian code.
"""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
from transformers import BertTokenizer, PreTrainedTokenizerFast

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
UNIGRAM_MAX_PIECE = 4
ASCII_PIECES = tuple(string.ascii_lowercase + string.digits)


def build_char_vocab(texts: Iterable[str], size: int) -> list[str]:
    """Special tokens, Latin letters and digits (both word-initial and ``##`` pieces), then the
    most frequent other characters until the vocabulary has `size` entries."""
    head = [*SPECIAL_TOKENS, *ASCII_PIECES, *(f"##{piece}" for piece in ASCII_PIECES)]
    counts = Counter(char.lower() for text in texts for char in text if not char.isspace())
    vocab = list(head)
    seen = set(head)
    for char, _ in counts.most_common():
        if len(vocab) >= size:
            break
        if char not in seen:
            vocab.append(char)
            seen.add(char)
    return vocab


def build_char_tokenizer(texts: Iterable[str], size: int, max_length: int) -> Any:
    """One token per character: the `size` most frequent ones of `texts` (`build_char_vocab`)."""
    return build_tokenizer(build_char_vocab(texts, size), max_length)


def build_tokenizer(vocab: list[str], max_length: int) -> Any:
    """A Hugging Face BERT tokenizer over `vocab`."""
    return BertTokenizer(
        vocab={token: index for index, token in enumerate(vocab)},
        do_lower_case=True,
        tokenize_chinese_chars=True,
        model_max_length=max_length,
    )


def build_unigram_tokenizer(texts: Iterable[str], size: int, max_length: int) -> Any:
    """A unigram-LM subword tokenizer of `size` pieces learnt from `texts`, wrapped for transformers."""
    tokenizer = Tokenizer(models.Unigram())
    tokenizer.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.WhitespaceSplit(),
            pre_tokenizers.Punctuation(),
            pre_tokenizers.Digits(individual_digits=True),
        ]
    )
    trainer = trainers.UnigramTrainer(
        vocab_size=size,
        special_tokens=list(SPECIAL_TOKENS),
        unk_token="[UNK]",
        max_piece_length=UNIGRAM_MAX_PIECE,
    )
    tokenizer.train_from_iterator(texts, trainer)
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        special_tokens=[(token, tokenizer.token_to_id(token)) for token in ("[CLS]", "[SEP]")],
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        model_max_length=max_length,
    )


#: ``--tokenizer`` name → builder(texts, vocabulary size, max length).
TOKENIZERS: dict[str, Callable[[Iterable[str], int, int], Any]] = {
    "char": build_char_tokenizer,
    "unigram": build_unigram_tokenizer,
}
