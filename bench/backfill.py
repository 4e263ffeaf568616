"""Backfill benchmark (SPEC §13, issue 14): time ÷ floor, requests ÷ pages, CPU, memory.

    .venv/bin/python -m bench.backfill                      # the table: 1k/10k/30k x 25/100 req/s
    .venv/bin/python -m bench.backfill --sizes 1 --rates 25 # one row (1k customers, test rate)
    .venv/bin/python -m bench.backfill --sizes 10 --detail  # also where each run's time went

Sizes are in thousands of customers: ``1`` is 1k customers / 1k subscriptions /
12k invoices, ``10`` is 10k / 10k / 120k, ``30`` is 30k / 30k / 350k. Each
world is generated once and served by the Stripe test server with 50 ms
injected latency (``--latency``) in a child process (as Stripe is elsewhere:
its CPU and its copy of the world are not the sync's). Each sync runs the API
backfill, figures included (all six steps), in a fresh child process into a
fresh SQLite database, at each rate of ``--rates`` (25 req/s: test keys; 100:
the live-key limit). Columns:

- ``x floor``: wall time ÷ the rate-limit floor (minimum pages ÷ rate);
- ``req/min``: requests made ÷ the minimum number of list pages;
- ``CPU s/1k inv``: the sync process's CPU time (user + system, every thread)
  per 1,000 invoices, end to end;
- ``peak RSS``: the sync process's peak resident set;
- ``load``: the machine's 1-minute load average when the run ended (the
  figures mean little on a loaded machine: rerun on a quiet one).

Budgets (issue 14) are printed under the table with PASS/FAIL; run as a script
it exits 1 when one fails.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

NOW = datetime(2027, 2, 15, 12, tzinfo=UTC)
WINDOW_START = NOW.replace(year=NOW.year - 1)
REQUESTS_BUDGET = 1.05  # x minimum list pages
TIME_BUDGET = {25.0: 1.2, 100.0: 1.5}  # x rate-limit floor, by rate
MEMORY_BUDGET_MB = 300
CPU_TARGET = 0.15  # s per 1k invoices
# Thousands of customers -> (customers, subscriptions, invoices).
SIZES = {1: (1_000, 1_000, 12_000), 10: (10_000, 10_000, 120_000), 30: (30_000, 30_000, 350_000)}


@dataclass
class RunResult:
    """One sync of one world at one rate."""

    customers: int
    invoices: int
    rate: float
    wall: float
    floor: float
    requests: int
    minimum: int
    cpu: float
    peak_mb: float
    load: float
    timings: dict[str, float]
    step_starts: dict[str, float]

    @property
    def x_floor(self) -> float:
        return self.wall / self.floor

    @property
    def cpu_per_1k(self) -> float:
        return self.cpu / max(1, self.invoices) * 1000


def _serve(conn: Connection, size: tuple[int, int, int], latency: float) -> None:
    """Child process: generate the world, serve it, report its size, wait to be stopped."""
    # lazy: only the server's child process generates and serves the world
    from testkit.stripe_server import StripeTestServer
    from testkit.stripe_server.generate import generate_world
    from testkit.stripe_server.pages import minimum_pages

    customers, subscriptions, invoices = size
    world = generate_world(
        now=NOW,
        customers=customers,
        subscriptions=subscriptions,
        invoices=invoices,
        wide_invoice_lines=25,
    )
    sizes = {"customers": len(world.customers), "invoices": len(world.invoices)}
    with StripeTestServer(world) as server:
        server.set_latency(latency)
        conn.send((server.url, minimum_pages(world, WINDOW_START), sizes))
        conn.recv()  # stop


def _sync(conn: Connection, url: str, rate: float, streams: int, tmp: str) -> None:
    """Child process: one backfill into a fresh SQLite database; reports its figures."""
    # lazy: imported in the child, so the parent's modules do not count in its memory
    from core.settings import Settings
    from storage.db import Database
    from sync.backfill import run_backfill
    from sync.client import StripeReadClient
    from sync.sources import ApiSource

    db = Database.connect(f"sqlite:///{tmp}/bench.db", migrate=True)
    client = StripeReadClient("rk_test_bench0000", api_base=url, rate_limit=rate)
    step_starts: dict[str, float] = {}
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu0 = usage.ru_utime + usage.ru_stime
    started = time.monotonic()

    def progress(step: int, name: str, done: int, total: int | None) -> None:
        step_starts.setdefault(name, time.monotonic() - started)

    report = run_backfill(
        db, "bench", ApiSource(client, invoice_streams=streams), Settings(), NOW, progress=progress
    )
    wall = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    db.engine.dispose()
    conn.send(
        {
            "wall": wall,
            "cpu": usage.ru_utime + usage.ru_stime - cpu0,
            "peak_mb": usage.ru_maxrss / 1024,  # KiB on Linux
            "requests": report.request_count,
            "invoices": report.counts.get("invoices", 0),
            "timings": report.timings,
            "step_starts": step_starts,
        }
    )


def _run_sync(url: str, rate: float, streams: int) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    with tempfile.TemporaryDirectory() as tmp:
        process = context.Process(target=_sync, args=(child, url, rate, streams, tmp))
        process.start()
        try:
            result: dict[str, Any] = parent.recv()
        except EOFError:
            raise RuntimeError(f"the sync child failed (exit code {process.exitcode})") from None
        finally:
            process.join(timeout=60)
    return result


def run_size(size: int, rates: list[float], latency: float, streams: int) -> list[RunResult]:
    """Generate and serve the world of ``size`` (thousands of customers); sync it per rate."""
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    server = context.Process(target=_serve, args=(child, SIZES[size], latency), daemon=True)
    server.start()
    results: list[RunResult] = []
    try:
        url, minimum, sizes = parent.recv()
        for rate in rates:
            got = _run_sync(url, rate, streams)
            results.append(
                RunResult(
                    customers=sizes["customers"],
                    invoices=got["invoices"],
                    rate=rate,
                    wall=got["wall"],
                    floor=minimum / rate,
                    requests=got["requests"],
                    minimum=minimum,
                    cpu=got["cpu"],
                    peak_mb=got["peak_mb"],
                    load=os.getloadavg()[0],
                    timings=got["timings"],
                    step_starts=got["step_starts"],
                )
            )
            print_row(results[-1], flush=True)
    finally:
        parent.send("stop")
        server.join(timeout=30)
    return results


HEADER = (
    f"{'customers':>9} {'invoices':>8} {'req/s':>5} {'wall s':>7} {'floor s':>7} "
    f"{'x floor':>7} {'requests':>8} {'min pages':>9} {'req/min':>7} "
    f"{'CPU s/1k inv':>12} {'peak RSS':>8} {'load':>5}"
)


def print_row(r: RunResult, *, flush: bool = False) -> None:
    print(
        f"{r.customers:>9} {r.invoices:>8} {r.rate:>5g} {r.wall:>7.1f} {r.floor:>7.1f} "
        f"{r.x_floor:>6.2f}x {r.requests:>8} {r.minimum:>9} {r.requests / r.minimum:>6.3f}x "
        f"{r.cpu_per_1k:>12.3f} {r.peak_mb:>5.0f} MB {r.load:>5.2f}",
        flush=flush,
    )


def print_detail(r: RunResult) -> None:
    t = r.timings
    starts = ", ".join(f"{k} {v:.1f}" for k, v in r.step_starts.items())
    print(
        f"  {r.customers} customers at {r.rate:g} req/s: step starts (s) {starts}; main thread "
        f"waited for pages {t.get('fetch_wait', 0):.1f} s, parsed {t.get('parse', 0):.1f} s, "
        f"wrote {t.get('write', 0):.1f} s; step 6 {t.get('step 6', 0):.1f} s"
    )


def budget_checks(results: list[RunResult]) -> list[tuple[bool, str]]:
    """Issue 14's budget lines for the runs made (10k and 30k customers)."""
    checks: list[tuple[bool, str]] = []
    for r in results:
        label = f"{r.customers} customers at {r.rate:g} req/s"
        if r.customers >= 10_000 and r.rate in TIME_BUDGET:
            budget = TIME_BUDGET[r.rate]
            checks.append((r.x_floor <= budget, f"{label}: {r.x_floor:.2f}x floor (<= {budget}x)"))
        checks.append(
            (
                r.requests <= REQUESTS_BUDGET * r.minimum,
                f"{label}: requests {r.requests / r.minimum:.3f}x minimum (<= {REQUESTS_BUDGET}x)",
            )
        )
        checks.append(
            (r.peak_mb < MEMORY_BUDGET_MB, f"{label}: peak {r.peak_mb:.0f} MB (< 300 MB)")
        )
        checks.append(
            (
                r.cpu_per_1k <= CPU_TARGET,
                f"{label}: CPU {r.cpu_per_1k:.3f} s per 1k invoices (<= {CPU_TARGET})",
            )
        )
    by_rate: dict[float, list[RunResult]] = {}
    for r in results:
        by_rate.setdefault(r.rate, []).append(r)
    for rate, runs in by_rate.items():
        big = [r for r in runs if r.customers >= 10_000]
        if len(big) >= 2:  # time per object flat from 10k to 30k (± 15 %)
            per = [r.wall / r.invoices for r in big]
            spread = max(per) / min(per) - 1
            checks.append(
                (spread <= 0.15, f"{rate:g} req/s: time per invoice 10k vs 30k {spread:+.0%}")
            )
    return checks


def main() -> bool:
    """Run the table; True when every budget line passes."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--sizes", default="1,10,30", help="thousands of customers, comma-separated (1, 10, 30)"
    )
    parser.add_argument("--rates", default="25,100", help="req/s, comma-separated")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--streams", type=int, default=2, help="parallel invoice slices")
    parser.add_argument("--detail", action="store_true", help="where each run's time went")
    parser.add_argument("--full", action="store_true", help="(old spelling of --sizes 10)")
    args = parser.parse_args()
    sizes = [10] if args.full else [int(s) for s in args.sizes.split(",")]
    rates = [float(r) for r in args.rates.split(",")]
    print(
        f"backfill, {args.latency * 1000:.0f} ms latency, {os.cpu_count()} CPUs, "
        f"load average at start {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(HEADER, flush=True)
    results = [r for size in sizes for r in run_size(size, rates, args.latency, args.streams)]
    if args.detail:
        for r in results:
            print_detail(r)
    checks = budget_checks(results)
    for ok, line in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {line}")
    print(f"load average at end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return all(ok for ok, _ in checks)


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
