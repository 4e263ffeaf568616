"""Sync step 6 benchmark ("Account billing"): time per phase at 1k (and 10k) accounts.

    .venv/bin/python bench/account_billing.py            # 1k customers / 1k subs / 12k invoices
    .venv/bin/python bench/account_billing.py --full     # also 10k / 10k / 120k
    .venv/bin/python bench/account_billing.py --profile  # cProfile of step 6 at the first scale

A generated world is ingested once through the file source (steps 1-5) into a
fresh SQLite database; then the phases of ``sync.account_billing`` are timed
one by one (re-match, load ledger, MRR timelines, account figures, their write, workspace
facts, their write) and the whole step once more end to end.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from billing.facts import iter_workspace_facts
from billing.figures import account_figures
from billing.timeline import account_timelines
from core.settings import Settings, get_settings
from storage.accounts import customer_accounts, list_accounts
from storage.db import Database
from storage.facts import replace_workspace_facts
from storage.figures import replace_account_figures
from storage.ledger_reads import load_ledger
from sync.account_billing import gc_paused, run_account_billing
from sync.accounts import rematch_workspace
from sync.file_source import ingest_folder
from testkit.stripe_server.generate import generate_world

NOW = datetime(2027, 2, 15, 12, tzinfo=UTC)
T = TypeVar("T")


def _timed(timings: dict[str, float], name: str, work: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = work()
    timings[name] = time.perf_counter() - started
    return result


def _phases(db: Database, ws: str, window_start: datetime) -> dict[str, float]:
    """Step 6 split into its phases (same calls as ``run_account_billing``, except that
    figures and facts are held in lists here to time computing and writing apart)."""
    timings: dict[str, float] = {}
    key = get_settings().match_metadata_key
    with db.session() as session:
        _timed(timings, "rematch", lambda: rematch_workspace(session, ws, key, NOW))
        accounts = {a.id: a for a in list_accounts(session, ws)}
        mapping = customer_accounts(session, ws)
        paused = gc_paused()  # as run_account_billing does
        paused.__enter__()
        ledger = _timed(
            timings,
            "load_ledger",
            lambda: load_ledger(
                session, ws, window_start, accounts=accounts, customer_accounts=mapping, lean=True
            ),
        )
        timelines = _timed(
            timings, "timelines", lambda: account_timelines(ledger, NOW, forget=True)
        )
        figures = _timed(
            timings,
            "account_figures",
            lambda: [
                account_figures(ledger, a, NOW, timelines.get(a, [])).to_json() for a in accounts
            ],
        )
        _timed(
            timings,
            "replace_account_figures",
            lambda: replace_account_figures(session, ws, figures, NOW),
        )
        facts = _timed(
            timings,
            "workspace_facts",
            lambda: list(iter_workspace_facts(ledger, NOW, timelines=timelines)),
        )
        _timed(
            timings,
            "replace_workspace_facts",
            lambda: replace_workspace_facts(session, ws, facts),
        )
        paused.__exit__(None, None, None)
        timings["facts_count"] = len(facts)
    return timings


def run_scale(scale: int, profile: bool) -> None:
    world = generate_world(
        now=NOW,
        customers=1000 * scale,
        subscriptions=1000 * scale,
        invoices=12_000 * scale,
        wide_invoice_lines=25,
    )
    with tempfile.TemporaryDirectory() as tmp:
        world.to_folder(Path(tmp) / "world")
        db = Database.connect(f"sqlite:///{tmp}/bench.db", migrate=True)
        started = time.perf_counter()
        report = ingest_folder(db, "bench", Path(tmp) / "world", NOW, settings=Settings())
        ingest = time.perf_counter() - started
        step6_in_ingest = ingest  # the ingest ran step 6 once too (warms caches)
        timings = _phases(db, "bench", report.window_start)
        started = time.perf_counter()
        stats: Any = None
        with db.session() as session:
            if profile:
                profiler = cProfile.Profile()
                profiler.enable()
            run_account_billing(session, "bench", NOW, report.window_start)
            if profile:
                profiler.disable()
                stats = pstats.Stats(profiler)
        whole = time.perf_counter() - started
        db.engine.dispose()
    print(
        f"world x{scale}: {len(world.customers)} customers, {len(world.subscriptions)} "
        f"subscriptions, {len(world.invoices)} invoices"
    )
    print(f"  ingest from files (steps 1-6): {step6_in_ingest:.2f} s")
    for name, value in timings.items():
        shown = f"{value:8.0f}" if name == "facts_count" else f"{value:8.2f} s"
        print(f"  {name:<26}{shown}")
    print(f"  step 6 end to end          {whole:8.2f} s")
    if stats is not None:
        stats.sort_stats("cumulative").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also run 10k / 10k / 120k")
    parser.add_argument("--profile", action="store_true", help="cProfile step 6 at 1k")
    args = parser.parse_args()
    run_scale(1, args.profile)
    if args.full:
        run_scale(10, False)


if __name__ == "__main__":
    main()
