"""no raw identifiers at rest: redact stored metadata, comments and appeal reasons; re-key
idempotency on the redacted body; drop utterance.original_text

What rows written before this revision held, brought to what the service now stores:

- `conversation.metadata` and the `metadata` inside `conversation.source`: redacted with the
  same redactor (`redact_value`, by what a value holds), and `body_hash` recomputed as the
  SHA-256 of the redacted `source` — the digest of the raw body, from which a masked number
  could be recovered by hashing guesses, is gone. A recording's row has no stored body to hash:
  its old digest is replaced by a random value, so re-uploading the same recording under the
  same id after this migration is a 409 (upload it under a new id).
- `review.comment`, `appeal.reason`, `appeal.decision_comment`: redacted (`redact_text`).
- `utterance.original_text`: dropped (only ever written with already-redacted text).

Audit entries are not rewritten: they are hash-chained and checkpointed, so a rewrite would be
indistinguishable from tampering. Entries written before this revision may hold details as they
were sent (docs/security.md, "What is redacted where").

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 10:00:00
"""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

from inspection.errors import InvalidInputError
from inspection.redaction import redact_text, redact_value

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

BATCH = 500
conversation = sa.table('conversation', sa.column('id', sa.String), sa.column('body_hash', sa.String),
                        sa.column('metadata', sa.JSON), sa.column('source', sa.JSON))
review = sa.table('review', sa.column('id', sa.Integer), sa.column('comment', sa.String))
appeal = sa.table('appeal', sa.column('id', sa.Integer), sa.column('reason', sa.String),
                  sa.column('decision_comment', sa.String))


def upgrade() -> None:
    bind = op.get_bind()
    _redact_conversations(bind)
    _redact_texts(bind, review, ('comment',))
    _redact_texts(bind, appeal, ('reason', 'decision_comment'))
    with op.batch_alter_table('utterance', schema=None) as batch_op:
        batch_op.drop_column('original_text')


def downgrade() -> None:
    with op.batch_alter_table('utterance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('original_text', sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=True))


def _redact_conversations(bind: sa.Connection) -> None:
    last = ''
    while True:
        rows = bind.execute(sa.select(conversation.c.id, conversation.c.metadata,
                                      conversation.c.source)
                            .where(conversation.c.id > last).order_by(conversation.c.id)
                            .limit(BATCH)).all()
        for row_id, metadata, source in rows:
            redacted = _redacted(metadata or {})
            values: dict[str, Any] = {'metadata': redacted}
            if source:
                values['source'] = {**source, 'metadata': _redacted(source.get('metadata') or {})}
                values['body_hash'] = _digest(values['source'])
            else:
                values['body_hash'] = secrets.token_hex(32)
            bind.execute(conversation.update().where(conversation.c.id == row_id).values(**values))
        if len(rows) < BATCH:
            return
        last = rows[-1][0]


def _redacted(metadata: Any) -> Any:
    try:
        return redact_value(metadata, source='metadata')[0]
    except InvalidInputError:  # nested too deeply to walk: keep nothing rather than raw values
        return {}


def _redact_texts(bind: sa.Connection, table: sa.TableClause, columns: tuple[str, ...]) -> None:
    for row in bind.execute(sa.select(table.c.id, *(table.c[name] for name in columns))).all():
        values = {name: redact_text(text)[0] for name, text in zip(columns, row[1:], strict=True)
                  if text}
        if values:
            bind.execute(table.update().where(table.c.id == row[0]).values(**values))


def _digest(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(',', ':'))
    return hashlib.sha256(canonical.encode('utf-8')).hexdigest()
