"""Incremental figures equal the full recompute, whatever order events arrive in.

Each webhook batch matches the customers it wrote, marks the accounts it
touched and recomputes only those (``sync.incremental``); the backfill's step 6
recomputes everything (``sync.account_billing.run_account_billing``). After any
history delivered in any order, in batches of any size, both must leave
exactly the same rows: accounts, match outcomes, figures, month-end points and
answer facts (in the order questions list them).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from billing.models import Account
from storage import models as t
from storage.accounts import replace_accounts
from storage.db import Database
from storage.dirty_accounts import dirty_count
from storage.fact_models import AnswerFact
from storage.workspaces import ensure_workspace
from sync.account_billing import run_account_billing
from sync.incremental import refresh_dirty
from sync.queue import drain_batch, enqueue
from tests.conftest import _empty_all_tables
from tests.sync.histories import histories

WS = "ws_fresh"
NOW = datetime(2027, 2, 1, 12, tzinfo=UTC)
WINDOW = NOW - timedelta(days=365)
IMPORTED = (
    Account("acc_acme", "Acme", "acme.io"),
    Account("acc_beta", "Beta Group", None, aliases=("Beta",)),
    Account("acc_ext", "Ext Co", None, external_id="EXT-1"),
    Account("acc_gamma", "Gamma Group", "gamma.org"),
)


def synced_workspace(db: Database, imported: bool) -> None:
    """A workspace whose (empty) backfill finished: figures follow events from now on."""
    with db.session() as session:
        ensure_workspace(session, WS, NOW)
        session.add(
            t.StripeConnection(
                workspace_id=WS,
                mode="test",
                key_kind="restricted",
                status="connected",
                last_sync_at=NOW - timedelta(hours=1),
                window_start=WINDOW,
                record_counts={},
                match_counts={},
                connected_at=NOW - timedelta(days=1),
                updated_at=NOW,
            )
        )
        if imported:
            replace_accounts(session, WS, IMPORTED, "import", NOW)
    with db.session() as session:
        run_account_billing(session, WS, NOW, WINDOW)


def deliver(db: Database, batches: list[list[dict[str, Any]]]) -> None:
    """Each batch queued, applied in one drain batch, then its accounts recomputed."""
    for batch in batches:
        with db.session() as session:
            for event in batch:
                enqueue(session, WS, event, "webhook", NOW)
        while drain_batch(db, WS, None, NOW, 500)[0]:
            pass
        refresh_dirty(db, WS, NOW)


def snapshot(db: Database) -> dict[str, Any]:
    """Every row figures and answers read, in a comparable form."""
    with db.session() as session:

        def rows(query: Any) -> list[tuple[Any, ...]]:
            return [tuple(r) for r in session.execute(query)]

        facts = rows(
            select(
                AnswerFact.kind,
                AnswerFact.account_id,
                AnswerFact.at,
                AnswerFact.until,
                AnswerFact.currency,
                AnswerFact.amount,
                AnswerFact.amount2,
                AnswerFact.object_id,
                AnswerFact.sort_key,
                AnswerFact.payload,
            )
            .where(AnswerFact.workspace_id == WS)
            .order_by(AnswerFact.kind, AnswerFact.at, AnswerFact.sort_key, AnswerFact.id)
        )
        a, m, f, p = t.AccountRow, t.CustomerMatch, t.AccountFigure, t.AccountMrrPoint
        connection = session.scalars(
            select(t.StripeConnection.match_counts).where(t.StripeConnection.workspace_id == WS)
        ).one()
        return {
            "accounts": sorted(
                rows(
                    select(a.id, a.name, a.domain, a.external_id, a.source).where(
                        a.workspace_id == WS
                    )
                )
            ),
            "matches": sorted(
                rows(
                    select(m.customer_id, m.account_id, m.outcome, m.via, m.reason).where(
                        m.workspace_id == WS
                    )
                )
            ),
            "match_counts": connection,
            "figures": sorted(
                (r[0], r[1], r[2], repr(r[3]))
                for r in rows(
                    select(f.account_id, f.payment_status, f.lifecycle, f.data).where(
                        f.workspace_id == WS
                    )
                )
            ),
            "points": sorted(
                rows(
                    select(p.account_id, p.month, p.currency, p.amount).where(p.workspace_id == WS)
                )
            ),
            "facts": facts,
        }


@st.composite
def deliveries(draw: st.DrawFn) -> tuple[bool, list[list[dict[str, Any]]]]:
    """A history, shuffled, cut into batches; with or without an imported client list."""
    events = draw(histories())
    order = draw(st.permutations(events))
    batches: list[list[dict[str, Any]]] = []
    rest = list(order)
    while rest:
        size = draw(st.integers(1, max(1, len(rest))))
        batches.append(rest[:size])
        rest = rest[size:]
    return draw(st.booleans()), batches


@pytest.mark.database
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=deliveries())
def test_incremental_figures_equal_the_full_recompute(
    db: Database, case: tuple[bool, list[list[dict[str, Any]]]]
) -> None:
    imported, batches = case
    _empty_all_tables(db)
    synced_workspace(db, imported)
    deliver(db, batches)
    with db.session() as session:
        assert dirty_count(session, WS) == 0
    incremental = snapshot(db)
    with db.session() as session:
        run_account_billing(session, WS, NOW, WINDOW)
    full = snapshot(db)
    for key in full:
        assert incremental[key] == full[key], key
