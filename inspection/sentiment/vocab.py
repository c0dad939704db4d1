"""The character vocabulary and tokenizer of the embedded model (training time only).

Chinese characters and punctuation are one token each (BERT's basic tokenizer splits them);
runs of Latin letters and digits are split into single characters by WordPiece (``a ##b …``),
so English words and numbers never become one opaque ``[UNK]``.
"""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Iterable
from typing import Any

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
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


def build_tokenizer(vocab: list[str], max_length: int) -> Any:
    """A Hugging Face BERT tokenizer over `vocab` (imports transformers lazily)."""
    from transformers import BertTokenizer

    return BertTokenizer(
        vocab={token: index for index, token in enumerate(vocab)},
        do_lower_case=True,
        tokenize_chinese_chars=True,
        model_max_length=max_length,
    )
