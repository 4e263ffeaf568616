"""``revbot accounts import|list|match``: the client list and customer matching."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from answers.format import plural
from bot.cli.account_rows import accounts_table
from bot.cli.context import (
    JsonOption,
    OwnWorkspaceOption,
    WorkspaceOption,
    console,
    err_console,
    fail,
    open_backend,
    print_json,
    shown_workspace,
)
from bot.cli.help_style import Command, Group
from usecases import accounts
from usecases.audit import CLI_ACTOR
from usecases.errors import UseCaseError

app = typer.Typer(
    help="Client accounts and Stripe customer matching.", no_args_is_help=True, cls=Group
)


@app.command("import", cls=Command)
def accounts_import(
    file: Path = typer.Argument(
        ..., help="CSV with header: name,domain[,external_id,aliases,owner]"
    ),
    workspace: str = OwnWorkspaceOption,
) -> None:
    """Import the client list (replaces the previous one); nothing is imported on error."""
    if not file.is_file():
        fail(f"no such file: {file}")
    try:
        summary = accounts.import_client_list(open_backend(), workspace, file, CLI_ACTOR)
    except accounts.BadClientList as exc:
        for problem in exc.problems:
            err_console.print(f"{file}: {problem}", markup=False, highlight=False)
        fail(str(exc))
    except UseCaseError as exc:
        fail(str(exc))
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {file}: {exc}")
    console.print(
        f"imported {plural(summary.total, 'account')} "
        f"({summary.created} new, {summary.updated} updated, {summary.removed} removed)"
    )


@app.command("list", cls=Command)
def accounts_list(
    unmatched: bool = typer.Option(
        False,
        "--unmatched",
        help="List Stripe customers with no account (unmatched, ambiguous, skipped or "
        "deleted in Stripe), with the reason.",
    ),
    workspace: str | None = WorkspaceOption,
    as_json: bool = JsonOption,
) -> None:
    """List accounts with their Stripe customers and billing figures."""
    backend = open_backend()
    shown = shown_workspace(backend, workspace)
    if unmatched:
        items = [item.to_json() for item in accounts.customers_without_account(backend, shown)]
        _print_unmatched(items, as_json)
        return
    rows = accounts.account_list(backend, shown, plan_name=not as_json)
    if as_json:
        print_json(rows)
    elif not rows:
        console.print("No accounts yet: `revbot accounts import clients.csv` or `revbot sync`.")
    else:
        console.print(accounts_table(rows, plural(len(rows), "account")))


def _print_unmatched(items: list[dict[str, object]], as_json: bool) -> None:
    if as_json:
        print_json(items)
        return
    if not items:
        console.print("Every Stripe customer is matched to an account.")
        return
    table = Table(title=plural(len(items), "customer") + " without an account")
    for column in ("Customer", "Name", "Email", "Outcome", "Reason"):
        table.add_column(column, overflow="fold")
    for item in items:
        table.add_row(
            str(item["customer_id"]),
            str(item["name"] or "—"),
            str(item["email"] or "—"),
            str(item["outcome"]),
            str(item["reason"]),
        )
    console.print(table)


@app.command("match", cls=Command)
def accounts_match(
    customer: str = typer.Argument(..., help="Stripe customer id (cus_…)."),
    account: str = typer.Argument(None, help="Account id, name, alias or domain."),
    clear: bool = typer.Option(False, "--clear", help="Remove the manual mapping instead."),
    workspace: str | None = WorkspaceOption,
) -> None:
    """Map a Stripe customer to an account by hand; the mapping survives resyncs."""
    if not clear and not account:
        fail("give an ACCOUNT to map to, or --clear")
    backend = open_backend()
    try:
        mapped = accounts.map_customer(
            backend,
            shown_workspace(backend, workspace),
            customer,
            None if clear else account,
            CLI_ACTOR,
        )
    except UseCaseError as exc:
        fail(str(exc))
    if mapped.account is None:
        console.print(f"{customer}: mapping cleared")
    else:
        console.print(f"{customer} → {mapped.account.id}")
