"""``revbot accounts import|list|match``: the client list and customer matching."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import typer
from rich.table import Table

from bot.cli.account_rows import account_rows, accounts_table
from bot.cli.context import (
    JsonOption,
    WorkspaceOption,
    console,
    err_console,
    fail,
    open_database,
    print_json,
    settings,
)
from core.clock import now
from storage import accounts as account_store
from storage.figures import account_figures
from sync.account_billing import refresh_account_billing
from sync.accounts import find_account, import_accounts, map_customer
from sync.accounts_csv import load_accounts_csv

app = typer.Typer(help="Client accounts and Stripe customer matching.", no_args_is_help=True)


@app.command("import")
def accounts_import(
    file: Path = typer.Argument(
        ..., help="CSV with header: name,domain[,external_id,aliases,owner]"
    ),
    workspace: str = WorkspaceOption,
) -> None:
    """Import the client list (replaces the previous one); nothing is imported on error."""
    if not file.is_file():
        fail(f"no such file: {file}")
    try:
        parsed = load_accounts_csv(file)
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {file}: {exc}")
    if parsed.errors:
        for problem in parsed.errors:
            err_console.print(f"{file}: {problem}", markup=False, highlight=False)
        fail(f"{len(parsed.errors)} bad line(s); nothing imported")
    if not parsed.rows:
        fail(f"{file} holds no accounts")
    db = open_database()
    with db.session() as session:
        summary = import_accounts(
            session,
            workspace,
            parsed.rows,
            now=now(),
            metadata_key=settings().match_metadata_key,
        )
        refresh_account_billing(session, workspace, now())
    console.print(
        f"imported {summary.total} accounts "
        f"({summary.created} new, {summary.updated} updated, {summary.removed} removed)"
    )


def _customers_by_account(mapping: dict[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for customer_id, account_id in mapping.items():
        out[account_id].append(customer_id)
    return out


@app.command("list")
def accounts_list(
    unmatched: bool = typer.Option(
        False, "--unmatched", help="List Stripe customers with no account, and ambiguous ones."
    ),
    workspace: str = WorkspaceOption,
    as_json: bool = JsonOption,
) -> None:
    """List accounts with their Stripe customers and billing figures."""
    db = open_database()
    with db.session() as session:
        if unmatched:
            items = [item.to_json() for item in account_store.unmatched(session, workspace)]
        else:
            rows = account_rows(
                account_store.list_accounts(session, workspace),
                account_figures(session, workspace),
                _customers_by_account(account_store.customer_accounts(session, workspace)),
            )
    if unmatched:
        _print_unmatched(items, as_json)
    elif as_json:
        print_json(rows)
    elif not rows:
        console.print("No accounts yet: `revbot accounts import clients.csv` or `revbot sync`.")
    else:
        console.print(accounts_table(rows, f"{len(rows)} accounts"))


def _print_unmatched(items: list[dict[str, object]], as_json: bool) -> None:
    if as_json:
        print_json(items)
        return
    if not items:
        console.print("Every Stripe customer is matched to an account.")
        return
    table = Table(title=f"{len(items)} customers without an account")
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


@app.command("match")
def accounts_match(
    customer: str = typer.Argument(..., help="Stripe customer id (cus_…)."),
    account: str = typer.Argument(None, help="Account id, name, alias or domain."),
    clear: bool = typer.Option(False, "--clear", help="Remove the manual mapping instead."),
    workspace: str = WorkspaceOption,
) -> None:
    """Map a Stripe customer to an account by hand; the mapping survives resyncs."""
    if not clear and not account:
        fail("give an ACCOUNT to map to, or --clear")
    db = open_database()
    with db.session() as session:
        account_id = None
        if not clear:
            found = find_account(session, workspace, account)
            if found is None:
                fail(f"no account matches {account!r}")
            account_id = found.id
        try:
            map_customer(
                session,
                workspace,
                customer,
                account_id,
                actor="cli",
                now=now(),
                metadata_key=settings().match_metadata_key,
            )
        except account_store.MappingError as exc:
            fail(str(exc))
        refresh_account_billing(session, workspace, now())
    console.print(f"{customer} → {account_id}" if account_id else f"{customer}: mapping cleared")
