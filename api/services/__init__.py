"""What the HTTP routes and the web pages share, so that neither imports the other:

    access.py         Principal: who is calling and what they may see
    users.py          users and their tokens (hashed)
    uploads.py        request bodies: size limits, decoding, JSON, an audio upload's fields
    conversations.py  receiving a conversation: validate, redact, store once (idempotent by id)
    reviews.py        review and appeal decisions: re-score, audit
    coaching.py       the coaching report of a period, scorecards, what the pages count
    tickets.py        ticket CSV import
    rules.py          the loaded rules, validating a pack, precision and agreement per rule
    rule_versions.py  rule-pack versions: upload (validated), dry run, publish, roll back
    agreement.py      precision, estimated recall, Cohen's κ with 95 % intervals; the alert
    misses.py         missed findings (漏检) and review samples (抽检)

Services take a session (or the runtime) and plain values, return rows or plain data, and raise
domain errors (`models.errors`, `inspection.errors`); `api/http/errors.py` turns those into
HTTP statuses.
"""
