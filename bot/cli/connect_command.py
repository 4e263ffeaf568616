"""``revbot connect``: validate a Stripe key and store it encrypted (SPEC §4).

Nothing is stored unless every read that sync needs succeeds. The key is read
from ``--key``, from standard input with ``--key -``, or from a hidden prompt,
and only its last four characters are ever printed.
"""

from __future__ import annotations

import sys

import typer

from bot.cli.context import (
    WorkspaceOption,
    console,
    err_console,
    fail,
    open_database,
    secret_box,
    settings,
)
from core.clock import now
from storage.connections import ConnectionIdentity, save_connection
from storage.workspaces import audit, ensure_workspace
from sync.errors import KeyFormatError, StripeSyncError
from sync.validate import validate_key


def _read_key(key: str | None) -> str:
    if key == "-":
        return sys.stdin.readline().strip()
    if key:
        return key.strip()
    return str(typer.prompt("Stripe API key (rk_… recommended)", hide_input=True)).strip()


def connect(
    key: str = typer.Option(
        None, "--key", help="Stripe key (rk_live_/rk_test_ recommended); '-' reads stdin."
    ),
    workspace: str = WorkspaceOption,
) -> None:
    """Validate a Stripe key against every resource sync reads, then store it encrypted."""
    api_key = _read_key(key)
    try:
        result = validate_key(api_key, settings())
    except KeyFormatError as exc:
        fail(str(exc.user_message))
    except StripeSyncError as exc:
        fail(str(exc.user_message))
    box = secret_box()
    db = open_database()
    with db.session() as session:
        ensure_workspace(session, workspace, now())
        save_connection(
            session,
            workspace,
            api_key,
            ConnectionIdentity(
                result.mode, result.key_kind, result.account_id, result.account_name
            ),
            box,
            now(),
        )
        audit(session, workspace, "cli", "stripe.connect", now(), {"key_last4": api_key[-4:]})
    for warning in result.warnings:
        err_console.print(f"warning: {warning}", markup=False, highlight=False)
    name = result.account_name or result.account_id or "Stripe account"
    console.print(
        f"connected {name} ({result.mode} mode, key …{api_key[-4:]}); run `revbot sync` next",
        markup=False,
        highlight=False,
    )
