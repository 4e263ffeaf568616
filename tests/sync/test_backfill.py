"""The API backfill against the Stripe test server: steps, window, pages, idempotence."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from billing.ledger import Ledger
from core.clock import wall_now
from storage.connections import get_connection
from storage.db import Database
from storage.leases import SyncAlreadyRunning, acquire_lease, current_lease
from storage.ledger_reads import load_ledger
from storage.models import (
    CustomerRow,
    InvoiceLineRow,
    InvoiceRow,
    SubscriptionItemRow,
    SubscriptionRow,
    SyncRun,
)
from sync.backfill import STEP_NAMES, SyncFailed, run_backfill
from sync.readers import read_customer, read_invoice, read_subscription
from sync.sources import ApiSource
from testkit.stripe_server import Failure, StripeTestServer, StripeWorld
from testkit.stripe_server.generate import generate_world
from testkit.stripe_server.pages import minimum_pages
from tests.stripe_server.helpers import dump_tables, make_client, settings
from tests.support.paths import WORLD

NOW = datetime(2027, 2, 15, 12, tzinfo=UTC)
WINDOW_START = datetime(2026, 2, 15, 12, tzinfo=UTC)
WORLD_META = json.loads((WORLD / "world.json").read_text())


def _backfill(db: Database, server: StripeTestServer, ws: str = "local", **kwargs: object):
    return run_backfill(db, ws, make_client(server), settings(), NOW, **kwargs)  # type: ignore[arg-type]


def _ledger(db: Database, ws: str = "local") -> Ledger:
    with db.session() as session:
        return load_ledger(session, ws, WINDOW_START)


def _recent_failures(world: StripeWorld) -> dict[str, tuple[datetime, ...]]:
    """Invoice id -> its ``invoice.payment_failed`` instants of the 30 days before NOW."""
    out: dict[str, list[datetime]] = {}
    for event in world.events:
        at = datetime.fromtimestamp(event["created"], tz=UTC)
        if event["type"] == "invoice.payment_failed" and at >= NOW - timedelta(days=30):
            out.setdefault(event["data"]["object"]["id"], []).append(at)
    return {invoice: tuple(sorted(times)) for invoice, times in out.items()}


def test_shared_world_backfill_stores_every_object_of_the_window(
    db: Database, stripe_server: StripeTestServer, stripe_world: StripeWorld
) -> None:
    steps: list[tuple[int, str]] = []
    report = _backfill(
        db, stripe_server, progress=lambda i, name, done, total: steps.append((i, name))
    )
    assert report.status == "succeeded"
    assert [name for _, name in dict.fromkeys(steps)] == list(STEP_NAMES)
    assert sorted({i for i, _ in steps}) == [1, 2, 3, 4, 5, 6]
    counts = WORLD_META["counts"]
    in_window = [i for i in stripe_world.invoices if i["created"] >= WINDOW_START.timestamp()]
    assert report.record_counts == {
        "products": counts["products"],
        "prices": counts["prices"],
        "customers": counts["customers"],
        "customers_deleted": counts["customers_deleted"],
        "subscriptions": counts["subscriptions"],
        "invoices": len(in_window),
    }
    ledger = _ledger(db)
    # Everything read back equals what the tolerant readers make of the files, each invoice
    # with the instants its payments failed in the 30 days events reach back.
    failed = _recent_failures(stripe_world)
    assert any(len(times) > 1 for times in failed.values())  # retries, not only firsts
    for obj in in_window:
        expected = read_invoice(obj, obj.get("_all_lines"))
        expected = replace(expected, failed_at=failed.get(obj["id"], ()))
        assert ledger.invoices[obj["id"]] == expected
    wide = next(i for i in in_window if "_all_lines" in i)
    assert len(ledger.invoices[wide["id"]].lines) == len(wide["_all_lines"]) > 10
    for obj in stripe_world.subscriptions:
        expected = read_subscription(obj)
        got = ledger.subscriptions[obj["id"]]
        assert got.discounts == expected.discounts
        assert [i.id for i in got.items] == [i.id for i in expected.items]
        assert [i.discounts for i in got.items] == [i.discounts for i in expected.items]
        assert [i.price.id for i in got.items] == [i.price.id for i in expected.items]
    tiered = [p for p in stripe_world.prices if p.get("tiers")]
    assert tiered and all(len(ledger.prices[p["id"]].tiers) == len(p["tiers"]) for p in tiered)
    assert ledger.customers["cus_nEsYSuhsVe88lo"].deleted
    for obj in stripe_world.customers:
        assert ledger.customers[obj["id"]] == read_customer(obj)
    with db.session() as session:
        conn = get_connection(session, "local")
        assert conn is not None and conn.events_cursor_id == stripe_world.events[0]["id"]
        assert conn.error_text is None and conn.last_sync_at is not None
        run = session.execute(select(SyncRun)).scalar_one()
        assert run.status == "succeeded" and run.request_count == report.request_count
    assert current_lease(db, "local") is None


def test_requests_equal_the_minimum_pages(
    db: Database, stripe_server: StripeTestServer, stripe_world: StripeWorld
) -> None:
    report = _backfill(db, stripe_server)
    assert report.request_count == len(stripe_server.requests)
    assert report.request_count == minimum_pages(stripe_world, WINDOW_START)
    # Prices are listed with tiers expanded, subscriptions with both discount levels.
    paths = {r.path: r.params for r in stripe_server.requests}
    assert paths["/v1/prices"]["expand"] == ["data.tiers"]
    assert set(paths["/v1/subscriptions"]["expand"]) == {
        "data.discounts",
        "data.discounts.source.coupon",
        "data.items.data.discounts",
    }
    assert "/v1/coupons" in paths
    assert paths["/v1/subscriptions"]["status"] == "all"
    assert all(
        r.params.get("limit") == "100" for r in stripe_server.requests if r.path != "/v1/events"
    )
    assert {r.stripe_version for r in stripe_server.requests} == {"2026-10-28.endive"}


def test_pagination_of_large_lists_and_wide_invoices_and_subscriptions(db: Database) -> None:
    world = generate_world(
        now=NOW,
        customers=230,
        subscriptions=120,
        invoices=250,
        wide_invoice_lines=125,
        wide_subscription_items=23,
        old_subscriptions=6,
        deleted_customers=2,
    )
    with StripeTestServer(world) as server:
        report = run_backfill(db, "local", make_client(server), settings(), NOW)
        lines_requests = [r for r in server.requests if r.path.endswith("/lines")]
        items_requests = [r for r in server.requests if r.path == "/v1/subscription_items"]
        assert report.request_count == minimum_pages(world, WINDOW_START)
    assert len(lines_requests) == 2 and len(items_requests) == 1  # 115 extra lines; 3 extra items
    ledger = _ledger(db)
    assert len(ledger.customers) == 232 and sum(c.deleted for c in ledger.customers.values()) == 2
    assert len(ledger.invoices) == 250
    assert len(ledger.invoices["in_g0000000"].lines) == 125
    assert [ln.id for ln in ledger.invoices["in_g0000000"].lines] == [
        f"il_g0000000_{k:03d}" for k in range(125)
    ]
    assert len(ledger.subscriptions["sub_g0000000"].items) == 23
    # Old subscriptions: the 3 still running are kept, the 3 that ended long ago are not.
    old = [s for s in ledger.subscriptions if int(s.removeprefix("sub_g")) >= 120]
    assert len(old) == 3 and all(ledger.subscriptions[s].ended_at is None for s in old)


def test_pre_2025_shapes_are_read(db: Database) -> None:
    world = generate_world(now=NOW, customers=5, subscriptions=6, invoices=12, shape="legacy")
    with StripeTestServer(world) as server:
        run_backfill(db, "local", make_client(server), settings(), NOW)
    ledger = _ledger(db)
    for obj in world.invoices:
        inv = ledger.invoices[obj["id"]]
        assert inv.subscription_id == obj["subscription"]
        assert [ln.price_id for ln in inv.lines] == [
            ln["price"]["id"] for ln in obj["lines"]["data"]
        ]
        assert [ln.proration for ln in inv.lines] == [
            ln["proration"] for ln in obj["lines"]["data"]
        ]
    for obj in world.subscriptions:
        sub = ledger.subscriptions[obj["id"]]
        assert sub.current_period_end is not None
        assert sub.current_period_end.timestamp() == obj["current_period_end"]
        if obj.get("discount"):
            assert [d.id for d in sub.discounts] == [obj["discount"]["id"]]


def test_rerun_gives_identical_state(db: Database, stripe_server: StripeTestServer) -> None:
    _backfill(db, stripe_server)
    first = dump_tables(db)
    _backfill(db, stripe_server)
    assert dump_tables(db) == first
    assert sum(len(rows) for rows in first.values()) > 1000


def test_sync_killed_at_step_5_keeps_earlier_steps_and_next_run_completes(
    db: Database, stripe_server: StripeTestServer
) -> None:
    _backfill(db, stripe_server)
    complete = dump_tables(db)
    # A fresh workspace: kill the sync on invoices (5xx forever, retries exhausted).
    stripe_server.inject(Failure(500, count=None, path_prefix="/v1/invoices"))
    client = make_client(stripe_server, max_retries=2)
    with pytest.raises(SyncFailed) as failed:
        run_backfill(db, "T2", client, settings(), NOW)
    report = failed.value.report
    assert report.step == 5 and report.error_text == "Stripe unavailable — will retry"
    assert "500" in (report.error_detail or "")
    assert current_lease(db, "T2") is None  # released on failure
    with db.session() as session:
        assert session.query(CustomerRow).filter_by(workspace_id="T2").count() == 64
        assert session.query(SubscriptionRow).filter_by(workspace_id="T2").count() == 63
        assert session.query(InvoiceRow).filter_by(workspace_id="T2").count() == 0
        conn = get_connection(session, "T2")
        assert conn is not None and conn.error_text == "Stripe unavailable — will retry"
        statuses = [
            r.status
            for r in session.execute(select(SyncRun).where(SyncRun.workspace_id == "T2")).scalars()
        ]
        assert statuses == ["failed"]
    stripe_server.clear_failures()
    run_backfill(db, "T2", make_client(stripe_server), settings(), NOW)
    assert dump_tables(db, "T2") == _rename(complete, "local", "T2")


def _rename(
    dump: dict[str, list[tuple[str, ...]]], old: str, new: str
) -> dict[str, list[tuple[str, ...]]]:
    return {
        name: sorted(tuple(repr(new) if v == repr(old) else v for v in row) for row in rows)
        for name, rows in dump.items()
    }


def test_second_sync_is_refused_with_the_step_message(
    db: Database, stripe_server: StripeTestServer
) -> None:
    seen: list[str] = []

    def progress(step: int, name: str, done: int, total: int | None) -> None:
        if step == 4 and not seen:
            with pytest.raises(SyncAlreadyRunning) as refused:
                _backfill(db, stripe_server)
            seen.append(refused.value.message())

    started = datetime.now(UTC)  # the lease's start is wall-clock time, not NOW
    _backfill(db, stripe_server, progress=progress)
    assert seen in (
        [f"a sync is already running (step 4 of 6, started {at:%H:%M})"]
        for at in (started, started + timedelta(minutes=1))
    )


def test_expired_lease_is_taken_over(db: Database, stripe_server: StripeTestServer) -> None:
    with db.session() as session:
        from storage.workspaces import ensure_workspace

        ensure_workspace(session, "local", NOW)
    # Leases run on the wall clock: this one expired an hour and three quarters ago.
    acquire_lease(db, "local", "crashed-worker", wall_now() - timedelta(hours=2), ttl_seconds=900)
    report = _backfill(db, stripe_server)
    assert report.status == "succeeded"
    assert current_lease(db, "local") is None


def test_no_request_other_than_get_across_all_flows(
    db: Database, stripe_server: StripeTestServer
) -> None:
    from sync.validate import validate_key

    validate_key(
        "rk_test_51abcdef0123", None, client_factory=lambda k: make_client(stripe_server, k)
    )
    _backfill(db, stripe_server)
    _backfill(db, stripe_server, since=date(2026, 9, 1))
    stripe_server.inject(Failure(429, count=2, retry_after=0))
    _backfill(db, stripe_server)
    methods = {r.method for r in stripe_server.requests}
    assert methods == {"GET"}
    # Every parameter the client sent is one stripe-python declares (else: 400).
    assert {r.status for r in stripe_server.requests} <= {200, 429}
    client = make_client(stripe_server)
    assert not [m for m in ("post", "delete", "put", "patch", "request") if hasattr(client, m)]


def test_two_workspaces_with_overlapping_ids_never_see_each_other(db: Database) -> None:
    world_a = generate_world(now=NOW, customers=8, subscriptions=8, invoices=10, seed=1)
    world_b = generate_world(now=NOW, customers=5, subscriptions=4, invoices=6, seed=2)
    for c in world_b.customers:
        c["name"] = "B " + c["name"]
    with StripeTestServer(world_a) as a, StripeTestServer(world_b) as b:
        run_backfill(db, "TA", make_client(a), settings(), NOW)
        run_backfill(db, "TB", make_client(b), settings(), NOW)
    ledger_a, ledger_b = _ledger(db, "TA"), _ledger(db, "TB")
    assert set(ledger_b.customers) < set(ledger_a.customers)  # same ids in both
    assert all(c.name and c.name.startswith("B ") for c in ledger_b.customers.values())
    assert not any(c.name and c.name.startswith("B ") for c in ledger_a.customers.values())
    assert len(ledger_b.invoices) == 6 and len(ledger_a.invoices) == 10
    assert len(ledger_b.subscriptions) == 4
    with db.session() as session:
        lines_b = session.query(InvoiceLineRow).filter_by(workspace_id="TB").count()
        items_b = session.query(SubscriptionItemRow).filter_by(workspace_id="TB").count()
    assert lines_b == sum(len(i.lines) for i in ledger_b.invoices.values())
    assert items_b == sum(len(s.items) for s in ledger_b.subscriptions.values())


def test_deleted_customers_are_marked_never_dropped(
    db: Database, stripe_server: StripeTestServer, stripe_world: StripeWorld
) -> None:
    _backfill(db, stripe_server)
    gone = stripe_world.customers.pop(0)
    stripe_server.set_world(stripe_world)
    report = _backfill(db, stripe_server)
    with db.session() as session:
        row = session.get(CustomerRow, ("local", gone["id"]))
        assert row is not None and row.deleted and row.name == gone["name"]
        subs = (
            session.query(SubscriptionRow)
            .filter_by(workspace_id="local", customer_id=gone["id"])
            .count()
        )
    assert subs >= 1
    assert report.record_counts["customers_deleted"] == 2


def test_since_narrows_the_window(
    db: Database, stripe_server: StripeTestServer, stripe_world: StripeWorld
) -> None:
    report = _backfill(db, stripe_server, since=date(2026, 12, 1))
    start = datetime(2026, 12, 1, tzinfo=UTC).timestamp()
    assert report.window_start == datetime(2026, 12, 1, tzinfo=UTC)
    assert report.record_counts["invoices"] == sum(
        1 for i in stripe_world.invoices if i["created"] >= start
    )
    invoice_requests = [r for r in stripe_server.requests if r.path == "/v1/invoices"]
    assert invoice_requests[0].params["created"] == {"gte": str(int(start))}


def test_split_invoice_listing_reads_each_invoice_once(db: Database) -> None:
    world = generate_world(now=NOW, customers=20, subscriptions=20, invoices=2500)
    with StripeTestServer(world) as server:
        source = ApiSource(make_client(server), invoice_streams=3, split_min_pages=5)
        report = run_backfill(db, "local", source, settings(), NOW)
        minimum = minimum_pages(world, WINDOW_START)
    assert report.record_counts["invoices"] == 2500
    assert minimum <= report.request_count <= minimum + 3
