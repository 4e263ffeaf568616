"""``revbot fx``: the reporting currency and dated exchange rates."""

from __future__ import annotations

from datetime import date

import typer
from rich.table import Table

from bot.cli.context import (
    JsonOption,
    WorkspaceOption,
    console,
    fail,
    open_backend,
    print_json,
    shown_workspace,
)
from bot.cli.help_style import Command, Group
from usecases import fx
from usecases.audit import CLI_ACTOR
from usecases.errors import UseCaseError

app = typer.Typer(help="Reporting currency and exchange rates.", no_args_is_help=True, cls=Group)


# "-1" must reach the rate check (a one-line reason), not click's option parser.
@app.command("set", cls=Command, context_settings={"ignore_unknown_options": True})
def fx_set(
    currency: str = typer.Argument(..., help="Currency to convert from, e.g. EUR."),
    rate: str = typer.Argument(..., help="Units of the reporting currency per 1 CURRENCY."),
    on: str = typer.Option(
        None, "--date", metavar="YYYY-MM-DD", help="Effective date (default: today)."
    ),
    workspace: str | None = WorkspaceOption,
) -> None:
    """Set a rate: `revbot fx set EUR 1.08` means €1 = 1.08 of the reporting currency."""
    try:
        code, value = fx.currency_code(currency), fx.positive_rate(rate)
    except UseCaseError as exc:
        fail(str(exc))
    try:
        effective = date.fromisoformat(on) if on else None
    except ValueError:
        fail(f"--date: expected YYYY-MM-DD, got {on!r}")
    try:
        backend = open_backend()
        shown = shown_workspace(backend, workspace)
        reporting, day = fx.set_rate(backend, shown, code, value, effective, CLI_ACTOR)
    except UseCaseError as exc:
        fail(str(exc))
    console.print(f"1 {code} = {value} {reporting} from {day.isoformat()}")


@app.command("reporting", cls=Command)
def fx_reporting(
    currency: str = typer.Argument(..., help="Reporting currency, e.g. USD."),
    workspace: str | None = WorkspaceOption,
) -> None:
    """Set the workspace's reporting currency (rates are per reporting currency)."""
    try:
        code = fx.currency_code(currency)
    except UseCaseError as exc:
        fail(str(exc))
    backend = open_backend()
    fx.set_reporting_currency(backend, shown_workspace(backend, workspace), code, CLI_ACTOR)
    console.print(f"reporting currency: {code}")


@app.command("list", cls=Command)
def fx_list(workspace: str | None = WorkspaceOption, as_json: bool = JsonOption) -> None:
    """List the reporting currency and every configured rate."""
    backend = open_backend()
    found = fx.rates(backend, shown_workspace(backend, workspace))
    rows = [{"currency": r.currency, "rate": r.rate, "date": r.effective_date} for r in found.rates]
    if as_json:
        print_json({"reporting_currency": found.reporting_currency, "rates": rows})
        return
    table = Table(title=f"Exchange rates into {found.reporting_currency}")
    for column in ("currency", "rate", "effective from"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["currency"], row["rate"], row["date"])
    empty = f"No rates set; reporting currency {found.reporting_currency}."
    console.print(table if rows else empty)
