"""thread contexts

Revision ID: 0007_thread_context
Revises: 0006
Create Date: 2026-11-23 09:00:00

The previous question of each Slack thread (storage/thread_context.py), so a
follow-up is understood after a restart and by any replica on the same database.
"""
from alembic import op
import sqlalchemy as sa
import storage.types


revision = '0007_thread_context'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'thread_contexts',
        sa.Column('workspace_id', sa.String(length=64), nullable=False),
        sa.Column('channel', sa.String(length=64), nullable=False),
        sa.Column('thread_ts', sa.String(length=32), nullable=False),
        sa.Column('query', sa.JSON(), nullable=False),
        sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['workspace_id'], ['workspaces.id'],
            name=op.f('fk_thread_contexts_workspace_id_workspaces'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint(
            'workspace_id', 'channel', 'thread_ts', name=op.f('pk_thread_contexts')
        ),
    )
    op.create_index(
        'ix_thread_contexts_recent', 'thread_contexts', ['workspace_id', 'updated_at']
    )


def downgrade() -> None:
    op.drop_index('ix_thread_contexts_recent', table_name='thread_contexts')
    op.drop_table('thread_contexts')
