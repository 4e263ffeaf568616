"""discount attachment

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 12:00:00

Discounts that invoices reference but that are no longer attached to a
subscription (expired or removed) are stored too, so month-end history can
apply them (SPEC §7 "MRR history"). ``attached`` tells the two apart and
``position`` keeps Stripe's order of a subscription's (or item's) discounts.
Existing rows were all attached.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('stripe_discounts', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('attached', sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(
            sa.Column('position', sa.Integer(), nullable=False, server_default='0')
        )


def downgrade() -> None:
    with op.batch_alter_table('stripe_discounts', schema=None) as batch_op:
        batch_op.drop_column('position')
        batch_op.drop_column('attached')
