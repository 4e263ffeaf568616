"""incremental figures

Revision ID: 0008_incremental_figures
Revises: 0007_thread_context
Create Date: 2026-11-23 10:00:00

Figures follow each webhook batch and catch-up page for the accounts it
touched (issue 10): ``dirty_accounts`` holds the accounts waiting for their
recompute (written with the events, so a crash loses none); answer facts get a
``sort_key`` so ties list the same whichever recompute wrote them; customers are
indexed by email domain (matching a new customer to its automatic account);
the connection remembers the last catch-up and the last applied event, apart
from the last backfill.
"""
from alembic import op
import sqlalchemy as sa
import storage.types


revision = '0008_incremental_figures'
down_revision = '0007_thread_context'
branch_labels = None
depends_on = None

UTC = storage.types.UTCDateTime(timezone=True)
CONNECTION_COLUMNS = (
    ('last_catchup_at', UTC),
    ('last_catchup_events', sa.Integer()),
    ('last_event_at', UTC),
    ('last_event_id', sa.String(length=64)),
    ('last_event_type', sa.String(length=80)),
    ('last_event_source', sa.String(length=16)),
)


def upgrade() -> None:
    op.create_table(
        'dirty_accounts',
        sa.Column('workspace_id', sa.String(length=64), nullable=False),
        sa.Column('account_id', sa.String(length=64), nullable=False),
        sa.Column('generation', sa.Integer(), nullable=False),
        sa.Column('marked_at', UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ['workspace_id'], ['workspaces.id'],
            name=op.f('fk_dirty_accounts_workspace_id_workspaces'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('workspace_id', 'account_id', name=op.f('pk_dirty_accounts')),
    )
    op.add_column('answer_facts', sa.Column('sort_key', sa.String(length=400), nullable=True))
    op.create_index(
        'ix_customers_email_domain', 'stripe_customers', ['workspace_id', 'email_domain']
    )
    for name, type_ in CONNECTION_COLUMNS:
        op.add_column('stripe_connections', sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('stripe_connections', schema=None) as batch_op:
        for name, _ in reversed(CONNECTION_COLUMNS):
            batch_op.drop_column(name)
    op.drop_index('ix_customers_email_domain', table_name='stripe_customers')
    with op.batch_alter_table('answer_facts', schema=None) as batch_op:
        batch_op.drop_column('sort_key')
    op.drop_table('dirty_accounts')
