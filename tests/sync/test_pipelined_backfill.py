"""The pipelined backfill stores exactly what a straightforward one stores (issue 14).

Pipelined: every list fetched ahead in threads, invoices listed in parallel
created-time slices, step 6 in small chunks of accounts. Straightforward: one
request after another on the consuming thread, one invoice cursor, step 6 on
one ledger of the whole workspace. Both sync the sample world (and a generated
one with wide invoices) into their own workspace; every stored row must match.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

import sync.account_billing
from storage.db import Database
from sync.backfill import run_backfill
from sync.sources import ApiSource
from testkit.stripe_server import StripeTestServer
from testkit.stripe_server.generate import generate_world
from tests.stripe_server.helpers import dump_tables, make_client, settings

NOW = datetime(2027, 2, 15, 12, tzinfo=UTC)


def _sync(
    db: Database,
    server: StripeTestServer,
    ws: str,
    source: ApiSource,
    chunk: int,
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, list[tuple[Any, ...]]]:
    monkeypatch.setattr(sync.account_billing, "CUSTOMERS_PER_CHUNK", chunk)
    report = run_backfill(db, ws, source, settings(), NOW)
    assert report.status == "succeeded"
    # The workspace id is the one value that differs by construction.
    own = repr(ws)
    return {
        table: [tuple("WS" if v == own else v for v in row) for row in rows]
        for table, rows in dump_tables(db, ws).items()
    }


def _compare(
    db: Database, server: StripeTestServer, monkeypatch: pytest.MonkeyPatch, **split: int
) -> dict[str, list[tuple[Any, ...]]]:
    plain = ApiSource(make_client(server), prefetch_pages=0, invoice_streams=1)
    straightforward = _sync(db, server, "plain", plain, 10**9, monkeypatch)
    piped = ApiSource(make_client(server), **split)
    pipelined = _sync(db, server, "piped", piped, 7, monkeypatch)
    for table, rows in straightforward.items():
        assert pipelined[table] == rows, table
    return straightforward


def test_sample_world_rows_are_identical(
    db: Database, stripe_server: StripeTestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = _compare(db, stripe_server, monkeypatch, invoice_streams=3, split_min_pages=1)
    assert len(rows["account_figures"]) > 10
    assert len(rows["answer_facts"]) > 100
    assert len(rows["stripe_invoice_lines"]) > 100


def test_generated_world_with_wide_invoices_rows_are_identical(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = generate_world(
        now=NOW, customers=60, subscriptions=70, invoices=900, wide_invoice_lines=130
    )
    with StripeTestServer(world) as server:
        rows = _compare(db, server, monkeypatch, invoice_streams=3, split_min_pages=2)
    assert len(rows["stripe_invoices"]) > 500
    assert len(rows["account_mrr_history"]) > 100
