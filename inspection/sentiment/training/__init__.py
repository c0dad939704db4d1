"""Retraining the embedded sentiment model: ``python -m inspection.sentiment.training.train``.

Training time only: nothing that runs a conversation through zhijian imports this package (a
test holds the runtime modules of `inspection.sentiment` to that), and its extra dependencies
(scikit-learn for the distillation teacher: the ``train`` extra) are needed only here.

- `dataset`: the labelled texts (review corpora + ``data/callcentre_utterances.csv``) and their
  stable split; `evaluation`: the accuracy measures shared with ``bench/sentiment.py``;
- `vocab`: the tokenizers a run learns; `batching`: mini-batches and padding; `loss`: the
  hard-label and distillation losses; `teacher`: the n-gram distillation teacher; `pretrain`:
  optional masked-LM pre-training;
- `config`: every knob of a run; `fit`: the supervised epochs; `train`: the command (train,
  save, reload, score); `saving` and `card`: what is written beside the weights.
"""
