"""Every list of the sample world's truth, asked in words for every window it holds
("who cancelled in the last 14 days", "failed payments in Q4 2026", "new customers since
May 2026"): the accounts answered are the truth's (ambiguous ones allowed)."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from typing import Any

import pytest

from answers import answer
from questions import parse
from storage.db import Database
from tests.answers.checker import row_account_names
from tests.support.world import truth

ASK = {
    "cancellations": ("cancellations", "who cancelled {w}"),
    "failed_payments": ("failed_payments", "failed payments {w}"),
    "downgrades": ("downgrades", "downgrades {w}"),
    "upgrades": ("mrr_movements", "who upgraded {w}"),
    "new_customers": ("new_customers", "new customers {w}"),
}
FIXED = {
    "last_7_days": "in the last 7 days",
    "last_14_days": "in the past 14 days",
    "last_30_days": "over the last 30 days",
    "last_60_days": "in the last 60 days",
    "last_90_days": "in the past 90 days",
    "this_month": "this month",
    "last_month": "last month",
    "this_week": "this week",
    "last_week": "last week",
    "ytd": "this year so far",
}


def _words(window: str) -> str:
    if window in FIXED:
        return FIXED[window]
    kind, _, value = window.partition(":")
    if kind == "quarter":
        year, quarter = value.split("-")
        return f"in {quarter} {year}"
    year, month = (int(p) for p in value.split("-"))
    name = f"{calendar.month_name[month]} {year}"
    return f"in {name}" if kind == "month" else f"since {name}"


def _cases() -> list[Any]:
    lists = truth()["workspace"]
    return [
        pytest.param(kind, window, id=f"{kind}-{window}")
        for kind in ASK
        for window in lists[kind]
        if window in FIXED or ":" in window
    ]


@pytest.mark.parametrize(("kind", "window"), _cases())
def test_a_list_asked_in_words_for_a_window(
    world_db: Database,
    world_ws: str,
    world_now: datetime,
    world_index: Any,
    kind: str,
    window: str,
) -> None:
    intent, template = ASK[kind]
    question = template.format(w=_words(window))
    query = parse(question, world_index, world_now, "UTC")
    assert query.intent.value == intent, question
    with world_db.session() as session:
        result = answer(session, world_ws, query, world_now).result
    expected = truth()["workspace"][kind][window]
    got = row_account_names(result)
    want = set(expected["accounts"])
    assert want <= got and got - want <= set(expected.get("ambiguous", [])), question


RENEWALS = {
    "next_7_days": ["renewals in the next 7 days", "what renews this coming week", "renewals 7d"],
    "next_14_days": ["renewals in the next two weeks", "who renews in the next fortnight"],
    "next_30_days": ["upcoming renewals next 30 days", "renewals within 30 days"],
    "next_60_days": ["renewals in the next 60 days"],
    "next_90_days": ["who is up for renewal in the next 90 days"],
}


@pytest.mark.parametrize(
    ("window", "question"),
    [(window, question) for window, asked in RENEWALS.items() for question in asked],
)
def test_renewals_asked_in_words(
    world_db: Database,
    world_ws: str,
    world_now: datetime,
    world_index: Any,
    window: str,
    question: str,
) -> None:
    query = parse(question, world_index, world_now, "UTC")
    assert query.intent.value == "renewals", question
    with world_db.session() as session:
        result = answer(session, world_ws, query, world_now).result
    expected = truth()["workspace"]["renewals"][window]
    got = row_account_names(result)
    want = set(expected["accounts"])
    assert want <= got and got - want <= set(expected.get("ambiguous", [])), question


@pytest.mark.parametrize("question", ["churn rate 2026", "mrr trend last year"])
def test_a_period_opening_before_the_synced_data_says_where_data_starts(
    world_db: Database, world_ws: str, world_now: datetime, world_index: Any, question: str
) -> None:
    query = parse(question, world_index, world_now, "UTC")
    with world_db.session() as session:
        got = answer(session, world_ws, query, world_now)
    assert got.result["data_starts"] == "2026-02-15"
    assert "synced data starts Feb 15, 2026" in got.text


def test_a_period_inside_the_synced_data_has_no_such_note(
    world_db: Database, world_ws: str, world_now: datetime, world_index: Any
) -> None:
    query = parse("churn rate last month", world_index, world_now, "UTC")
    with world_db.session() as session:
        got = answer(session, world_ws, query, world_now)
    assert "data_starts" not in got.result


def test_what_an_account_paid_in_a_period_is_summed_from_its_invoices(
    world_db: Database, world_ws: str, world_now: datetime, world_index: Any
) -> None:
    """'how much did Canopy Health pay last month': cash on its invoices paid in January,
    read straight off the world's Stripe invoices (not the engine's figures)."""
    import json

    from tests.support.paths import STRIPE_WORLD

    customers = {
        c["id"]
        for c in json.loads((STRIPE_WORLD / "customers.json").read_text())
        if (c.get("email") or "").endswith("@canopyhealth.com")
    }
    want = 0
    for inv in json.loads((STRIPE_WORLD / "invoices.json").read_text()):
        paid_at = (inv.get("status_transitions") or {}).get("paid_at") or inv["created"]
        start, end = datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 2, 1, tzinfo=UTC)
        if (
            inv["customer"] in customers
            and inv["amount_paid"]
            and start.timestamp() <= paid_at < end.timestamp()
        ):
            want += inv["amount_paid"] - (inv.get("post_payment_credit_notes_amount") or 0)
    query = parse("how much did Canopy Health pay last month", world_index, world_now, "UTC")
    with world_db.session() as session:
        got = answer(session, world_ws, query, world_now)
    assert got.query.intent.value == "lifetime_revenue"
    assert got.result["paid"] == [{"amount": f"{want / 100:.2f}", "currency": "USD"}]
    assert "(last month)" in got.text
