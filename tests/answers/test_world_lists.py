"""Workspace lists answered over the sample world match truth.json for every window."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from answers import answer
from answers.model import Context
from answers.movements import computed_movements, period_movements
from billing.facts import Kind
from billing.periods import Period as Span
from questions.query import Intent, Period, Query
from storage import queries
from storage.db import Database
from storage.movement_reads import month_movements
from tests.support.world import truth

LISTS = {
    "failed_payments": Intent.FAILED_PAYMENTS,
    "cancellations": Intent.CANCELLATIONS,
    "downgrades": Intent.DOWNGRADES,
    "new_customers": Intent.NEW_CUSTOMERS,
    "renewals": Intent.RENEWALS,
}


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _cases() -> list[tuple[str, str]]:
    workspace = truth()["workspace"]
    return [(kind, key) for kind in LISTS for key in workspace[kind]]


def _period(key: str) -> Period:
    variants = truth()["workspace"]["windows"].get(key)
    if variants is None:  # next_N_days
        days = int(key.split("_")[1])
        start = date(2027, 2, 15)
        return Period(start, start + timedelta(days=days), key)
    start, end = (_instant(t) for t in variants["variants"][-1 if "days" in key else 0])
    return Period(start.date(), (end - timedelta(microseconds=1)).date(), key)


@pytest.mark.parametrize(("kind", "key"), _cases())
def test_list_matches_truth(
    world_db: Database, world_ws: str, world_now: datetime, kind: str, key: str
) -> None:
    expected = truth()["workspace"][kind][key]
    query = Query.of(LISTS[kind], world_now.date(), period=_period(key))
    with world_db.session() as session:
        got = answer(session, world_ws, query, world_now)
    names = {r["account"]["name"] for r in got.result["rows"]}
    want = set(expected["accounts"])
    assert want <= names and names - want <= set(expected.get("ambiguous", []))


@pytest.mark.parametrize("month", sorted(truth()["workspace"]["movements"]))
def test_movements_and_churn_match_truth(
    world_db: Database, world_ws: str, world_now: datetime, month: str
) -> None:
    expected: dict[str, Any] = truth()["workspace"]["movements"][month]
    start, end = (date.fromisoformat(expected["period"][k]) for k in ("start", "end"))
    period = Period(start, end, month)
    with world_db.session() as session:
        moves = answer(
            session,
            world_ws,
            Query.of(Intent.MRR_MOVEMENTS, world_now.date(), period=period),
            world_now,
        )
        churn = answer(
            session,
            world_ws,
            Query.of(Intent.CHURN_RATE, world_now.date(), period=period),
            world_now,
        )
    got = {(r["account"]["name"], r["kind"], r["amount"]["amount"]) for r in moves.result["rows"]}
    want = {
        (m["account"], kind, m["amount"]["amount"])
        for kind in ("new", "expansion", "contraction", "churn", "reactivation")
        for m in expected[kind]
    }
    assert got == want
    rates = {r["currency"]: r["percent"] for r in churn.result["churn_rate"]}
    for code, rate in expected["churn_rate"].items():
        assert rates.get(code, 0.0) == pytest.approx(float(rate["percent"].rstrip("%")), abs=0.01)


def test_stored_months_match_movements_computed_now(
    world_db: Database, world_ws: str, world_now: datetime
) -> None:
    """Every ended month classified at sync gives the rows a question computes from steps."""
    with world_db.session() as session:
        window = queries.window(session, world_ws)
        assert window is not None
        query = Query.of(Intent.MRR_MOVEMENTS, world_now.date())
        ctx = Context(session, world_ws, world_now, UTC, window, query)
        months = queries.facts_of_kind(session, world_ws, Kind.MOVEMENT_MONTH)
        assert len(months) >= 12
        moved = 0
        for marker in months:
            assert marker.at is not None and marker.until is not None
            span = Span(marker.at, marker.until, marker.object_id or "")
            assert month_movements(session, world_ws, span.start, span.end) is not None
            stored = period_movements(ctx, span)
            computed = computed_movements(ctx, span)
            assert [m.to_json() for m in stored] == [m.to_json() for m in computed], span
            moved += len(stored)
        assert moved > 0


def test_top_accounts_match_truth(world_db: Database, world_ws: str, world_now: datetime) -> None:
    want = truth()["workspace"]["top_accounts"]
    longest = max(len(rows) for rows in want.values())
    query = Query.of(Intent.TOP_ACCOUNTS, world_now.date(), limit=longest)
    with world_db.session() as session:
        result = answer(session, world_ws, query, world_now).result
    got = {result["currency"]: result["rows"], **result["other_rankings"]}
    assert set(got) == set(want)
    for code, rows in want.items():
        assert [(r["account"]["name"], r["mrr"]) for r in got[code]] == [
            (r["account"], r["mrr"]) for r in rows
        ], code


def test_overdue_accounts_match_truth(
    world_db: Database, world_ws: str, world_now: datetime
) -> None:
    want = truth()["workspace"]["overdue_accounts"]
    query = Query.of(Intent.OVERDUE_ACCOUNTS, world_now.date(), limit=0)
    with world_db.session() as session:
        result = answer(session, world_ws, query, world_now).result
    assert sorted(r["account"]["name"] for r in result["rows"]) == sorted(want["accounts"])
    by_name = {r["account"]: r for r in want["rows"]}
    for row in result["rows"]:
        item = by_name[row["account"]["name"]]
        assert row["overdue"] == item["overdue"]
        assert row["max_days_overdue"] == item["max_days_overdue"]
    assert result["total"] == want["total"]
