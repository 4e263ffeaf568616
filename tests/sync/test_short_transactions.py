"""Short transactions during a backfill (issue 13): pages commit one by one, the lease
is renewed at every page and while Stripe stalls, a second sync is refused while the
first waits on Stripe, and a sync that dies halfway leaves the previous figures as they
were until a later run completes it."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from core.clock import wall_now
from storage.db import Database
from storage.leases import SyncAlreadyRunning, acquire_lease, current_lease
from storage.models import InvoiceRow
from sync.backfill import SyncFailed, SyncReport, run_backfill
from testkit.stripe_server import Failure, StripeTestServer, StripeWorld
from tests.stripe_server.helpers import dump_tables, make_client, settings

NOW = datetime(2027, 2, 15, 12, tzinfo=UTC)
FIGURE_TABLES = ("account_figures", "account_mrr_history", "answer_facts")


class Background:
    """A backfill running in a thread, with the progress it has reported."""

    def __init__(self, db: Database, server: StripeTestServer, **options: Any) -> None:
        self.steps: list[tuple[int, int]] = []
        self.written = threading.Event()  # the first invoice pages are committed
        self.report: SyncReport | None = None
        self.error: BaseException | None = None
        self._options = options
        self._args = (db, "local", make_client(server), options.pop("config", settings()), NOW)
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _progress(self, step: int, name: str, done: int, total: int | None) -> None:
        self.steps.append((step, done))
        if step == 5 and done >= 200:
            self.written.set()

    def _run(self) -> None:
        try:
            self.report = run_backfill(*self._args, progress=self._progress, **self._options)
        except BaseException as exc:  # handed to the test
            self.error = exc

    def start(self) -> Background:
        self._thread.start()
        return self

    def join(self) -> SyncReport:
        self._thread.join(30)
        assert not self._thread.is_alive(), "the backfill did not finish"
        if self.error is not None:
            raise self.error
        assert self.report is not None
        return self.report


def _sqlite_path(db: Database) -> str | None:
    url = db.engine.url
    return url.database if url.get_backend_name() == "sqlite" else None


def _invoice_rows(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(InvoiceRow)) or 0)


def test_pages_commit_one_by_one_and_a_second_sync_is_refused_while_stripe_stalls(
    db: Database, stripe_server: StripeTestServer
) -> None:
    # Two invoice pages are answered, then Stripe stalls on the third.
    hold = stripe_server.hold("/v1/invoices", after=2)
    first = Background(db, stripe_server).start()
    assert first.written.wait(20) and hold.reached.wait(20)
    # The pages written so far are committed: other connections see them ...
    assert _invoice_rows(db) == 200
    path = _sqlite_path(db)
    if path is not None:
        # ... and nothing holds SQLite's write lock while the sync waits on Stripe:
        # another writer (a webhook acknowledgement) takes it without waiting at all.
        other = sqlite3.connect(path, timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
        finally:
            other.close()
    # A second sync is refused there and then, naming the running step and (wall) start.
    with pytest.raises(SyncAlreadyRunning) as refused:
        run_backfill(db, "local", make_client(stripe_server), settings(), NOW)
    lease = current_lease(db, "local")
    assert lease is not None
    started = lease.started_at.astimezone(UTC)
    assert refused.value.message() == (
        f"a sync is already running (step 5 of 6, started {started:%H:%M})"
    )
    assert abs(started - wall_now()) < timedelta(minutes=5)  # real time, not REVBOT_NOW's
    hold.release()
    report = first.join()
    assert report.status == "succeeded" and report.record_counts["invoices"] == 502
    assert current_lease(db, "local") is None


def test_a_step_longer_than_the_lease_completes(
    db: Database, stripe_server: StripeTestServer
) -> None:
    ttl = 1
    short_lease = settings().model_copy(update={"sync_lease_seconds": ttl})
    hold = stripe_server.hold("/v1/invoices", after=1)
    started = time.monotonic()
    first = Background(db, stripe_server, config=short_lease).start()
    assert hold.reached.wait(20)
    time.sleep(2.5 * ttl)  # Stripe stalls for longer than the lease lasts
    # The lease was renewed while the sync waited: nobody can take it over.
    assert time.monotonic() - started > 2 * ttl
    with pytest.raises(SyncAlreadyRunning):
        acquire_lease(db, "local", "another-worker", wall_now(), ttl)
    hold.release()
    report = first.join()
    assert report.status == "succeeded"
    assert report.timings["step 5"] > 2 * ttl
    assert current_lease(db, "local") is None


def _mark_open_invoices_paid(world: StripeWorld) -> list[str]:
    changed = []
    for invoice in world.invoices:
        if invoice["status"] == "open":
            invoice["status"] = "paid"
            invoice["amount_paid"], invoice["amount_remaining"] = invoice["amount_due"], 0
            changed.append(invoice["id"])
    return changed


def test_a_sync_dying_halfway_leaves_the_previous_figures_and_the_next_run_completes_it(
    db: Database, stripe_server: StripeTestServer, stripe_world: StripeWorld
) -> None:
    run_backfill(db, "local", make_client(stripe_server), settings(), NOW)
    before = {name: dump_tables(db, "local")[name] for name in FIGURE_TABLES}
    assert all(before.values())
    # Stripe changed (open invoices were paid); the next sync dies on its third invoice page.
    paid = _mark_open_invoices_paid(stripe_world)
    assert paid
    stripe_server.set_world(stripe_world)
    stripe_server.inject(Failure(500, count=None, path_prefix="/v1/invoices", after=2))
    with pytest.raises(SyncFailed) as failed:
        run_backfill(db, "local", make_client(stripe_server, max_retries=1), settings(), NOW)
    assert failed.value.report.step == 5
    # Pages of the dead sync were committed (the newest invoices, paid now), while the
    # figures are the previous ones, untouched.
    with db.session() as session:
        query = select(InvoiceRow.id, InvoiceRow.status).where(InvoiceRow.id.in_(paid))
        stored = {invoice_id: status for invoice_id, status in session.execute(query)}
    assert "paid" in stored.values() and "open" in stored.values()
    after_failure = dump_tables(db, "local")
    assert {name: after_failure[name] for name in FIGURE_TABLES} == before
    # The next run completes it: figures equal those of a fresh sync of the new world.
    stripe_server.clear_failures()
    run_backfill(db, "local", make_client(stripe_server), settings(), NOW)
    run_backfill(db, "fresh", make_client(stripe_server), settings(), NOW)
    completed, fresh = dump_tables(db, "local"), dump_tables(db, "fresh")
    for name in FIGURE_TABLES:
        assert completed[name] == _renamed(fresh[name], "fresh", "local")
    # (paid invoices change figures and facts; month-end MRR history is billed, not paid)
    assert all(completed[name] != before[name] for name in ("account_figures", "answer_facts"))


def _renamed(rows: list[tuple[str, ...]], old: str, new: str) -> list[tuple[str, ...]]:
    return sorted(tuple(repr(new) if v == repr(old) else v for v in row) for row in rows)
