"""Accounts whose figures wait for a recompute (``dirty_accounts``), kept with the events.

Applying events marks the accounts they touched in the same transaction
(:func:`mark_dirty`), so no change is lost to a crash between applying and
recomputing. A recompute takes a few marked accounts (:func:`take_dirty`; on
PostgreSQL rows another replica is recomputing are skipped), rebuilds their
figures and removes the marks it read (:func:`clear_dirty`) in one transaction.
A mark is a generation counter: a change committed while a recompute runs
bumps it, so that recompute leaves the mark for the next one.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import Table, bindparam, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import (
    AccountFigure,
    DirtyAccount,
    InvoiceLineRow,
    InvoiceRow,
    PriceRow,
    SubscriptionItemRow,
    SubscriptionRow,
)

TABLE: Table = DirtyAccount.__table__  # type: ignore[assignment]
FIGURES: Table = AccountFigure.__table__  # type: ignore[assignment]
Mark = tuple[str, int]  # (account id, generation)


def _upsert(dialect: str) -> object:
    module = postgresql if dialect == "postgresql" else sqlite
    stmt = module.insert(TABLE).values(
        workspace_id=bindparam("ws"),
        account_id=bindparam("account"),
        generation=1,
        marked_at=bindparam("at", type_=TABLE.c.marked_at.type),
    )
    # The first mark's time stays (how long figures have waited); the generation grows.
    return stmt.on_conflict_do_update(
        index_elements=["workspace_id", "account_id"],
        set_={"generation": TABLE.c.generation + 1},
    )


_UPSERTS = {name: _upsert(name) for name in ("sqlite", "postgresql")}


def mark_dirty(
    session: Session, workspace_id: str, account_ids: Collection[str], now: datetime
) -> int:
    """Mark ``account_ids`` for a recompute (in the caller's transaction)."""
    ids = sorted({a for a in account_ids if a})
    if ids:
        stmt = _UPSERTS[session.get_bind().dialect.name]
        params = [{"ws": workspace_id, "account": a, "at": now} for a in ids]
        session.execute(stmt, params)  # type: ignore[call-overload]
    return len(ids)


def take_dirty(session: Session, workspace_id: str, limit: int) -> list[Mark]:
    """Up to ``limit`` marked accounts, longest waiting first (locked on PostgreSQL,
    where other replicas skip them)."""
    query = (
        select(TABLE.c.account_id, TABLE.c.generation)
        .where(TABLE.c.workspace_id == workspace_id)
        .order_by(TABLE.c.marked_at, TABLE.c.account_id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return [(str(account), int(generation)) for account, generation in session.execute(query)]


def clear_dirty(session: Session, workspace_id: str, marks: Sequence[Mark]) -> None:
    """Remove the marks a recompute read (a mark bumped since then stays)."""
    if not marks:
        return
    stmt = delete(TABLE).where(
        TABLE.c.workspace_id == bindparam("ws"),
        TABLE.c.account_id == bindparam("account"),
        TABLE.c.generation == bindparam("generation"),
    )
    params = [{"ws": workspace_id, "account": a, "generation": g} for a, g in marks]
    session.execute(stmt, params)


def dirty_count(session: Session, workspace_id: str) -> int:
    query = select(func.count()).select_from(TABLE).where(TABLE.c.workspace_id == workspace_id)
    return int(session.execute(query).scalar_one())


def dirty_workspaces(session: Session) -> list[str]:
    """Workspaces with accounts waiting for a recompute."""
    return sorted(session.scalars(select(TABLE.c.workspace_id).distinct()))


def customers_using(
    session: Session, workspace_id: str, price_ids: Collection[str], product_ids: Collection[str]
) -> set[str]:
    """Customers with a subscription item or an invoice line on one of these prices (or
    a price of these products): whose plan labels and history read them."""
    if not price_ids and not product_ids:
        return set()
    prices = select(PriceRow.id).where(
        PriceRow.workspace_id == workspace_id,
        PriceRow.id.in_(sorted(set(price_ids))) | PriceRow.product_id.in_(sorted(set(product_ids))),
    )
    on_items = (
        select(SubscriptionRow.customer_id)
        .join(
            SubscriptionItemRow,
            (SubscriptionItemRow.workspace_id == SubscriptionRow.workspace_id)
            & (SubscriptionItemRow.subscription_id == SubscriptionRow.id),
        )
        .where(
            SubscriptionRow.workspace_id == workspace_id, SubscriptionItemRow.price_id.in_(prices)
        )
    )
    on_lines = (
        select(InvoiceRow.customer_id)
        .join(
            InvoiceLineRow,
            (InvoiceLineRow.workspace_id == InvoiceRow.workspace_id)
            & (InvoiceLineRow.invoice_id == InvoiceRow.id),
        )
        .where(InvoiceRow.workspace_id == workspace_id, InvoiceLineRow.price_id.in_(prices))
    )
    return set(session.scalars(on_items.union(on_lines)))
