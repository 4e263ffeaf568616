"""What every CLI command needs: settings, the database, the workspace, output helpers."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from typing import Any, NoReturn

import typer
from rich.console import Console

from core.clock import as_of_instant
from core.settings import Settings, SettingsError, get_settings
from storage.db import Database
from storage.secrets import SecretBox, SecretsError, load_or_create_key_file
from usecases import workspace
from usecases.backend import Backend

# Off a terminal (pipes, files, CI logs) nothing knows the reader's width: rich would wrap at
# 80 columns and fold table cells mid-word ("acmerobotics.co|m"). Lines there are as long as
# their content instead; a terminal keeps its own width.
PIPE_WIDTH = 10_000


def _console(stderr: bool) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    if stream.isatty():
        return Console(stderr=stderr)
    return Console(stderr=stderr, width=PIPE_WIDTH, soft_wrap=True)


console = _console(stderr=False)
err_console = _console(stderr=True)

LOCAL_WORKSPACE = "local"
# Commands that read or tune billing data: the local workspace, or the demo's while the local
# one holds nothing (see ``shown_workspace``).
WorkspaceOption = typer.Option(
    None,
    "--workspace",
    metavar="ID",
    show_default=False,
    help="Workspace id (a Slack team id). Default: local, or the demo data while nothing is "
    "connected there.",
)
# Commands that bring in the user's own data (connect, sync, import) always default to local.
OwnWorkspaceOption = typer.Option(
    LOCAL_WORKSPACE, "--workspace", metavar="ID", help="Workspace id (a Slack team id)."
)
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


def shown_workspace(backend: Backend, asked: str | None) -> str:
    """The workspace a reading command works on: ``--workspace`` when given; else ``local``,
    or the demo workspace while ``local`` holds nothing of its own (said in one line on
    stderr, so pipes still get clean data)."""
    if asked is not None:
        return asked
    demo = workspace.demo_in_place_of(backend, LOCAL_WORKSPACE)
    if demo is None:
        return LOCAL_WORKSPACE
    err_console.print(
        f"note: no Stripe account is connected yet, so this shows the demo data "
        f"(workspace {demo!r}); connect yours with `revbot connect --key rk_…`.",
        markup=False,
        highlight=False,
    )
    return demo


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


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


def interactive() -> bool:
    """Whether stdout is a terminal (progress bars only then)."""
    return sys.stdout.isatty()
