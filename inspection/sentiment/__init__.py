"""Sentiment per utterance and per conversation.

`load_sentiment_model()` serves the embedded small subword BERT (or any Hugging Face
sequence-classification directory) as a `SentimentAnalyzer`; `LexiconSentiment` is the fast
dictionary fallback; `conversation_sentiment()` summarises the customer's turns. Importing this
package does not import torch or transformers: the loader does, when called.

Modules: `classifier` (the transformers analyzer), `default` (the analyzer every entry point
uses), `lexicon`, `conversation`, `cli`; the weights are the package data in `model/`.
Retraining them lives in `inspection.sentiment.training`, which nothing here imports.
"""

from inspection.sentiment.classifier import DEFAULT_MODEL_DIR, load_sentiment_model
from inspection.sentiment.conversation import ConversationSentiment, conversation_sentiment
from inspection.sentiment.default import load_default_sentiment
from inspection.sentiment.lexicon import LexiconSentiment

__all__ = [
    "DEFAULT_MODEL_DIR",
    "ConversationSentiment",
    "LexiconSentiment",
    "conversation_sentiment",
    "load_default_sentiment",
    "load_sentiment_model",
]
