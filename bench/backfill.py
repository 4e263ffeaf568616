"""Backfill benchmark (SPEC §13): requests vs minimum pages, time vs rate-limit floor, memory.

    .venv/bin/python bench/backfill.py            # scaled-down world (1/10)
    .venv/bin/python bench/backfill.py --full     # 10k customers / subscriptions, 120k invoices

A generated world is served by the Stripe test server with 50 ms injected
latency, in a child process (as Stripe is elsewhere: its CPU and its copy of
the world are not the sync's), and the API backfill runs at 25 req/s into a
fresh SQLite database. Peak memory is the sync process's peak resident set
(``--tracemalloc`` adds the Python heap peak, at a large cost in speed).
Prints PASS/FAIL per budget line (run as a script, exits 1 when one fails).
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.settings import Settings
from storage.db import Database
from sync.backfill import SyncReport, run_backfill
from sync.client import StripeReadClient
from sync.sources import ApiSource

NOW = datetime(2027, 2, 15, 12, tzinfo=UTC)
WINDOW_START = NOW.replace(year=NOW.year - 1)
REQUESTS_BUDGET = 1.05  # x minimum list pages
TIME_BUDGET = 1.2  # x rate-limit floor
MEMORY_BUDGET_MB = 300


def _serve(conn: Connection, scale: int, latency: float) -> None:
    """Child process: generate the world, serve it, report its size, wait to be stopped."""
    # lazy: only the server's child process generates and serves the world
    from tests.stripe_server import StripeTestServer
    from tests.stripe_server.generate import generate_world
    from tests.stripe_server.helpers import minimum_pages

    world = generate_world(
        now=NOW,
        customers=10_000 // scale,
        subscriptions=10_000 // scale,
        invoices=120_000 // scale,
        wide_invoice_lines=25,
    )
    sizes = {
        "customers": len(world.customers),
        "subscriptions": len(world.subscriptions),
        "invoices": len(world.invoices),
    }
    with StripeTestServer(world) as server:
        server.set_latency(latency)
        conn.send((server.url, minimum_pages(world, WINDOW_START), sizes))
        conn.recv()  # stop


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _run_sync(url: str, args: argparse.Namespace, tmp: str) -> tuple[SyncReport, float, Any]:
    db = Database.connect(f"sqlite:///{tmp}/bench.db", migrate=True)
    client = StripeReadClient("rk_test_bench0000", api_base=url, rate_limit=args.rate)
    step_starts: dict[str, float] = {}
    step_peaks: dict[str, float] = {}
    started = time.monotonic()

    def progress(step: int, name: str, done: int, total: int | None) -> None:
        if name not in step_starts:
            step_starts[name] = time.monotonic() - started
            step_peaks[name] = _rss_mb()  # the peak so far: everything before this step

    if args.tracemalloc:
        tracemalloc.start()
    report = run_backfill(
        db,
        "bench",
        ApiSource(client, invoice_streams=args.streams),
        Settings(),
        NOW,
        progress=progress,
    )
    elapsed = time.monotonic() - started
    traced = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
    tracemalloc.stop()
    db.engine.dispose()
    return report, elapsed, (step_starts, step_peaks, traced)


def main() -> bool:
    """Run the benchmark; True when every budget line passes."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--full", action="store_true", help="10k/10k/120k instead of 1k/1k/12k")
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--rate", type=float, default=25.0)
    parser.add_argument("--streams", type=int, default=2, help="parallel invoice slices")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace the Python heap")
    args = parser.parse_args()
    scale = 1 if args.full else 10
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    server = context.Process(target=_serve, args=(child, scale, args.latency), daemon=True)
    server.start()
    try:
        url, minimum, sizes = parent.recv()
        base_mb = _rss_mb()
        with tempfile.TemporaryDirectory() as tmp:
            report, elapsed, (step_starts, step_peaks, traced) = _run_sync(url, args, tmp)
        peak_mb = _rss_mb()
    finally:
        parent.send("stop")
        server.join(timeout=10)
    ok = _print_report(args, sizes, minimum, report, elapsed, step_starts, peak_mb, base_mb)
    ingest_peak = step_peaks.get("Account billing", peak_mb)
    print(f"  (resident peak before step 6: {ingest_peak:.0f} MB; in step 6: {peak_mb:.0f} MB)")
    if traced is not None:
        print(f"  (python heap peak traced: {traced / 2**20:.0f} MB)")
    return ok


def _print_report(
    args: argparse.Namespace,
    sizes: dict[str, int],
    minimum: int,
    report: SyncReport,
    elapsed: float,
    step_starts: dict[str, float],
    peak_mb: float,
    base_mb: float,
) -> bool:
    floor = minimum / args.rate
    t = report.timings
    ingest = sum(t.get(f"step {i}", 0.0) for i in range(1, 6))
    step6 = t.get("step 6", 0.0)
    per_100 = 100 / max(1, report.counts.get("invoices", 0))
    invoice_cpu = (t.get("parse Invoices", 0.0) + t.get("write Invoices", 0.0)) * per_100
    print(
        f"world: {sizes['customers']} customers, {sizes['subscriptions']} subscriptions, "
        f"{sizes['invoices']} invoices; latency {args.latency * 1000:.0f} ms, {args.rate:g} req/s"
    )
    print(f"records: {report.record_counts}")
    print("step start times (s): " + ", ".join(f"{k} {v:.1f}" for k, v in step_starts.items()))
    print(
        f"where the time went: waiting for pages {t.get('fetch_wait', 0):.1f} s, "
        f"parsing {t.get('parse', 0):.1f} s, writing {t.get('write', 0):.1f} s "
        f"(steps 1-5: {ingest:.1f} s = {ingest / floor:.2f}x floor); "
        f"step 6 (account billing) {step6:.1f} s"
    )
    print(
        f"invoice ingest: {invoice_cpu * 1000:.1f} ms of parsing + writing per 100 invoices "
        f"(parse {t.get('parse Invoices', 0) * per_100 * 1000:.1f} ms, "
        f"write {t.get('write Invoices', 0) * per_100 * 1000:.1f} ms)"
    )
    checks = [
        (
            report.request_count <= REQUESTS_BUDGET * minimum,
            f"requests: {report.request_count} vs minimum pages {minimum} "
            f"({report.request_count / minimum:.3f}x, budget <= {REQUESTS_BUDGET}x)",
        ),
        (
            elapsed <= TIME_BUDGET * floor,
            f"wall time: {elapsed:.1f} s vs rate-limit floor {floor:.1f} s "
            f"({elapsed / floor:.2f}x, budget <= {TIME_BUDGET}x)",
        ),
        (
            peak_mb < MEMORY_BUDGET_MB,
            f"peak memory: {peak_mb:.0f} MB resident (process start {base_mb:.0f} MB; "
            f"budget < {MEMORY_BUDGET_MB} MB)",
        ),
    ]
    for ok, line in checks:
        print(f"{_verdict(ok)}  {line}")
    return all(ok for ok, _ in checks)


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
