"""A seventh held-out batch, written blind: thread follow-ups in many shapes, and
nonsense that must stay ``unknown``. World and as-of date of cases_heldout3.py.
"""

from __future__ import annotations

from typing import Any

from tests.questions.cases_heldout3 import (
    APRIL,
    AS_OF,
    LAST_WEEK,
    MARCH,
    Q1,
    Q4_2025,
    THIS_MONTH,
    THIS_WEEK,
    YTD,
    ahead,
    back,
)

__all__ = ["AS_OF", "CASES", "FOLLOW_UPS"]

Case = tuple[str, str, str | None, dict[str, Any]]
FollowUp = tuple[str, str, str, str | None, dict[str, Any]]

CASES: list[Case] = [
    ("blah blah", "unknown", None, {}),
    ("qwerty uiop", "unknown", None, {}),
    ("the quick brown fox jumps over the lazy dog", "unknown", None, {}),
    ("can you set a reminder for friday", "unknown", None, {}),
    ("what's for lunch", "unknown", None, {}),
    ("is it going to rain tomorrow", "unknown", None, {}),
    ("good morning", "unknown", None, {}),
    ("👍", "unknown", None, {}),
    ("1234", "unknown", None, {}),
    ("who is on call this week", "unknown", None, {}),
]

FOLLOW_UPS: list[FollowUp] = [
    # period changes
    (
        "failed payments this week",
        "what about last week?",
        "failed_payments",
        None,
        {"period": LAST_WEEK},
    ),
    ("new customers in April", "and March?", "new_customers", None, {"period": MARCH}),
    ("churn rate in Q1", "how about Q4?", "churn_rate", None, {"period": Q4_2025}),
    ("cancellations this month", "ytd?", "cancellations", None, {"period": YTD}),
    ("downgrades last month", "and this month so far?", "downgrades", None, {"period": THIS_MONTH}),
    (
        "mrr movements in March",
        "the month before?",
        "mrr_movements",
        None,
        {"period": ("2026-02-01", "2026-02-28")},
    ),
    (
        "renewals next 30 days",
        "and the next 90 days?",
        "renewals",
        None,
        {"period": ahead(days=90)},
    ),
    ("failed payments last 7 days", "last 30?", "failed_payments", None, {"period": back(days=30)}),
    ("new signups this week", "same but for Q1", "new_customers", None, {"period": Q1}),
    # account changes
    ("how is Lumen Labs doing", "and Pixel Forge?", "account_summary", "Pixel Forge", {}),
    ("is Nova overdue?", "what about zeta.io", "payment_status", "Zeta", {}),
    ("Atlas Freight invoices", "same for Kiwi & Co", "account_invoices", "Kiwi & Co", {}),
    (
        "lifetime revenue for Redwood Legal",
        "and for Okafor Design?",
        "lifetime_revenue",
        "Okafor Design Studio",
        {},
    ),
    (
        "Evergreen Pools MRR trend",
        "how about Maple Street Bakery",
        "account_mrr_trend",
        "Maple Street Bakery",
        {},
    ),
    ("who is overdue?", "and Top Shelf Spirits?", "payment_status", "Top Shelf Spirits", {}),
    # intent changes keeping the account
    ("how is Lumen Labs doing", "show their invoices", "account_invoices", "Lumen Labs", {}),
    ("Pixel Forge invoices", "and its lifetime revenue?", "lifetime_revenue", "Pixel Forge", {}),
    ("how's Nova doing", "is it overdue?", "payment_status", "Nova", {}),
    # intent changes keeping the period
    ("new customers last month", "and cancellations?", "cancellations", None, {"period": APRIL}),
    (
        "failed payments this week",
        "and what's at risk?",
        "arr_at_risk",
        None,
        {"period": THIS_WEEK},
    ),
    # filters and limits
    ("top 10 accounts", "just the top 3", "top_accounts", None, {"limit": 3}),
    (
        "overdue accounts",
        "only those more than 45 days",
        "overdue_accounts",
        None,
        {"min_days": 45},
    ),
    (
        "overdue more than 30 days",
        "and over $10k?",
        "overdue_accounts",
        None,
        {"min_days": 30, "min_amount": "10000"},
    ),
    ("who is overdue", "over 90 days?", "overdue_accounts", None, {"min_days": 90}),
    # new questions in the thread
    ("who is overdue", "what's our churn rate last month?", "churn_rate", None, {"period": APRIL}),
    ("how is Nova doing", "who are our top 5 customers?", "top_accounts", None, {"limit": 5}),
    ("failed payments this week", "thanks!", "unknown", None, {}),
]
