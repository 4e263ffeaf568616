"""A sixth held-out batch, written blind after the fixes for cases_heldout5.py.

The account list of cases_heldout2.py (names made of cue words: "Renew
Energy", "Trial Lawyers Group", "New Leaf Gardens", "Cash Flow Partners",
"Best Buy Supplies", "Fast Track Fitness", "Open Road Travel") at the last
day of a quarter, in the style of the shared questions. Same row format.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

AS_OF = date(2026, 9, 30)  # a Wednesday, last day of Q3

Case = tuple[str, str, str | None, dict[str, Any]]
FollowUp = tuple[str, str, str, str | None, dict[str, Any]]


def back(**delta: int) -> tuple[str, str]:
    return ((AS_OF - relativedelta(**delta)).isoformat(), AS_OF.isoformat())  # type: ignore[arg-type]


def ahead(**delta: int) -> tuple[str, str]:
    return (AS_OF.isoformat(), (AS_OF + relativedelta(**delta)).isoformat())  # type: ignore[arg-type]


THIS_MONTH = ("2026-09-01", "2026-09-30")
AUGUST = ("2026-08-01", "2026-08-31")
THIS_QUARTER = ("2026-07-01", "2026-09-30")
Q2 = ("2026-04-01", "2026-06-30")
THIS_WEEK = ("2026-09-28", "2026-09-30")
YTD = ("2026-01-01", "2026-09-30")
OCTOBER = ("2026-10-01", "2026-10-31")

CASES: list[Case] = [
    # accounts whose names hold cue words
    ("summarize Renew Energy", "account_summary", "Renew Energy", {}),
    ("is Renew Energy overdue?", "payment_status", "Renew Energy", {}),
    ("Renew Energy invoices", "account_invoices", "Renew Energy", {}),
    ("when does Renew Energy renew?", "account_summary", "Renew Energy", {}),
    ("Trial Lawyers Group mrr trend", "account_mrr_trend", "Trial Lawyers Group", {}),
    ("how is trial lawyers group doing", "account_summary", "Trial Lawyers Group", {}),
    ("New Leaf Gardens lifetime revenue", "lifetime_revenue", "New Leaf Gardens", {}),
    ("has New Leaf Gardens paid?", "payment_status", "New Leaf Gardens", {}),
    ("Cash Flow Partners payment status", "payment_status", "Cash Flow Partners", {}),
    ("Best Buy Supplies MRR", "account_summary", "Best Buy Supplies", {}),
    ("fast track fitness billing history", "account_invoices", "Fast Track Fitness", {}),
    ("open road travel", "account_summary", "Open Road Travel", {}),
    (
        "42 Studios mrr over the last 6 months",
        "account_mrr_trend",
        "42 Studios",
        {"period": back(months=6)},
    ),
    ("Iris", "account_summary", "Iris", {}),
    ("iris labs invoices", "account_invoices", "Iris Labs", {}),
    ("Pena Solutions overview", "account_summary", "Peña Solutions", {}),
    ("nordlicht", "account_summary", "Nordlicht GmbH", {}),
    ("Harbor Lights' last invoice", "account_invoices", "Harbor Lights Inc", {}),
    ("sunrise bakery cafe payment status", "payment_status", "Sunrise Bakery & Café", {}),
    ("delta freight total revenue to date", "lifetime_revenue", "Delta Freight Co", {}),
    # workspace questions that contain those cue words
    ("new customers this month", "new_customers", None, {"period": THIS_MONTH}),
    ("trials ending next month", "trials", None, {"period": OCTOBER}),
    ("renewals this quarter", "renewals", None, {}),
    ("best customers", "top_accounts", None, {}),
    # shared-question style
    ("list every client with an unpaid invoice", "overdue_accounts", None, {}),
    ("<@U0BOT> overdue more than 20 days?", "overdue_accounts", None, {"min_days": 20}),
    ("total overdue balance", "overdue_accounts", None, {}),
    ("payments that failed this week", "failed_payments", None, {"period": THIS_WEEK}),
    ("declined cards in august", "failed_payments", None, {"period": AUGUST}),
    ("ARR at risk this quarter", "arr_at_risk", None, {"period": THIS_QUARTER}),
    ("MRR now?", "mrr_total", None, {}),
    ("what's the MRR in each currency", "mrr_total", None, {}),
    ("MRR at the end of June", "mrr_total", None, {"at": "2026-06-30"}),
    ("mrr by month for Q2", "mrr_trend", None, {"period": Q2}),
    ("mrr movements in august", "mrr_movements", None, {"period": AUGUST}),
    ("expansion vs churn this quarter", "mrr_movements", None, {"period": THIS_QUARTER}),
    ("churn rate in August", "churn_rate", None, {"period": AUGUST}),
    ("what was logo churn ytd", "churn_rate", None, {"period": YTD}),
    ("top 6 accounts by ARR", "top_accounts", None, {"limit": 6}),
    ("largest account?", "top_accounts", None, {"limit": 1}),
    ("cancellations in the past 14 days", "cancellations", None, {"period": back(days=14)}),
    ("who canceled in august?", "cancellations", None, {"period": AUGUST}),
    ("who is set to cancel", "scheduled_cancellations", None, {}),
    # "the last month" is the last 30 days (test_periods.py), not a calendar month back.
    ("downgrades in the last month", "downgrades", None, {"period": back(days=30)}),
    ("which accounts could we grow", "upsell_candidates", None, {}),
    ("renewals due in the next 3 weeks", "renewals", None, {"period": ahead(days=21)}),
    ("trials in flight", "trials", None, {}),
    ("new paying customers in the last 60 days", "new_customers", None, {"period": back(days=60)}),
    ("what can you help me with?", "help", None, {}),
    ("write me a poem about invoices", "unknown", None, {}),
    ("who's the best basketball player", "unknown", None, {}),
]

FOLLOW_UPS: list[FollowUp] = [
    ("is Renew Energy overdue?", "what about Iris?", "payment_status", "Iris", {}),
    ("new customers this month", "and in August?", "new_customers", None, {"period": AUGUST}),
    ("top 6 accounts by ARR", "top 3", "top_accounts", None, {"limit": 3}),
    (
        "Trial Lawyers Group invoices",
        "and New Leaf Gardens?",
        "account_invoices",
        "New Leaf Gardens",
        {},
    ),
    ("churn rate in August", "same for Q2", "churn_rate", None, {"period": Q2}),
]
