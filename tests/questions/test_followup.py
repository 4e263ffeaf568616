"""Thread follow-ups reuse the previous question's intent and entities."""

from __future__ import annotations

from typing import Any

import pytest

from questions import follow_up, parse
from tests.questions.invented_world import AS_OF, invented_index

INDEX = invented_index()

# (first question, reply, expected intent, account, period, other expectations)
FOLLOW_UPS: list[tuple[str, str, str, str | None, tuple[str, str] | None, dict[str, Any]]] = [
    ("who is overdue?", "what about Zorblax?", "payment_status", "Zorblax Robotics", None, {}),
    (
        "who is overdue?",
        "only the ones over 30 days",
        "overdue_accounts",
        None,
        None,
        {"min_days": 30},
    ),
    ("top 5 accounts", "top 10 instead", "top_accounts", None, None, {"limit": 10}),
    (
        "failed payments last month",
        "and this month?",
        "failed_payments",
        None,
        ("2027-02-01", "2027-02-15"),
        {},
    ),
    (
        "how is Northwind doing",
        "what about Quasar Dynamics?",
        "account_summary",
        "Quasar Dynamics",
        None,
        {},
    ),
    ("Northwind MRR trend", "and Zorblax?", "account_mrr_trend", "Zorblax Robotics", None, {}),
    (
        "cancellations in December",
        "and in November?",
        "cancellations",
        None,
        ("2026-11-01", "2026-11-30"),
        {},
    ),
    (
        "top 5 accounts by lifetime revenue",
        "top 10 instead",
        "lifetime_revenue",
        None,
        None,
        {"limit": 10},
    ),
    ("who is overdue?", "what's our MRR?", "mrr_total", None, None, {}),
    (
        "churn rate last month",
        "and the new customers?",
        "new_customers",
        None,
        ("2027-01-01", "2027-01-31"),
        {},
    ),
    (
        "renewals in the next 30 days",
        "and the next 7 days?",
        "renewals",
        None,
        ("2027-02-15", "2027-02-22"),
        {},
    ),
    (
        "overdue accounts",
        "just the ones above $5,000",
        "overdue_accounts",
        None,
        None,
        {"min_amount": 5000},
    ),
    ("invoices for Northwind", "and Apex?", "account_invoices", "Apex", None, {}),
    (
        "how is Northwind doing",
        "and its invoices?",
        "account_invoices",
        "Northwind Traders",
        None,
        {},
    ),
    (
        "MRR trend since August",
        "what about last quarter",
        "mrr_trend",
        None,
        ("2026-10-01", "2026-12-31"),
        {},
    ),
    ("who is overdue?", "Zorblax?", "payment_status", "Zorblax Robotics", None, {}),
    ("downgrades last month", "same for Q3", "downgrades", None, ("2026-07-01", "2026-09-30"), {}),
    ("who is overdue?", "tell me a joke", "unknown", None, None, {}),
    (
        "overdue more than 60 days",
        "and over €1k?",
        "overdue_accounts",
        None,
        None,
        {"min_days": 60, "min_amount": 1000},
    ),
    (
        "failed payments last month",
        "cancellations in December",
        "cancellations",
        None,
        ("2026-12-01", "2026-12-31"),
        {},
    ),
    ("how is Northwind doing", "help", "help", None, None, {}),
    (
        "new customers in January",
        "and in Q4 2026?",
        "new_customers",
        None,
        ("2026-10-01", "2026-12-31"),
        {},
    ),
]


@pytest.mark.parametrize(("first", "reply", "intent", "account", "period", "expect"), FOLLOW_UPS)
def test_follow_up(
    first: str,
    reply: str,
    intent: str,
    account: str | None,
    period: tuple[str, str] | None,
    expect: dict[str, Any],
) -> None:
    previous = parse(first, INDEX, AS_OF)
    query = follow_up(previous, reply, INDEX, AS_OF)
    assert query.intent.value == intent
    assert (query.account.name if query.account else None) == account
    got = (query.period.start.isoformat(), query.period.end.isoformat()) if query.period else None
    assert got == period
    if "limit" in expect:
        assert query.limit == expect["limit"]
    if "min_days" in expect:
        assert query.filters.min_days == expect["min_days"]
    if "min_amount" in expect:
        assert query.filters.min_amount == expect["min_amount"]


def test_follow_up_keeps_previous_period_when_reply_has_none() -> None:
    previous = parse("failed payments last month", INDEX, AS_OF)
    query = follow_up(previous, "only over $500", INDEX, AS_OF)
    assert query.intent.value == "failed_payments"
    assert query.period == previous.period
    assert query.filters.currency == "USD"


def _sides(query: Any) -> list[str] | None:
    if query.versus is None:
        return None
    return [query.versus.before.end.isoformat(), query.versus.after.end.isoformat()]


@pytest.mark.parametrize(
    ("first", "reply", "intent", "account", "sides", "at"),
    [
        # a comparison carries over to another account, keeping MRR at both points
        (
            "MRR now vs three months ago?",
            "what about Northwind?",
            "account_summary",
            "Northwind Traders",
            ["2026-11-15", "2027-02-15"],
            None,
        ),
        # a reply naming another comparison, read for the question it continues
        ("MRR now vs three months ago?", "and vs end of last year?", "mrr_total", None,
         ["2026-12-31", "2027-02-15"], None),
        # a reply naming one time: that point, not the old comparison
        ("MRR now vs three months ago?", "and last month?", "mrr_total", None, None,
         "2027-01-31"),
        ("what was Zorblax MRR at the end of January", "and Northwind?", "account_summary",
         "Northwind Traders", None, "2027-01-31"),
        ("what was Zorblax MRR at the end of January", "and in March last year?",
         "account_summary", "Zorblax Robotics", None, "2026-03-31"),
        # period measures compare per period
        ("failed payments this month vs last month", "what about cancellations?",
         "cancellations", None, ["2027-01-31", "2027-02-15"], None),
    ],
)  # fmt: skip
def test_follow_ups_keep_the_typed_query(
    first: str, reply: str, intent: str, account: str | None, sides: Any, at: str | None
) -> None:
    query = follow_up(parse(first, INDEX, AS_OF), reply, INDEX, AS_OF)
    assert query.intent.value == intent
    assert (query.account.name if query.account else None) == account
    assert _sides(query) == sides
    assert (query.at.isoformat() if query.at else None) == at


def test_a_follow_up_asking_a_snapshot_in_the_past_says_it_cannot() -> None:
    query = follow_up(
        parse("who is overdue", INDEX, AS_OF), "and at the end of january?", INDEX, AS_OF
    )
    assert query.intent.value == "overdue_accounts"
    assert query.unsupported == ("a past date (end of January 2027): shown as of now",)
