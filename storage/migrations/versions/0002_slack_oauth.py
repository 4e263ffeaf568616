"""slack oauth stores

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 07:00:00

The tables slack_sdk's SQLAlchemyInstallationStore and SQLAlchemyOAuthStateStore
define (default names), written out by hand so HTTP mode with OAuth keeps its
installations in the project's own database and migrations. Column for column
the same as slack_sdk 3.x ``build_bots_table``/``build_installations_table``/
``build_oauth_states_table``; they carry no workspace_id because slack_sdk
owns their shape (rows are keyed by ``team_id``).
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'slack_bots',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('client_id', sa.String(length=32), nullable=False),
        sa.Column('app_id', sa.String(length=32), nullable=False),
        sa.Column('enterprise_id', sa.String(length=32)),
        sa.Column('enterprise_name', sa.String(length=200)),
        sa.Column('team_id', sa.String(length=32)),
        sa.Column('team_name', sa.String(length=200)),
        sa.Column('bot_token', sa.String(length=200)),
        sa.Column('bot_id', sa.String(length=32)),
        sa.Column('bot_user_id', sa.String(length=32)),
        sa.Column('bot_scopes', sa.String(length=1000)),
        sa.Column('bot_refresh_token', sa.String(length=200)),
        sa.Column('bot_token_expires_at', sa.DateTime()),
        sa.Column('is_enterprise_install', sa.Boolean(), nullable=False),
        sa.Column('installed_at', sa.DateTime(), nullable=False),
    )
    op.create_index(
        'slack_bots_idx', 'slack_bots',
        ['client_id', 'enterprise_id', 'team_id', 'installed_at'],
    )
    op.create_table(
        'slack_installations',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('client_id', sa.String(length=32), nullable=False),
        sa.Column('app_id', sa.String(length=32), nullable=False),
        sa.Column('enterprise_id', sa.String(length=32)),
        sa.Column('enterprise_name', sa.String(length=200)),
        sa.Column('enterprise_url', sa.String(length=200)),
        sa.Column('team_id', sa.String(length=32)),
        sa.Column('team_name', sa.String(length=200)),
        sa.Column('bot_token', sa.String(length=200)),
        sa.Column('bot_id', sa.String(length=32)),
        sa.Column('bot_user_id', sa.String(length=32)),
        sa.Column('bot_scopes', sa.String(length=1000)),
        sa.Column('bot_refresh_token', sa.String(length=200)),
        sa.Column('bot_token_expires_at', sa.DateTime()),
        sa.Column('user_id', sa.String(length=32), nullable=False),
        sa.Column('user_token', sa.String(length=200)),
        sa.Column('user_scopes', sa.String(length=1000)),
        sa.Column('user_refresh_token', sa.String(length=200)),
        sa.Column('user_token_expires_at', sa.DateTime()),
        sa.Column('incoming_webhook_url', sa.String(length=200)),
        sa.Column('incoming_webhook_channel', sa.String(length=200)),
        sa.Column('incoming_webhook_channel_id', sa.String(length=200)),
        sa.Column('incoming_webhook_configuration_url', sa.String(length=200)),
        sa.Column('is_enterprise_install', sa.Boolean(), nullable=False),
        sa.Column('token_type', sa.String(length=32)),
        sa.Column('installed_at', sa.DateTime(), nullable=False),
    )
    op.create_index(
        'slack_installations_idx', 'slack_installations',
        ['client_id', 'enterprise_id', 'team_id', 'user_id', 'installed_at'],
    )
    op.create_table(
        'slack_oauth_states',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('state', sa.String(length=200), nullable=False),
        sa.Column('expire_at', sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('slack_oauth_states')
    op.drop_index('slack_installations_idx', table_name='slack_installations')
    op.drop_table('slack_installations')
    op.drop_index('slack_bots_idx', table_name='slack_bots')
    op.drop_table('slack_bots')
