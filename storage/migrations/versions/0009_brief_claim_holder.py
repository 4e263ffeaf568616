"""brief claim holder

Revision ID: 0009_brief_claim_holder
Revises: 0008_incremental_figures
Create Date: 2026-12-08 02:00:00

A brief delivery claim names the replica holding it and when it claimed on the
wall clock (a claim expires on real time even when ``REVBOT_NOW`` fixes the
business date), and a sent brief keeps its Slack message ts (issue 10:
exactly-once brief). Existing claims count from their ``sent_at``.
"""
from alembic import op
import sqlalchemy as sa
import storage.types


revision = '0009_brief_claim_holder'
down_revision = '0008_incremental_figures'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('brief_deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=120), nullable=True))
        batch_op.add_column(
            sa.Column('claimed_at', storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column('message_ts', sa.String(length=32), nullable=True))
    op.execute("UPDATE brief_deliveries SET claimed_at = sent_at")


def downgrade() -> None:
    with op.batch_alter_table('brief_deliveries', schema=None) as batch_op:
        batch_op.drop_column('message_ts')
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('claimed_by')
