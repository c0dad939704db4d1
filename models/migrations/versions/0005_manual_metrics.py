"""manually entered metric values per agent and period (knowledge tests …)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 21:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

AutoString = sqlmodel.sql.sqltypes.AutoString
UTCDateTime = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        'manualmetric',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agent_id', AutoString(length=100), nullable=False),
        sa.Column('period', AutoString(length=20), nullable=False),
        sa.Column('metric', AutoString(length=100), nullable=False),
        sa.Column('value', sa.Float(), nullable=False),
        sa.Column('comment', AutoString(), nullable=False),
        sa.Column('entered_by', AutoString(length=200), nullable=False),
        sa.Column('entered_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('agent_id', 'period', 'metric'),
    )
    with op.batch_alter_table('manualmetric', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_manualmetric_agent_id'), ['agent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_manualmetric_period'), ['period'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('manualmetric', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_manualmetric_period'))
        batch_op.drop_index(batch_op.f('ix_manualmetric_agent_id'))
    op.drop_table('manualmetric')
