"""The backfill (SPEC §5): six steps from a ``Source`` into storage, under a lease.

Products → Prices → Customers → Subscriptions → Invoices → Account billing.

Short transactions: steps 1-5 commit page by page into the synced Stripe
tables (idempotent upserts), so the database's write lock is never held while
Stripe is paged: on SQLite (WAL) a webhook acknowledgement or a second
``revbot sync`` waits at most one page's write. Readers' figures are not
touched until step 6 swaps in the new ones, so a sync that dies halfway leaves
the previous figures readable and consistent; the next run completes it, and
re-runs give identical rows.

The workspace's sync lease lives in its own short transactions: it is renewed
(and so checked: ``LeaseLost`` stops a worker whose lease was taken over) at
every page, and while a page is awaited, so a step may last longer than the
lease. It carries the current step, and is released on every exit. The
newest event id is read first and stored as the Events catch-up cursor on
success, so changes made while the backfill runs are replayed.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from billing.models import Customer, Discount, Invoice, Subscription
from core.clock import wall_now
from core.settings import Settings
from storage import event_log, ledger_reads, stripe_objects
from storage.connections import record_sync_result, set_events_cursor
from storage.db import Database
from storage.freshness import mark_backfilled
from storage.leases import Lease, LeaseLost, acquire_lease, heartbeat, release_lease
from storage.models import SyncRun
from storage.workspaces import ensure_workspace
from sync.account_billing import run_account_billing
from sync.client import StripeReadClient
from sync.coupons import resolve_missing_coupons
from sync.errors import StripeSyncError
from sync.readers import (
    invoice_lines,
    read_coupon,
    read_customer,
    read_discount,
    read_event,
    read_invoice,
    read_price,
    read_product,
    read_subscription,
    ts,
)
from sync.sources import ApiSource, Obj, Pages, Source

STEP_NAMES = ("Products", "Prices", "Customers", "Subscriptions", "Invoices", "Account billing")
Progress = Callable[[int, str, int, "int | None"], None]
T = TypeVar("T")
# A lease renewed this recently (or within a quarter of its term) still has most of its
# term ahead: no other worker can hold it, so a page's renewal is skipped (a write less).
RENEWED_RECENTLY = 1.0


@dataclass
class SyncReport:
    """What one sync run did (also what the status card and CLI show)."""

    workspace_id: str
    kind: str
    run_id: int | None
    status: str  # succeeded | failed
    window_start: datetime
    started_at: datetime
    finished_at: datetime
    duration_ms: int
    counts: dict[str, int] = field(default_factory=dict)  # objects read this run
    record_counts: dict[str, int] = field(default_factory=dict)  # rows now stored
    match_counts: dict[str, int] = field(default_factory=dict)
    request_count: int = 0
    events_cursor: str | None = None
    step: int = 0
    error_text: str | None = None
    error_detail: str | None = None
    notes: list[str] = field(default_factory=list)
    # Seconds spent waiting for pages, parsing, writing, and in step 6 (see ``_Run.timed``).
    timings: dict[str, float] = field(default_factory=dict)


class SyncFailed(RuntimeError):
    """A sync stopped; ``report`` holds what it did and the user-facing error."""

    def __init__(self, report: SyncReport) -> None:
        super().__init__(f"{report.error_text}: {report.error_detail}")
        self.report = report


def window_start_for(now: datetime, since: date | datetime | None, months: int) -> datetime:
    """Start of the synced window: ``since`` (a date, midnight UTC) or ``months`` back."""
    if since is None:
        return now - relativedelta(months=months)
    if isinstance(since, datetime):
        return since.astimezone(UTC) if since.tzinfo else since.replace(tzinfo=UTC)
    return datetime(since.year, since.month, since.day, tzinfo=UTC)


def subscription_in_window(sub: Subscription, window_start: datetime) -> bool:
    """Created in the window, or still running (not ended before it)."""
    return sub.created >= window_start or sub.ended_at is None or sub.ended_at >= window_start


def as_source(source: Source | StripeReadClient) -> Source:
    return ApiSource(source) if isinstance(source, StripeReadClient) else source


class _Run:
    """State of one backfill run: lease upkeep, progress, counters."""

    def __init__(
        self,
        db: Database,
        ws: str,
        source: Source,
        settings: Settings,
        now: datetime,
        window_start: datetime,
        progress: Progress | None,
        lease: Lease,
    ) -> None:
        self.db, self.ws, self.source, self.settings = db, ws, source, settings
        self.now, self.window_start, self.lease = now, window_start, lease
        self.progress = progress
        self.clock0 = time.monotonic()
        self.renewed = self.clock0
        self.step = 0
        self.run_id: int | None = None
        self.counts: dict[str, int] = {}
        self.timings: dict[str, float] = {}

    @contextmanager
    def timed(self, phase: str, step_name: str | None = None) -> Iterator[None]:
        """Add the time spent inside to ``timings[phase]`` (and to "phase step_name")."""
        started = time.perf_counter()
        try:
            yield
        finally:
            spent = time.perf_counter() - started
            for key in (phase, f"{phase} {step_name}") if step_name else (phase,):
                self.timings[key] = self.timings.get(key, 0.0) + spent

    def renew_lease(self, *, force: bool = False) -> None:
        """Extend the lease in its own transaction (``LeaseLost`` if it was taken over).

        Called at every page and while pages are awaited; skipped when the lease
        was renewed less than ``RENEWED_RECENTLY`` seconds (or a quarter of its
        term) ago, unless ``force``.
        """
        ttl = self.settings.sync_lease_seconds
        if not force and time.monotonic() - self.renewed < min(RENEWED_RECENTLY, ttl / 4):
            return
        heartbeat(self.db, self.lease, wall_now(), ttl, step=self.step, run_id=self.run_id)
        self.renewed = time.monotonic()

    def write(self, work: Callable[[Session], T], step_name: str | None = None) -> T:
        """Run ``work`` in a short transaction of its own (committed on return)."""
        with self.timed("write", step_name), self.db.session() as session:
            return work(session)

    def report(self, step_name: str, done: int, total: int | None) -> None:
        if self.progress is not None:
            self.progress(self.step, step_name, done, total)

    def start_step(self, index: int) -> None:
        self.step = index
        self.renew_lease(force=True)
        with self.db.session() as session:
            run = session.get(SyncRun, self.run_id)
            if run is not None:
                run.step, run.step_name, run.request_count = (
                    index,
                    STEP_NAMES[index - 1],
                    self.source.request_count,
                )


def _ingest_pages(
    run: _Run,
    name: str,
    total: int | None,
    pages: Pages,
    parse: Callable[[list[Obj]], T],
    write: Callable[[Session, T], int],
) -> int:
    """Parse and write page after page, each page in its own transaction, renewing the
    lease at every page (the source fetches ahead meanwhile)."""
    done = 0
    run.report(name, 0, total)
    while True:
        with run.timed("fetch_wait", name):
            page = next(pages, None)
        if page is None:
            return done
        with run.timed("parse", name):
            parsed = parse(page)
        run.renew_lease()
        done += run.write(lambda session: write(session, parsed), name)  # noqa: B023 (called at once)
        run.report(name, done, total)


def _step_products(run: _Run) -> None:
    run.counts["products"] = _ingest_pages(
        run,
        "Products",
        run.source.total("products"),
        run.source.products(),
        lambda page: [read_product(o) for o in page],
        lambda session, products: stripe_objects.upsert_products(session, run.ws, products),
    )


def _step_prices(run: _Run) -> None:
    run.counts["prices"] = _ingest_pages(
        run,
        "Prices",
        run.source.total("prices"),
        run.source.prices(),
        lambda page: [read_price(o) for o in page],
        lambda session, prices: stripe_objects.upsert_prices(session, run.ws, prices),
    )


def _step_customers(run: _Run) -> None:
    seen: set[str] = set()

    def parse(page: list[Obj]) -> tuple[list[Customer], list[str]]:
        alive = [read_customer(o) for o in page if not o.get("deleted")]
        return alive, [o["id"] for o in page if o.get("deleted")]

    def write(session: Session, parsed: tuple[list[Customer], list[str]]) -> int:
        alive, deleted = parsed
        seen.update(c.id for c in alive)
        stripe_objects.mark_customers_deleted(session, run.ws, deleted)
        return stripe_objects.upsert_customers(session, run.ws, alive)

    pages = run.source.customers()
    run.counts["customers"] = _ingest_pages(
        run, "Customers", run.source.total("customers"), pages, parse, write
    )

    # The list is complete: customers Stripe no longer lists were deleted.
    def mark_unlisted(session: Session) -> int:
        gone = {o["id"] for o in run.source.deleted_customers()}
        gone |= stripe_objects.customer_ids(session, run.ws) - seen
        return stripe_objects.mark_customers_deleted(session, run.ws, gone)

    run.counts["customers_deleted"] = run.write(mark_unlisted)


def _step_subscriptions(run: _Run) -> None:
    run.write(
        lambda session: stripe_objects.upsert_coupons(
            session, run.ws, (read_coupon(o) for o in run.source.coupons())
        )
    )
    skipped = 0

    def parse(page: list[Obj]) -> list[Subscription]:
        nonlocal skipped
        subs = [read_subscription(o, run.source.subscription_items(o)) for o in page]
        kept = [s for s in subs if subscription_in_window(s, run.window_start)]
        skipped += len(subs) - len(kept)
        return kept

    pages = run.source.subscriptions(run.window_start)
    run.counts["subscriptions"] = _ingest_pages(
        run,
        "Subscriptions",
        run.source.total("subscriptions"),
        pages,
        parse,
        lambda session, subs: stripe_objects.upsert_subscriptions(session, run.ws, subs),
    )
    run.counts["subscriptions_outside_window"] = skipped


def named_discounts(
    invoice: Obj, lines: list[Obj], lookup: Callable[[str], Obj | None]
) -> Iterator[tuple[Discount, int]]:
    """Discounts an invoice and its lines name, with their position in each list.

    Expanded ones are read as they come; an id alone is resolved by ``lookup``
    (the file source's ``discounts.json``) and skipped when unknown.
    """
    legacy = invoice.get("discount")  # pre-2025: one expanded discount
    named = [
        invoice.get("discounts") or (),
        [legacy] if isinstance(legacy, dict) else (),
        *(line.get("discounts") or () for line in lines),
    ]
    for values in named:
        for position, value in enumerate(values):
            obj = value if isinstance(value, dict) else lookup(value) if value else None
            discount = read_discount(obj) if obj is not None else None
            if discount is not None:
                yield discount, position


def _step_invoices(run: _Run) -> None:
    start = run.window_start
    ParsedPage = tuple[list[Invoice], list[tuple[Discount, int]], dict[str, stripe_objects.Contact]]
    contacts: dict[str, stripe_objects.Contact] = {}  # newest invoice first: its copy wins

    def parse(page: list[Obj]) -> ParsedPage:
        invoices: list[Invoice] = []
        discounts: list[tuple[Discount, int]] = []
        named: dict[str, stripe_objects.Contact] = {}
        for o in page:
            if (ts(o.get("created")) or start) < start:
                continue
            paged = run.source.invoice_lines(o)
            invoices.append(read_invoice(o, paged))
            lines = paged if paged is not None else invoice_lines(o)
            discounts.extend(named_discounts(o, lines, run.source.discount))
            if isinstance(o.get("customer"), str):
                named.setdefault(o["customer"], (o.get("customer_name"), o.get("customer_email")))
        return invoices, discounts, named

    def write(session: Session, parsed: ParsedPage) -> int:
        invoices, discounts, named = parsed
        for customer, contact in named.items():
            contacts.setdefault(customer, contact)
        stripe_objects.upsert_referenced_discounts(session, run.ws, discounts)
        return stripe_objects.upsert_invoices(session, run.ws, invoices)

    pages = run.source.invoices(start)
    run.counts["invoices"] = _ingest_pages(
        run, "Invoices", run.source.total("invoices"), pages, parse, write
    )
    # Subscriptions and invoices of deleted customers still need their customer row.
    added = run.write(
        lambda session: stripe_objects.add_referenced_customers(session, run.ws, contacts)
    )
    run.counts["customers_deleted"] = run.counts.get("customers_deleted", 0) + added
    # Item discounts on coupons deleted in Stripe: expanded where a list reaches them.
    resolve_missing_coupons(run.write, run.ws, run.source.reader())


# Stripe keeps events this long: the reach of a backfill's failure times.
EVENT_RETENTION = timedelta(days=30)


def _record_payment_failures(run: _Run, cursor: Obj | None) -> None:
    """Record the ``invoice.payment_failed`` events of the last 30 days, so a retry that
    failed last week counts as a failure last week (an invoice dates only its first).

    Only events up to the catch-up cursor: the invoices just read already hold their
    outcome, and the catch-up applies whatever came after (an event recorded here is one
    it would skip as already seen)."""
    if cursor is None:
        return  # the account has no events at all
    newest = int(cursor.get("created") or 0)
    events = [
        e
        for e in run.source.payment_failed_events(run.now - EVENT_RETENTION)
        if int(e.get("created") or 0) <= newest
    ]

    def record(session: Session) -> int:
        return sum(
            event_log.record_event(
                session,
                run.ws,
                event_id=event.id,
                type_=event.type,
                created=event.created,
                object_id=event.object_id,
                api_version=event.api_version,
                payload=raw,
                source="backfill",
                status=event_log.APPLIED,
                now=run.now,
            )
            for raw, event in ((e, read_event(e)) for e in events)
        )

    run.counts["payment_failures"] = run.write(record)


def _step_account_billing(run: _Run) -> dict[str, int]:
    run.report("Account billing", 0, None)
    try:
        with run.timed("account_billing"), run.db.session() as session:
            result = run_account_billing(session, run.ws, run.now, run.window_start)
    except NotImplementedError:
        return {}
    run.report("Account billing", 1, 1)
    return dict(result or {})


def _classify(exc: BaseException) -> tuple[str, str]:
    if isinstance(exc, StripeSyncError):
        return str(exc.user_message), exc.detail
    if isinstance(exc, LeaseLost):
        return "Sync interrupted — another worker took over", str(exc)
    return "Sync failed", f"{type(exc).__name__}: {exc}"


def run_backfill(
    db: Database,
    workspace_id: str,
    source: Source | StripeReadClient,
    settings: Settings,
    now: datetime,
    since: date | datetime | None = None,
    progress: Progress | None = None,
    *,
    holder: str | None = None,
) -> SyncReport:
    """Run the six steps for ``workspace_id``; raises ``SyncAlreadyRunning`` or ``SyncFailed``."""
    src = as_source(source)
    window_start = window_start_for(now, since, settings.backfill_months)
    with db.session() as session:
        ensure_workspace(session, workspace_id, now)
    # The lease runs on the wall clock; ``now`` (perhaps REVBOT_NOW) is the business date.
    lease = acquire_lease(
        db, workspace_id, holder or uuid.uuid4().hex, wall_now(), settings.sync_lease_seconds
    )
    run = _Run(db, workspace_id, src, settings, now, window_start, progress, lease)
    try:
        return _run_steps(run)
    finally:
        release_lease(db, lease)


def _run_steps(run: _Run) -> SyncReport:
    with run.db.session() as session:
        row = SyncRun(
            workspace_id=run.ws,
            kind=run.source.kind,
            status="running",
            step=0,
            started_at=run.now,
            counts={},
            request_count=0,
        )
        session.add(row)
        session.flush()
        run.run_id = row.id
    match_counts: dict[str, int] = {}
    cursor: Obj | None = None
    try:
        cursor = run.source.newest_event()
        begin = getattr(run.source, "begin", None)
        if begin is not None:  # fetch every list ahead from now on (read after the cursor)
            begin(run.window_start, idle=run.renew_lease)
        steps: Iterable[Callable[[_Run], Any]] = (
            _step_products,
            _step_prices,
            _step_customers,
            _step_subscriptions,
            _step_invoices,
        )
        for index, step in enumerate(steps, start=1):
            run.start_step(index)
            with run.timed(f"step {index}"):
                step(run)
        with run.timed("payment failures"):  # still step 5: when invoices failed
            _record_payment_failures(run, cursor)
        close = getattr(run.source, "close", None)
        if close is not None:
            close()
        run.start_step(6)
        with run.timed("step 6"):
            match_counts = _step_account_billing(run)
    except BaseException as exc:
        close = getattr(run.source, "close", None)
        if close is not None:  # stop fetching ahead for steps that will not run
            close()
        text, detail = _classify(exc)
        report = _finish(run, "failed", match_counts, None, text, detail)
        if isinstance(exc, Exception):
            raise SyncFailed(report) from exc
        raise
    return _finish(run, "succeeded", match_counts, cursor, None, None)


def _finish(
    run: _Run,
    status: str,
    match_counts: dict[str, int],
    cursor: Obj | None,
    error_text: str | None,
    error_detail: str | None,
) -> SyncReport:
    elapsed_ms = int((time.monotonic() - run.clock0) * 1000)
    finished = run.now + timedelta(milliseconds=elapsed_ms)
    with run.db.session() as session:
        stored = ledger_reads.record_counts(session, run.ws)
        row = session.get(SyncRun, run.run_id)
        if row is not None:
            row.status, row.finished_at, row.error = (
                status,
                finished,
                error_text and f"{error_text}: {error_detail}",
            )
            row.counts = dict(run.counts)
            row.request_count = run.source.request_count
            row.step = run.step
        record_sync_result(
            session,
            run.ws,
            finished_at=finished,
            duration_ms=elapsed_ms,
            error_text=error_text,
            error_detail=error_detail,
            record_counts=stored,
            match_counts=match_counts,
            window_start=run.window_start,
        )
        if cursor is not None:
            set_events_cursor(
                session, run.ws, cursor.get("id"), ts(cursor.get("created")), finished
            )
            read_after = ts(cursor.get("created"))
            if read_after is not None:  # rows now hold state at least this new
                mark_backfilled(session, run.ws, read_after, run.window_start)
    return SyncReport(
        workspace_id=run.ws,
        kind=run.source.kind,
        run_id=run.run_id,
        status=status,
        window_start=run.window_start,
        started_at=run.now,
        finished_at=finished,
        duration_ms=elapsed_ms,
        counts=dict(run.counts),
        record_counts=stored,
        match_counts=match_counts,
        request_count=run.source.request_count,
        events_cursor=cursor.get("id") if cursor else None,
        timings=dict(run.timings),
        step=run.step,
        error_text=error_text,
        error_detail=error_detail,
    )
