"""``revbot connect``: validate a Stripe key and store it encrypted (SPEC §4).

Nothing is stored unless every read that sync needs succeeds. The key is read
from ``--key``, from standard input with ``--key -``, or from a hidden prompt,
and only its last four characters are ever printed.
"""

from __future__ import annotations

import sys

import typer

from bot.cli.context import OwnWorkspaceOption, console, err_console, fail, open_backend
from sync.client import RetryNotice
from usecases import connection
from usecases.audit import CLI_ACTOR
from usecases.errors import UseCaseError


def _read_key(key: str | None) -> str:
    """The key from ``--key``, stdin (``--key -``) or a hidden prompt on a terminal.

    ``--key ''`` is a key (an empty one, refused by the grammar), never a cue to
    prompt; without ``--key`` and without a terminal there is nobody to prompt,
    so that is an error too rather than getpass's warning and ``Aborted.``.
    """
    if key == "-":
        return sys.stdin.readline()
    if key is not None:
        return key
    if not sys.stdin.isatty():
        fail("no Stripe key given: pass --key KEY, or --key - to read it from standard input")
    return str(typer.prompt("Stripe API key (rk_… recommended)", hide_input=True))


def _say_retry(notice: RetryNotice) -> None:
    """While Stripe does not answer, say why and when the next try is (not silence)."""
    err_console.print(
        f"Stripe did not answer ({notice.reason}): retry {notice.retry} of {notice.retries} "
        f"in {notice.delay:.1f} s…",
        markup=False,
        highlight=False,
    )


def connect(
    key: str = typer.Option(
        None, "--key", help="Stripe key (rk_live_/rk_test_ recommended); '-' reads stdin."
    ),
    workspace: str = OwnWorkspaceOption,
) -> None:
    """Validate a Stripe key against every resource sync reads, then store it encrypted."""
    api_key = _read_key(key)
    problem = connection.key_problem(api_key)
    if problem is not None:  # refused before anything is opened or sent
        fail(problem)
    backend = open_backend(secrets=True)
    try:
        checked = connection.connect(backend, workspace, api_key, CLI_ACTOR, _say_retry)
    except UseCaseError as exc:
        fail(str(exc))
    for warning in checked.warnings:
        err_console.print(f"warning: {warning}", markup=False, highlight=False)
    name = checked.account_name or checked.account_id or "Stripe account"
    console.print(
        f"connected {name} ({checked.mode} mode, key …{checked.last4}); run `revbot sync` next",
        markup=False,
        highlight=False,
    )
