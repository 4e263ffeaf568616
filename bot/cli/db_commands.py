"""``revbot db upgrade``: create or upgrade the schema."""

from __future__ import annotations

import typer

from bot.cli.context import console, fail, settings
from bot.cli.help_style import Command, Group
from storage.db import Database, upgrade

app = typer.Typer(help="Database schema management.", no_args_is_help=True, cls=Group)


@app.command("upgrade", cls=Command)
def db_upgrade() -> None:
    """Create or upgrade the database schema to the newest revision."""
    current = settings()
    try:
        database = Database.connect(current.resolved_database_url)
        upgrade(database.engine)
    except Exception as exc:
        fail(f"upgrade failed: {type(exc).__name__}: {exc}")
    console.print("database is at the newest revision")
