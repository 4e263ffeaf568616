"""``revbot fx``: the reporting currency and dated exchange rates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

import typer
from rich.table import Table

from bot.cli.context import JsonOption, WorkspaceOption, console, fail, open_database, print_json
from core.clock import now
from storage import fx as fx_store
from storage.workspaces import audit

app = typer.Typer(help="Reporting currency and exchange rates.", no_args_is_help=True)


def _currency(code: str) -> str:
    if len(code) != 3 or not code.isalpha():
        fail(f"expected a 3-letter currency code, got {code!r}")
    return code.upper()


# "-1" must reach the rate check (a one-line reason), not click's option parser.
@app.command("set", context_settings={"ignore_unknown_options": True})
def fx_set(
    currency: str = typer.Argument(..., help="Currency to convert from, e.g. EUR."),
    rate: str = typer.Argument(..., help="Units of the reporting currency per 1 CURRENCY."),
    on: str = typer.Option(None, "--date", help="Effective date (YYYY-MM-DD); default today."),
    workspace: str = WorkspaceOption,
) -> None:
    """Set a rate: `revbot fx set EUR 1.08` means €1 = 1.08 of the reporting currency."""
    code = _currency(currency)
    try:
        value = Decimal(rate)
    except InvalidOperation:
        fail(f"rate: expected a positive number, got {rate!r}")
    if not value.is_finite() or value <= 0:
        fail(f"rate: expected a positive number, got {rate!r}")
    try:
        effective = date.fromisoformat(on) if on else now().date()
    except ValueError:
        fail(f"--date: expected YYYY-MM-DD, got {on!r}")
    db = open_database()
    with db.session() as session:
        reporting = fx_store.reporting_currency(session, workspace)
        if code == reporting:
            fail(f"{code} is the reporting currency; its rate is always 1")
        fx_store.set_rate(session, workspace, code, value, effective, now())
        audit(session, workspace, "cli", "fx.set", now(), {"currency": code, "rate": str(value)})
    console.print(f"1 {code} = {value} {reporting} from {effective.isoformat()}")


@app.command("reporting")
def fx_reporting(
    currency: str = typer.Argument(..., help="Reporting currency, e.g. USD."),
    workspace: str = WorkspaceOption,
) -> None:
    """Set the workspace's reporting currency (rates are per reporting currency)."""
    code = _currency(currency)
    db = open_database()
    with db.session() as session:
        fx_store.set_reporting_currency(session, workspace, code, now())
        audit(session, workspace, "cli", "fx.reporting", now(), {"currency": code})
    console.print(f"reporting currency: {code}")


@app.command("list")
def fx_list(workspace: str = WorkspaceOption, as_json: bool = JsonOption) -> None:
    """List the reporting currency and every configured rate."""
    db = open_database()
    with db.session() as session:
        reporting = fx_store.reporting_currency(session, workspace)
        rows = [
            {"currency": r.currency, "rate": r.rate, "date": r.effective_date}
            for r in fx_store.list_rates(session, workspace)
        ]
    if as_json:
        print_json({"reporting_currency": reporting, "rates": rows})
        return
    table = Table(title=f"Exchange rates into {reporting}")
    for column in ("currency", "rate", "effective from"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["currency"], row["rate"], row["date"])
    console.print(table if rows else f"No rates set; reporting currency {reporting}.")
