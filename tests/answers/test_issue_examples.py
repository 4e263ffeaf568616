"""Issue 9's twelve examples, each one measure × subject × time × filters × shape, answered
on a world whose figures follow from its construction (issue_world.py)."""

from __future__ import annotations

from typing import Any

import pytest

from answers import answer
from answers.output import ask_json
from questions import parse
from questions.accounts import index_for
from questions.query import AccountRef
from storage.db import Database
from tests.answers.checker import check
from tests.answers.issue_world import NOW, issue_ledger


def usd(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "USD"}


# (question, intent, account, facts a right answer holds: tests/answers/checker.py rules)
EXAMPLES: list[tuple[str, str, str | None, dict[str, Any]]] = [
    (
        "MRR now vs three months ago?",
        "mrr_total",
        None,
        {"money": [usd("11400.00"), usd("9900.00"), usd("1500.00")]},
    ),
    (
        "Keystone: end-of-September MRR vs today's?",
        "account_summary",
        "Keystone Plumbing",
        {"money": [usd("1200.00"), usd("1500.00"), usd("300.00")]},
    ),
    (
        "what was Bellwether Research's MRR at the end of January",
        "account_summary",
        "Bellwether Research",
        {"money": [usd("1800.00")], "date": "2026-01-31"},
    ),
    ("how much is Firefly Studios paying us", "account_summary", "Firefly Studios", {}),
    (
        "what did MRR do over the summer? ☀️",
        "mrr_trend",
        None,
        {
            "months": {
                "2025-06": [usd("3200.00")],
                "2025-07": [usd("4000.00")],
                "2025-08": [usd("4900.00")],
            },
            "period": {"start": "2025-06-01", "end": "2025-08-31"},
        },
    ),
    (
        "which clients owe us more than three grand? 💸",
        "overdue_accounts",
        None,
        {"accounts": ["Mosaic Media", "Orchard Supply"], "filter_number": 3000},
    ),
    ("whose trial wraps up next week?", "trials", None, {"accounts": ["Lumen Labs"]}),
    (
        "upcoming renewals 14d",
        "renewals",
        None,
        {
            "accounts": ["Bellwether Research", "Firefly Studios"],
            "period": {"start": "2026-02-10", "end": "2026-02-24"},
        },
    ),
    (
        "clients who've cancelled but stay active until their end date",
        "scheduled_cancellations",
        None,
        {"accounts": ["Harbor Freight Co"]},
    ),
    (
        "compare MRR this month vs last month",
        "mrr_total",
        None,
        {"money": [usd("11400.00"), usd("10800.00"), usd("600.00")]},
    ),
    ("translate 'overdue' into German", "unknown", None, {}),
    (
        "prepping for thursday's board meeting — what's total MRR right now",
        "mrr_total",
        None,
        {"money": [usd("11400.00")], "date": "2026-02-10"},
    ),
]


@pytest.fixture(scope="module")
def issue_ws(stored_ledger: Any) -> str:
    workspace_id: str = stored_ledger(issue_ledger(), NOW, "TISSUE")
    return workspace_id


def ask(database: Database, workspace_id: str, question: str) -> dict[str, Any]:
    ledger = issue_ledger()
    index = index_for(tuple(AccountRef(a.id, a.name, a.domain) for a in ledger.accounts.values()))
    with database.session() as session:
        query = parse(question, index, NOW, "UTC")
        return ask_json(question, answer(session, workspace_id, query, NOW), NOW)


@pytest.mark.parametrize(("question", "intent", "account", "expect"), EXAMPLES)
def test_issue_example(
    migrated_database: Database,
    issue_ws: str,
    question: str,
    intent: str,
    account: str | None,
    expect: dict[str, Any],
) -> None:
    got = ask(migrated_database, issue_ws, question)
    spec = {"id": question, "q": question, "intent": intent, "account": account, "expect": expect}
    assert check(got, spec) == []


def test_what_an_account_pays_is_its_mrr_not_its_payment_status(
    migrated_database: Database, issue_ws: str
) -> None:
    got = ask(migrated_database, issue_ws, "how much is Firefly Studios paying us")
    assert got["result"]["mrr"] == [usd("2000.00")]
    assert got["text"].startswith("Firefly Studios pays $2,000.00 a month")


def test_a_comparison_shows_both_points_and_the_change(
    migrated_database: Database, issue_ws: str
) -> None:
    got = ask(migrated_database, issue_ws, "MRR now vs three months ago?")
    sides = got["entities"]["comparison"]
    assert [s["at"] for s in sides] == ["2025-11-10", "2026-02-10"]
    assert got["entities"]["time"]["kind"] == "comparison"
    comparison = got["result"]["comparison"]
    assert comparison["before"]["mrr"] == [usd("9900.00")]
    assert comparison["after"]["mrr"] == [usd("11400.00")]
    assert comparison["change"]["mrr"] == [usd("1500.00")]
    assert comparison["change"]["percent"] == {"USD": 15.15}
    assert "$9,900.00 → $11,400.00 (+$1,500.00, +15.15%)" in got["text"]


def test_a_point_in_time_answers_that_point(migrated_database: Database, issue_ws: str) -> None:
    got = ask(
        migrated_database, issue_ws, "what was Bellwether Research's MRR at the end of December"
    )
    assert got["entities"]["time"] == {"kind": "point", "at": "2025-12-31"}
    assert got["result"]["point"]["mrr"] == [usd("900.00")]
    assert got["result"]["mrr"] == [usd("1800.00")]  # today's figures follow
    assert got["text"].startswith("Bellwether Research MRR at the end of Dec 31, 2025: $900.00")


def test_a_filter_is_shown_and_applied(migrated_database: Database, issue_ws: str) -> None:
    got = ask(migrated_database, issue_ws, "which clients owe us more than three grand? 💸")
    filters = got["entities"]["filters"]
    assert filters["min_amount_major"] == 3000 and filters["min_amount_strict"] is True
    assert got["result"]["count"] == 2
    assert "not_honoured" not in got["result"]


def test_a_filter_an_answer_cannot_apply_is_named(
    migrated_database: Database, issue_ws: str
) -> None:
    got = ask(migrated_database, issue_ws, "who is scheduled to cancel, overdue more than 30 days")
    assert got["intent"] == "scheduled_cancellations"
    assert got["result"]["not_honoured"] == ["the filter 'more than 30 days'"]
    assert "I could not apply the filter 'more than 30 days'" in got["text"]


def test_a_weekday_naming_a_meeting_is_not_a_date(
    migrated_database: Database, issue_ws: str
) -> None:
    got = ask(
        migrated_database,
        issue_ws,
        "prepping for thursday's board meeting — what's total MRR right now",
    )
    assert got["entities"]["period"] is None
    assert got["entities"]["time"] == {"kind": "now"}
