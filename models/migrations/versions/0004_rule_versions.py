"""rule pack versions, publications, re-inspection runs, review samples, missed findings;
pending vetoes and the rule version on conversations and findings

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

AutoString = sqlmodel.sql.sqltypes.AutoString
UTCDateTime = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        'rulepackversion',
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('files', sa.JSON(), nullable=True),
        sa.Column('digest', AutoString(length=64), nullable=False),
        sa.Column('based_on', sa.Integer(), nullable=True),
        sa.Column('comment', AutoString(), nullable=False),
        sa.Column('created_by', AutoString(length=200), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('rules', sa.Integer(), nullable=False),
        sa.Column('failed_examples', sa.JSON(), nullable=True),
        sa.Column('dry_run', sa.JSON(), nullable=True),
        sa.Column('dry_run_at', UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('version'),
    )
    with op.batch_alter_table('rulepackversion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rulepackversion_digest'), ['digest'], unique=False)

    op.create_table(
        'rulepublication',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('previous_version', sa.Integer(), nullable=True),
        sa.Column('published_by', AutoString(length=200), nullable=False),
        sa.Column('published_at', UTCDateTime(), nullable=False),
        sa.Column('comment', AutoString(), nullable=False),
        sa.Column('summary', sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(['version'], ['rulepackversion.version'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('rulepublication', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rulepublication_version'), ['version'], unique=False)

    op.create_table(
        'reinspectionrun',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('since', UTCDateTime(), nullable=False),
        sa.Column('until', UTCDateTime(), nullable=False),
        sa.Column('requested_by', AutoString(length=200), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['version'], ['rulepackversion.version'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'reinspectionitem',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('conversation_id', AutoString(length=200), nullable=False),
        sa.Column('state', AutoString(length=20), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('error', AutoString(), nullable=True),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], ),
        sa.ForeignKeyConstraint(['run_id'], ['reinspectionrun.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('run_id', 'conversation_id'),
    )
    with op.batch_alter_table('reinspectionitem', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reinspectionitem_run_id'), ['run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reinspectionitem_state'), ['state'], unique=False)

    op.create_table(
        'reviewsample',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('conversation_id', AutoString(length=200), nullable=False),
        sa.Column('team_id', AutoString(length=100), nullable=True),
        sa.Column('share', sa.Float(), nullable=False),
        sa.Column('drawn_by', AutoString(length=200), nullable=False),
        sa.Column('drawn_at', UTCDateTime(), nullable=False),
        sa.Column('outcome', AutoString(length=20), nullable=False),
        sa.Column('reviewed_by', sa.Integer(), nullable=True),
        sa.Column('reviewed_at', UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], ),
        sa.ForeignKeyConstraint(['reviewed_by'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('conversation_id'),
    )
    with op.batch_alter_table('reviewsample', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviewsample_outcome'), ['outcome'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviewsample_team_id'), ['team_id'], unique=False)

    op.create_table(
        'missedfinding',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('conversation_id', AutoString(length=200), nullable=False),
        sa.Column('rule_id', AutoString(length=100), nullable=False),
        sa.Column('utterance_index', sa.Integer(), nullable=True),
        sa.Column('comment', AutoString(), nullable=False),
        sa.Column('reviewer_id', sa.Integer(), nullable=False),
        sa.Column('sample_id', sa.Integer(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], ),
        sa.ForeignKeyConstraint(['reviewer_id'], ['user.id'], ),
        sa.ForeignKeyConstraint(['sample_id'], ['reviewsample.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('missedfinding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_missedfinding_conversation_id'), ['conversation_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_missedfinding_rule_id'), ['rule_id'], unique=False)

    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('veto_pending', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('ruleset_version', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_conversation_veto_pending'), ['veto_pending'],
                              unique=False)
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ruleset_version', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_column('ruleset_version')
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_veto_pending'))
        batch_op.drop_column('ruleset_version')
        batch_op.drop_column('veto_pending')
    for table, indexes in (('missedfinding', ('rule_id', 'conversation_id')),
                           ('reviewsample', ('team_id', 'outcome')),
                           ('reinspectionitem', ('state', 'run_id')),
                           ('reinspectionrun', ()),
                           ('rulepublication', ('version',)),
                           ('rulepackversion', ('digest',))):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in indexes:
                batch_op.drop_index(batch_op.f(f'ix_{table}_{column}'))
        op.drop_table(table)
