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

from answers.format import plural
from billing.money import Money
from bot.cli.account_rows import accounts_table
from bot.cli.context import console, fail, open_backend
from bot.cli.progress import sync_progress
from bot.cli.sync_command import print_report
from demo import write_world
from usecases import accounts, asking, overview, syncing
from usecases.backend import Backend
from usecases.errors import UseCaseError
from usecases.overview import Headlines
from usecases.workspace import DEMO_WORKSPACE

DEMO_ACTOR = "demo"
EXAMPLE_QUESTIONS = (
    "which accounts are overdue?",
    "how much ARR is at risk this month?",
    "who is scheduled to cancel?",
    "top 5 accounts by MRR",
    "what's our MRR trend over the last 6 months?",
)


def demo(
    workspace: str = typer.Option(
        DEMO_WORKSPACE, "--workspace", metavar="ID", help="Workspace id to load the demo into."
    ),
    seed: int = typer.Option(7, "--seed", help="Seed of the generated demo world."),
) -> None:
    """Run the whole pipeline offline on a bundled demo Stripe account."""
    backend = open_backend()
    as_of = backend.now()
    console.print(f"[bold]revbot demo[/] — demo Stripe account as of {as_of:%Y-%m-%d %H:%M} UTC")
    with tempfile.TemporaryDirectory(prefix="revbot-demo-") as tmp:
        folder = Path(tmp)
        write_world(folder, as_of, seed)
        try:
            accounts.import_client_list(backend, workspace, folder / "accounts.csv", DEMO_ACTOR)
            with sync_progress() as progress:
                outcome = syncing.sync_folder(backend, workspace, folder, progress=progress)
        except accounts.BadClientList as exc:
            fail("bundled demo client list is invalid: " + "; ".join(exc.problems))
        except UseCaseError as exc:
            fail(str(exc))
    if outcome.backfill is not None:
        print_report(outcome.backfill)
    rows = accounts.account_list(backend, workspace, plan_name=True)
    console.print(accounts_table(rows, plural(len(rows), "account")))
    print_headlines(overview.headlines(backend, workspace, as_of))
    _answer_examples(backend, workspace, as_of)
    # Until a Stripe account is connected, commands without --workspace read the demo.
    where = "" if workspace == DEMO_WORKSPACE else f" --workspace {workspace}"
    console.print(
        f'\nAsk your own: revbot ask{where} "who is overdue more than 30 days?"'
        "\nConnect your Stripe account: revbot connect --key rk_live_… then revbot sync",
        highlight=False,
        markup=False,
    )


def money_line(values: list[Money]) -> str:
    return " · ".join(m.format() for m in values) if values else "—"


def print_headlines(figures: Headlines) -> None:
    console.print("\n[bold]Headline figures[/]")
    lines = [
        ("MRR", money_line(figures.mrr)),
        ("ARR", money_line(figures.arr)),
        (
            "Overdue",
            f"{money_line(figures.overdue)} across {plural(figures.overdue_accounts, 'account')}",
        ),
        ("ARR at risk (this month)", money_line(figures.arr_at_risk)),
    ]
    for label, value in lines:
        console.print(f"  {label + ':':<26}{value}", highlight=False, markup=False)
    console.print("  Top accounts by MRR:", highlight=False)
    for rank, top in enumerate(figures.top, start=1):
        console.print(f"    {rank}. {top.name} — {top.mrr.format()}", highlight=False, markup=False)


def _answer_examples(backend: Backend, workspace: str, as_of: datetime) -> None:
    """Answer the example questions with the question engine (as ``revbot ask`` does)."""
    console.print("\n[bold]Example questions[/]")
    for question in EXAMPLE_QUESTIONS:
        console.print(f"\n[bold cyan]> {question}[/]", highlight=False)
        answer = asking.ask(backend, workspace, question, as_of)
        console.print(answer.text, highlight=False, markup=False)
