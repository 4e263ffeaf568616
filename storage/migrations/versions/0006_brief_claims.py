"""brief claims

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 14:00:00

A brief delivery row is first a *claim* (``status='claimed'``) and becomes
``sent`` once Slack accepted the post, so a claim left by a process that died
before posting can be taken over later the same day (SPEC §12: a brief
interrupted is completed later). Existing rows were all sent.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('brief_deliveries', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('status', sa.String(length=16), nullable=False, server_default='sent')
        )


def downgrade() -> None:
    with op.batch_alter_table('brief_deliveries', schema=None) as batch_op:
        batch_op.drop_column('status')
