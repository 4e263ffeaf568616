"""event freshness

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 09:00:00

Customers, products and prices remember the Stripe time of the state they hold
(``source_updated_at``: the ``created`` of the event that last wrote them), as
subscriptions and invoices already do, so an out-of-order event never puts
older state on top of newer (SPEC §5 "Staying fresh"). Events get an index by
object, for the tombstone check of deleted draft invoices.
"""
from alembic import op
import sqlalchemy as sa
import storage.types


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

TABLES = ('stripe_customers', 'stripe_products', 'stripe_prices')


def upgrade() -> None:
    for table in TABLES:
        op.add_column(
            table,
            sa.Column('source_updated_at', storage.types.UTCDateTime(timezone=True), nullable=True),
        )
    op.create_index('ix_events_object', 'stripe_events', ['workspace_id', 'object_id'])


def downgrade() -> None:
    op.drop_index('ix_events_object', table_name='stripe_events')
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('source_updated_at')
