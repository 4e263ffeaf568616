"""answer facts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 08:00:00

Precomputed rows the question engine reads (storage/fact_models.py), written at
sync step 6 so questions never load the whole ledger (SPEC §13).
"""
from alembic import op
import sqlalchemy as sa
import storage.types


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'answer_facts',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('workspace_id', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('account_id', sa.String(length=64), nullable=True),
        sa.Column('at', storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('until', storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('currency', sa.String(length=3), nullable=True),
        sa.Column('amount', sa.BigInteger(), nullable=True),
        sa.Column('amount2', sa.BigInteger(), nullable=True),
        sa.Column('object_id', sa.String(length=64), nullable=True),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ['workspace_id'], ['workspaces.id'],
            name=op.f('fk_answer_facts_workspace_id_workspaces'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_facts')),
    )
    op.create_index('ix_answer_facts_kind_at', 'answer_facts', ['workspace_id', 'kind', 'at'])
    op.create_index(
        'ix_answer_facts_kind_account', 'answer_facts', ['workspace_id', 'kind', 'account_id']
    )
    op.create_index(
        'ix_answer_facts_kind_amount', 'answer_facts',
        ['workspace_id', 'kind', 'currency', 'amount'],
    )


def downgrade() -> None:
    op.drop_index('ix_answer_facts_kind_amount', table_name='answer_facts')
    op.drop_index('ix_answer_facts_kind_account', table_name='answer_facts')
    op.drop_index('ix_answer_facts_kind_at', table_name='answer_facts')
    op.drop_table('answer_facts')
