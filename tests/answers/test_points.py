"""MRR at a point in time, for the workspace and one account, equals the billing rules'
MRR at the end of that day over the sample world's ledger (month ends and other days)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from answers.model import Context
from answers.points import account_mrr_on, workspace_mrr_on
from billing.history import subscription_mrr_at
from billing.money import Money, sum_by_currency
from billing.totals import assigned_subscriptions
from questions.query import AccountRef, Intent, Query
from storage import queries
from storage.db import Database
from tests.answers.conftest import world_ledger
from tests.support.world import account_id_for

DAYS = [date(2026, 3, 31), date(2026, 6, 14), date(2026, 9, 30), date(2026, 11, 15),
        date(2026, 12, 1), date(2027, 1, 31), date(2027, 2, 3), date(2027, 2, 14)]  # fmt: skip
ACCOUNTS = ["Tandem Bikes", "Helios Data", "Vertex Cloud", "Quillon Books", "Contoso Trading"]


def _reference(subs: Any, day: date, now: datetime) -> list[Money]:
    ledger = world_ledger()
    at = min(datetime.combine(day, time(23, 59, 59), tzinfo=UTC), now)
    chosen = [s for s in ledger.subscriptions.values() if s.id in {x.id for x in subs(ledger)}]
    found = sum_by_currency(subscription_mrr_at(ledger, s, at, now) for s in chosen)
    return [m for m in found if m.amount]


@pytest.fixture
def ctx(world_db: Database, world_ws: str, world_now: datetime) -> Iterator[Context]:
    with world_db.session() as session:
        window = queries.window(session, world_ws)
        assert window is not None
        query = Query.of(Intent.MRR_TOTAL, world_now.date())
        yield Context(session, world_ws, world_now, UTC, window, query)


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_workspace_mrr_on_a_day_is_the_billing_rules(
    ctx: Context, world_now: datetime, day: date
) -> None:
    want = _reference(assigned_subscriptions, day, world_now)
    assert workspace_mrr_on(ctx, day) == want
    assert workspace_mrr_on(ctx, day - timedelta(days=1)) == _reference(
        assigned_subscriptions, day - timedelta(days=1), world_now
    )


@pytest.mark.parametrize("name", ACCOUNTS)
def test_account_mrr_on_a_day_is_the_billing_rules(
    ctx: Context, world_now: datetime, name: str
) -> None:
    account = AccountRef(account_id_for(name), name)
    for day in DAYS:
        want = _reference(lambda ledger: ledger.account_subscriptions(account.id), day, world_now)
        assert account_mrr_on(ctx, account, day) == want, day
