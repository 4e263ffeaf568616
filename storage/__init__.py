"""Persistence: SQLAlchemy models, engine/session, Alembic migrations, query functions.

Every table is scoped by ``workspace_id``; every query function takes one.
"""
