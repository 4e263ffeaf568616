"""``revbot demo``: the whole pipeline offline on a bundled demo Stripe account.

Generates the demo world (a year of history for ~40 client companies), imports
its client list, ingests it through the file source — the same six steps as
the API backfill — and prints what was synced, the account list and the
headline figures, then answers a few example questions.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

import typer

from bot.cli.account_rows import account_rows, accounts_table
from bot.cli.context import console, fail, open_database, settings
from bot.cli.progress import sync_progress
from bot.cli.sync_command import print_report
from bot.headlines import Headlines, headlines, money_line
from core.clock import now
from demo import write_world
from storage import accounts as account_store
from storage.db import Database
from storage.figures import account_figures
from storage.models import Workspace
from sync.accounts import import_accounts
from sync.accounts_csv import load_accounts_csv
from sync.backfill import SyncFailed
from sync.file_source import ingest_folder

EXAMPLE_QUESTIONS = (
    "which accounts are overdue?",
    "how much ARR is at risk this month?",
    "who is scheduled to cancel?",
    "top 5 accounts by MRR",
    "what's our MRR trend over the last 6 months?",
)


def demo(
    workspace: str = typer.Option(
        "demo", "--workspace", help="Workspace id to load the demo into."
    ),
    seed: int = typer.Option(7, "--seed", help="Seed of the generated demo world."),
) -> None:
    """Run the whole pipeline offline on a bundled demo Stripe account."""
    current = settings()
    db = open_database()
    as_of = now()
    console.print(f"[bold]revbot demo[/] — demo Stripe account as of {as_of:%Y-%m-%d %H:%M} UTC")
    with tempfile.TemporaryDirectory(prefix="revbot-demo-") as tmp:
        folder = Path(tmp)
        write_world(folder, as_of, seed)
        parsed = load_accounts_csv(folder / "accounts.csv")
        if parsed.errors:
            fail("bundled demo client list is invalid: " + "; ".join(parsed.errors))
        with db.session() as session:
            import_accounts(
                session,
                workspace,
                parsed.rows,
                now=as_of,
                metadata_key=current.match_metadata_key,
                actor="demo",
            )
        try:
            with sync_progress() as progress:
                report = ingest_folder(db, workspace, folder, as_of, progress, settings=current)
        except SyncFailed as exc:
            fail(exc.report.error_text or str(exc))
    print_report(report)
    with db.session() as session:
        rows = account_rows(
            account_store.list_accounts(session, workspace),
            account_figures(session, workspace),
            {},
        )
        figures = headlines(session, workspace, as_of)
    console.print(accounts_table(rows, f"{len(rows)} accounts"))
    print_headlines(figures)
    _answer_examples(db, workspace, as_of)
    console.print(
        f'\nAsk your own: revbot ask --workspace {workspace} "who is overdue more than 30 days?"',
        highlight=False,
        markup=False,
    )


def print_headlines(figures: Headlines) -> None:
    console.print("\n[bold]Headline figures[/]")
    lines = [
        ("MRR", money_line(figures.mrr)),
        ("ARR", money_line(figures.arr)),
        ("Overdue", f"{money_line(figures.overdue)} across {figures.overdue_accounts} accounts"),
        ("ARR at risk (this month)", money_line(figures.arr_at_risk)),
    ]
    for label, value in lines:
        console.print(f"  {label + ':':<26}{value}", highlight=False, markup=False)
    console.print("  Top accounts by MRR:", highlight=False)
    for rank, top in enumerate(figures.top, start=1):
        console.print(f"    {rank}. {top.name} — {top.mrr.format()}", highlight=False, markup=False)


def _answer_examples(db: Database, workspace: str, as_of: datetime) -> None:
    """Answer the example questions with the question engine (as ``revbot ask`` does)."""
    from bot.cli.ask_command import answer_one

    console.print("\n[bold]Example questions[/]")
    with db.session() as session:
        ws = session.get(Workspace, workspace)
        tz = (ws.timezone if ws else None) or "UTC"
        for question in EXAMPLE_QUESTIONS:
            console.print(f"\n[bold cyan]> {question}[/]", highlight=False)
            text, _data = answer_one(session, workspace, question, as_of, tz)
            console.print(text, highlight=False, markup=False)
