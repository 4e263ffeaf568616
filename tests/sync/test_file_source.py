"""The file source shares the API ingest: same rows from files as from the API."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from storage.db import Database
from storage.ledger_reads import load_ledger
from sync.file_source import ingest_folder
from testkit.stripe_server import StripeTestServer, StripeWorld
from testkit.stripe_server.generate import generate_world
from tests.stripe_server.fixtures import SHARED_WORLD
from tests.stripe_server.helpers import dump_tables, make_client, settings
from tests.support.world import load_world_ledger

NOW = datetime(2027, 2, 15, 12, tzinfo=UTC)


def _rows(dump: dict, ws: str) -> dict:  # type: ignore[type-arg]
    return {k: [tuple(v for v in row if v != repr(ws)) for row in rows] for k, rows in dump.items()}


def test_shared_world_files_and_api_give_the_same_rows(
    db: Database, stripe_server: StripeTestServer
) -> None:
    from sync.backfill import run_backfill

    report = ingest_folder(db, "FILES", SHARED_WORLD, NOW, settings=settings())
    assert report.kind == "file" and report.status == "succeeded"
    run_backfill(db, "API", make_client(stripe_server), settings(), NOW)
    files, api = _rows(dump_tables(db, "FILES"), "FILES"), _rows(dump_tables(db, "API"), "API")
    # The API only sees coupons through discounts (listing coupons needs another permission).
    assert set(api.pop("stripe_coupons")) <= set(files.pop("stripe_coupons"))
    assert files == api


def test_round_trip_equals_the_readers_ledger_in_the_window(db: Database) -> None:
    ingest_folder(db, "local", SHARED_WORLD, NOW, settings=settings())
    expected = load_world_ledger()
    with db.session() as session:
        got = load_ledger(session, "local", expected.window_start)
    assert got.products == expected.products
    assert got.prices == expected.prices
    assert got.customers == expected.customers
    # Every discount round-trips, expired ones that only invoices still name included;
    # subscriptions and items carry only those attached now (compared just below).
    assert got.discounts == expected.discounts
    assert got.subscriptions == expected.subscriptions
    in_window = {k: v for k, v in expected.invoices.items() if v.created >= expected.window_start}
    assert got.invoices == in_window


def test_legacy_shape_folder_with_progress(db: Database, tmp_path: Path) -> None:
    world = generate_world(
        now=NOW,
        customers=7,
        subscriptions=5,
        invoices=9,
        shape="legacy",
        wide_invoice_lines=14,
        deleted_customers=1,
    )
    world.to_folder(tmp_path / "export")
    seen: list[tuple[int, str, int, int | None]] = []
    report = ingest_folder(
        db, "local", tmp_path / "export", NOW, lambda *a: seen.append(a), settings=settings()
    )
    assert report.record_counts["invoices"] == 9 and report.record_counts["customers_deleted"] == 1
    assert (5, "Invoices", 9, 9) in seen and (3, "Customers", 7, 7) in seen
    with db.session() as session:
        ledger = load_ledger(session, "local", report.window_start)
    assert len(ledger.invoices["in_g0000000"].lines) == 14
    assert report.events_cursor == world.events[0]["id"]


def test_world_round_trips_through_folder(tmp_path: Path) -> None:
    world = StripeWorld.from_folder(SHARED_WORLD)
    world.to_folder(tmp_path)
    assert StripeWorld.from_folder(tmp_path).invoices == world.invoices
