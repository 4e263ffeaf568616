"""Expired discounts that only old invoices name are stored, and history applies them.

In the shared sample world two discounts are no longer attached to their
subscription (a 3-month LAUNCH25 that ended in December, and a once-only
WELCOME50); invoices still name them. Both sync paths must store them
(detached), and month-end MRR history from a database-loaded ledger must
equal truth.json for every account, including the months those discounts
reduced.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from billing.figures import account_figures
from billing.ledger import Ledger
from storage.db import Database
from storage.ledger_reads import load_ledger
from storage.models import DiscountRow
from sync.backfill import run_backfill
from sync.file_source import ingest_folder
from testkit.stripe_server import StripeTestServer
from tests.stripe_server.fixtures import SHARED_WORLD
from tests.stripe_server.helpers import make_client, settings
from tests.support.world import account_id_for, as_of, load_json, load_world_ledger, truth

NOW = as_of()
TRUTH = truth()
LAUNCH25 = "di_1x4bZYczr3M4y4uwzVLtpFW4"  # repeating, 2026-09-10 .. 2026-12-10, 25 % off
WELCOME50 = "di_1wCE5Iczr3M4y4uwZjLcrJra"  # once: never reduces MRR
EXPIRED = {LAUNCH25, WELCOME50}
LAUNCH25_ACCOUNT = "Tandem Bikes"


def _sync_files(db: Database, _server: StripeTestServer) -> None:
    ingest_folder(db, "local", SHARED_WORLD, NOW, settings=settings())


def _sync_api(db: Database, server: StripeTestServer) -> None:
    run_backfill(db, "local", make_client(server), settings(), NOW)


PATHS: dict[str, Callable[[Database, StripeTestServer], None]] = {
    "files": _sync_files,
    "api": _sync_api,
}


def _db_ledger(db: Database) -> Ledger:
    """The synced ledger with truth's account mapping (billing is tested, not matching)."""
    reference = load_world_ledger()
    with db.session() as session:
        return load_ledger(
            session,
            "local",
            reference.window_start,
            accounts=reference.accounts,
            customer_accounts=reference.customer_accounts,
        )


def _truth_history(name: str) -> list[dict[str, object]]:
    """truth.json's points without the ``at`` instant of the current month."""
    history = TRUTH["accounts"][name]["mrr_history"]
    return [{"month": p["month"], "mrr": p["mrr"]} for p in history]


def _history_json(ledger: Ledger, name: str) -> list[dict[str, object]]:
    history = account_figures(ledger, account_id_for(name), NOW).to_json()["mrr_history"]
    return list(history)


@pytest.mark.parametrize("path", sorted(PATHS))
def test_expired_discounts_are_stored_detached(
    path: str, db: Database, stripe_server: StripeTestServer
) -> None:
    PATHS[path](db, stripe_server)
    ledger = _db_ledger(db)
    expected = {d["id"] for d in load_json("discounts.json")}
    assert set(ledger.discounts) == expected and expected > EXPIRED
    launch = ledger.discounts[LAUNCH25]
    assert launch.coupon.id == "LAUNCH25" and launch.coupon.duration == "repeating"
    assert launch.end == datetime(2026, 12, 10, 10, tzinfo=UTC)
    # Subscriptions and items carry only the discounts attached now.
    attached = {d.id for s in ledger.subscriptions.values() for d in s.discounts}
    attached |= {d.id for s in ledger.subscriptions.values() for i in s.items for d in i.discounts}
    assert attached == expected - EXPIRED
    assert launch.subscription_id is not None
    assert ledger.subscriptions[launch.subscription_id].discounts == ()
    with db.session() as session:
        rows = {
            r.id: r.attached
            for r in session.execute(select(DiscountRow).where(DiscountRow.workspace_id == "local"))
            .scalars()
            .all()
        }
    assert rows == {d: d not in EXPIRED for d in expected}


@pytest.mark.parametrize("path", sorted(PATHS))
def test_history_from_the_database_applies_expired_discounts(
    path: str, db: Database, stripe_server: StripeTestServer
) -> None:
    PATHS[path](db, stripe_server)
    ledger = _db_ledger(db)
    for name in TRUTH["accounts"]:
        assert _history_json(ledger, name) == _truth_history(name), name
    # Without the expired discount the months it covered come out 25 % higher: the
    # comparison above really depends on it being stored.
    without = dataclasses.replace(
        ledger, discounts={k: v for k, v in ledger.discounts.items() if k != LAUNCH25}
    )
    with_discount = {p["month"]: p["mrr"] for p in _truth_history(LAUNCH25_ACCOUNT)}
    changed = {
        p["month"]
        for p in _history_json(without, LAUNCH25_ACCOUNT)
        if p["mrr"] != with_discount[p["month"]]
    }
    assert changed == {"2026-09", "2026-10", "2026-11"}


def test_rerun_keeps_expired_discounts_detached(
    db: Database, stripe_server: StripeTestServer
) -> None:
    _sync_api(db, stripe_server)
    _sync_files(db, stripe_server)  # another source, same workspace: same discount rows
    _sync_api(db, stripe_server)
    with db.session() as session:
        rows = session.execute(
            select(DiscountRow.id, DiscountRow.attached).where(DiscountRow.workspace_id == "local")
        ).all()
    assert {i for i, attached in rows if not attached} == EXPIRED
