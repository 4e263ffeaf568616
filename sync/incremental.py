"""Figures that follow each webhook batch and catch-up page (SPEC §5 "Staying fresh").

Two steps, each its own short transaction:

1. :func:`settle_batch`, inside the transaction that applied a batch of events
   (a webhook drain batch or a catch-up page): the customers its events wrote
   are matched to their accounts (``sync.rematch``), before the batch's signals
   are derived; a customer that subscriptions or invoices of the batch name but
   that is not stored yet (its own event is still on its way) is read from
   Stripe first when a client is at hand, else its objects wait for it (see
   ``storage.signal_scope``); every account whose figures read what changed is
   marked (``storage.dirty_accounts``); the last applied event is noted for the
   status card. Marks commit with the events, so a crash loses none.
2. :func:`refresh_dirty`, right after: the marked accounts' figures and facts
   are recomputed with the very function the full backfill uses
   (``sync.account_billing.recompute_accounts``, on a ledger of just their
   customers), a few accounts per transaction, sized so that SQLite's write
   lock is held for tens of milliseconds at most and acknowledgements waiting
   at the write gate go between them.

While a sync holds the workspace's lease, the worker's refresh waits (that
sync recomputes at its end, or refreshes its own pages).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from core.clock import wall_now
from core.settings import get_settings
from storage import dirty_accounts
from storage.accounts import accounts_of_customers, stored_customer_ids
from storage.connections import get_connection
from storage.db import Database
from storage.event_log import take_write_lock
from storage.freshness import set_marker
from storage.leases import sync_running
from storage.models import StripeConnection
from storage.stripe_objects import upsert_customers
from sync.account_billing import recompute_accounts
from sync.errors import StripeSyncError
from sync.event_fetch import StripeReader, fetch_object
from sync.readers import read_customer, ts
from sync.rematch import rematch_customers
from sync.write_gate import WriteGate

Obj = dict[str, Any]
log = logging.getLogger(__name__)
EPOCH = datetime.fromtimestamp(0, tz=UTC)

# Event objects whose owner customer's figures they change.
OWNED_OBJECTS = frozenset({"subscription", "invoice", "discount", "credit_note"})
CATALOG_OBJECTS = {"price": "price", "plan": "price", "product": "product"}
CHUNK_SECONDS = 0.025  # a recompute transaction is sized for this much work
FIRST_CHUNK = 8  # accounts in the first transaction, before the cost per account is known
MAX_CHUNK = 200


@dataclass
class Touched:
    """What a batch's events wrote: customers (re-matched), owners of subscriptions and
    invoices, prices and products."""

    customers: set[str] = field(default_factory=set)
    owners: set[str] = field(default_factory=set)
    prices: set[str] = field(default_factory=set)
    products: set[str] = field(default_factory=set)


def _id(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return str(value) if value else None


def touched_by(events: Iterable[Obj]) -> Touched:
    """The customers, owners and catalog objects ``events`` write."""
    out = Touched()
    for event in events:
        obj = (event.get("data") or {}).get("object") or {}
        if not isinstance(obj, dict):
            continue
        kind = obj.get("object")
        if kind == "customer" and (found := _id(obj.get("id"))):
            out.customers.add(found)
        elif kind in OWNED_OBJECTS and (owner := _id(obj.get("customer"))):
            out.owners.add(owner)
        elif CATALOG_OBJECTS.get(str(kind)) == "price" and (price := _id(obj.get("id"))):
            out.prices.add(price)
        elif kind == "product" and (product := _id(obj.get("id"))):
            out.products.add(product)
    return out


def settle_batch(
    session: Session,
    workspace_id: str,
    events: list[Obj],
    now: datetime,
    *,
    source: str,
    metadata_key: str | None = None,
    client: StripeReader | None = None,
) -> set[str]:
    """After a batch's events are applied (same transaction): match its customers, mark
    the accounts to recompute, note the last event. Returns the marked accounts."""
    if not events:
        return set()
    touched = touched_by(events)
    if client is not None:
        touched.customers |= _fetch_missing(session, workspace_id, touched.owners, events, client)
    key = metadata_key if metadata_key is not None else get_settings().match_metadata_key
    affected = rematch_customers(session, workspace_id, touched.customers, key, now)
    owners = touched.customers | touched.owners
    owners |= dirty_accounts.customers_using(
        session, workspace_id, touched.prices, touched.products
    )
    affected |= accounts_of_customers(session, workspace_id, owners)
    dirty_accounts.mark_dirty(session, workspace_id, affected, now)
    _note_last_event(session, workspace_id, events[-1], source, now)
    return affected


def _fetch_missing(
    session: Session,
    workspace_id: str,
    owners: set[str],
    events: list[Obj],
    client: StripeReader,
) -> set[str]:
    """Store the owners not stored yet, as Stripe holds them now; the ids stored.

    Best effort: when Stripe cannot answer, the objects wait for their customer's
    own event (webhook or catch-up)."""
    missing = owners - stored_customer_ids(session, workspace_id, owners)
    fetched: set[str] = set()
    newest = max((ts(e.get("created")) for e in events), default=None, key=_instant)
    for customer_id in sorted(missing):
        try:
            obj = fetch_object(client, "customer", customer_id)
        except StripeSyncError:
            log.warning("could not read a new customer from Stripe; its event will bring it")
            continue
        if obj is None:
            continue
        upsert_customers(session, workspace_id, [read_customer(obj)])
        if newest is not None:
            set_marker(session, workspace_id, "customer", customer_id, newest)
        fetched.add(customer_id)
    return fetched


def _instant(value: datetime | None) -> datetime:
    return value or EPOCH


def _note_last_event(
    session: Session, workspace_id: str, event: Obj, source: str, now: datetime
) -> None:
    session.execute(
        update(StripeConnection)
        .where(StripeConnection.workspace_id == workspace_id)
        .values(
            last_event_at=now,
            last_event_id=str(event.get("id") or "")[:64] or None,
            last_event_type=str(event.get("type") or "")[:80] or None,
            last_event_source=source,
        )
    )


def _sync_running(session: Session, workspace_id: str, now: datetime) -> bool:
    del now  # a lease expires by the wall clock (storage.leases), whatever REVBOT_NOW says
    return sync_running(session, workspace_id, wall_now())


@dataclass
class Refresher:
    """Recomputes marked accounts a transaction at a time, learning the cost per account."""

    db: Database
    gate: WriteGate | None = None
    seconds: float = CHUNK_SECONDS
    per_account: float | None = None  # CPU seconds per account, learned as chunks run
    recomputed: int = 0

    def chunk_size(self) -> int:
        if self.per_account is None:
            return FIRST_CHUNK
        return max(1, min(MAX_CHUNK, int(self.seconds / self.per_account)))

    def refresh(
        self,
        workspace_id: str,
        now: datetime,
        *,
        holding_lease: bool = False,
        budget: float | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> int:
        """Recompute the workspace's marked accounts; how many. ``holding_lease``: the
        caller is the sync holding the lease (a catch-up refreshing its pages)."""
        started = time.monotonic()
        done = 0
        while True:
            count = self._one_chunk(workspace_id, now, holding_lease)
            if count <= 0:
                return done
            done += count
            if budget is not None and time.monotonic() - started > budget:
                return done
            if stop is not None and stop():
                return done

    def _one_chunk(self, workspace_id: str, now: datetime, holding_lease: bool) -> int:
        gate = self.gate.batch() if self.gate is not None else nullcontext()
        with gate, self.db.session() as session:
            take_write_lock(session)  # SQLite: what is read is what the marks describe
            connection = get_connection(session, workspace_id)
            if connection is None or connection.window_start is None:
                return 0  # never synced: the first sync computes every figure
            if not holding_lease and _sync_running(session, workspace_id, now):
                return 0
            marks = dirty_accounts.take_dirty(session, workspace_id, self.chunk_size())
            if not marks:
                return 0
            cpu = time.thread_time()
            recompute_accounts(
                session, workspace_id, now, connection.window_start, [a for a, _ in marks]
            )
            dirty_accounts.clear_dirty(session, workspace_id, marks)
            self._learn(len(marks), time.thread_time() - cpu)
        self.recomputed += len(marks)
        return len(marks)

    def _learn(self, count: int, seconds: float) -> None:
        each = max(seconds / count, 1e-4)
        self.per_account = each if self.per_account is None else 0.7 * self.per_account + 0.3 * each


def refresh_dirty(db: Database, workspace_id: str, now: datetime, **kwargs: Any) -> int:
    """Recompute every marked account of the workspace (one-off callers and tests)."""
    return Refresher(db).refresh(workspace_id, now, **kwargs)
