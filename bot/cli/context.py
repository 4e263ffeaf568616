"""What every CLI command needs: settings, the database, the workspace, output helpers."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from typing import Any, NoReturn

import typer
from rich.console import Console

from core.clock import ClockError, as_of_instant, parse_instant
from core.settings import Settings, SettingsError, get_settings
from storage.db import Database
from storage.secrets import SecretBox, SecretsError, load_or_create_key_file
from usecases.backend import Backend

# Off a terminal (pipes, CI logs) rich would wrap tables at 80 columns; allow wider lines.
console = Console(width=None if sys.stdout.isatty() else 140)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 140)

WorkspaceOption = typer.Option("local", "--workspace", help="Workspace id (Slack team id).")
JsonOption = typer.Option(False, "--json", help="Print JSON instead of text.")


def fail(message: str, code: int = 1) -> NoReturn:
    """Exit non-zero with a one-line reason on stderr."""
    err_console.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def settings() -> Settings:
    try:
        return get_settings()
    except SettingsError as exc:
        fail(str(exc))


def open_database() -> Database:
    """Connect; the embedded SQLite default creates/upgrades its schema itself."""
    current = settings()
    try:
        return Database.connect(current.resolved_database_url, migrate=current.is_embedded_database)
    except Exception as exc:
        fail(f"cannot open database: {type(exc).__name__}: {exc}")


def open_backend(*, secrets: bool = False) -> Backend:
    """What the use cases run against; ``secrets`` when the command reads or stores a key."""
    current = settings()
    return Backend(current, open_database(), secret_box=secret_box() if secrets else None)


def secret_box() -> SecretBox:
    current = settings()
    try:
        if current.encryption_key is not None:
            return SecretBox(current.encryption_key.get_secret_value())
        return SecretBox(load_or_create_key_file(current.data_dir))
    except SecretsError as exc:
        fail(str(exc))


def parse_as_of(value: str | None) -> datetime:
    """The instant an ``--as-of YYYY-MM-DD`` option stands for (default: now)."""
    if value is None:
        return as_of_instant(None)
    try:
        day = date.fromisoformat(value)
    except ValueError:
        fail(f"--as-of: expected YYYY-MM-DD, got {value!r}")
    return as_of_instant(day)


def parse_date_option(name: str, value: str) -> datetime:
    try:
        return parse_instant(value, name=name)
    except ClockError as exc:
        fail(str(exc))


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


def interactive() -> bool:
    """Whether stdout is a terminal (progress bars only then)."""
    return sys.stdout.isatty()
