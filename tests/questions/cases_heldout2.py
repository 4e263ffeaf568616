"""A second held-out set, written after tuning on cases_heldout.py, to measure generalisation.

Another account list (names with cue words in them: "Renew Energy", "Trial
Lawyers Group", "New Leaf Gardens", "Cash Flow Partners", "Best Buy
Supplies"), another as-of date (a Tuesday early in a quarter), same row format
and expectation keys as cases_heldout.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

from questions.accounts import AccountIndex
from questions.query import AccountRef

AS_OF = date(2026, 3, 3)  # a Tuesday

_ROWS: list[tuple[str, str | None, tuple[str, ...]]] = [
    ("Harbor Lights Inc", "harborlights.com", ()),
    ("Sunrise Bakery & Café", "sunrisebakery.com", ()),
    ("Delta Freight Co", "deltafreight.com", ()),
    ("Open Road Travel", "openroad.travel", ()),
    ("Fast Track Fitness", "fasttrack.fit", ()),
    ("Nordlicht GmbH", "nordlicht.de", ()),
    ("Peña Solutions", "pena.solutions", ()),
    ("42 Studios", "42studios.com", ()),
    ("Iris", "iris.so", ()),
    ("Iris Labs", "irislabs.com", ()),
    ("Cash Flow Partners", "cashflowpartners.com", ()),
    ("New Leaf Gardens", "newleaf.garden", ()),
    ("Renew Energy", "renewenergy.com", ()),
    ("Trial Lawyers Group", "triallawyers.law", ()),
    ("Best Buy Supplies", "bestbuysupplies.com", ()),
]


def heldout2_accounts() -> tuple[AccountRef, ...]:
    return tuple(
        AccountRef(id=f"h2-{i:02d}", name=name, domain=domain, aliases=aliases)
        for i, (name, domain, aliases) in enumerate(_ROWS)
    )


def heldout2_index() -> AccountIndex:
    return AccountIndex(heldout2_accounts())


Case = tuple[str, str, str | None, dict[str, Any]]


def back(**delta: int) -> tuple[str, str]:
    return ((AS_OF - relativedelta(**delta)).isoformat(), AS_OF.isoformat())  # type: ignore[arg-type]


def ahead(**delta: int) -> tuple[str, str]:
    return (AS_OF.isoformat(), (AS_OF + relativedelta(**delta)).isoformat())  # type: ignore[arg-type]


THIS_MONTH = ("2026-03-01", "2026-03-03")
FEB = ("2026-02-01", "2026-02-28")
LAST_QUARTER = ("2025-10-01", "2025-12-31")
THIS_QUARTER = ("2026-01-01", "2026-03-03")
YTD = THIS_QUARTER
LAST_WEEK = ("2026-02-23", "2026-03-01")
SINCE_FRIDAY = ("2026-02-27", "2026-03-03")
H2_2025 = ("2025-07-01", "2025-12-31")

CASES: list[Case] = [
    # overdue
    ("who's got unpaid bills older than 45 days", "overdue_accounts", None, {"min_days": 45}),
    (
        "overdue, but only under €300",
        "overdue_accounts",
        None,
        {"max_amount": "300", "currency": "EUR"},
    ),
    ("accts late by 2-4 weeks", "overdue_accounts", None, {"min_days": 14, "max_days": 28}),
    (
        "which customers are in arrears by more than sixty days?",
        "overdue_accounts",
        None,
        {"min_days": 60},
    ),
    ("unpaid invoices no more than 15 days late", "overdue_accounts", None, {"max_days": 15}),
    ("overdue > $10k", "overdue_accounts", None, {"min_amount": "10000", "currency": "USD"}),
    (
        "overdue from 500 to 2000 dollars",
        "overdue_accounts",
        None,
        {"min_amount": "500", "max_amount": "2000", "currency": "USD"},
    ),
    ("any late payments I should know about?", "overdue_accounts", None, {}),
    # failed
    ("cards declined since Friday", "failed_payments", None, {"period": SINCE_FRIDAY}),
    (
        "failed payment attempts during the second half of last year",
        "failed_payments",
        None,
        {"period": H2_2025},
    ),
    ("how many charges failed last wk", "failed_payments", None, {"period": LAST_WEEK}),
    ("payments declined in the past ten days", "failed_payments", None, {"period": back(days=10)}),
    (
        "failed payments on Monday",
        "failed_payments",
        None,
        {"period": ("2026-03-02", "2026-03-02")},
    ),
    ("failed payments Q4", "failed_payments", None, {"period": LAST_QUARTER}),
    # at risk
    ("how much annual revenue is exposed to failed payments", "arr_at_risk", None, {}),
    ("ARR at risk last quarter", "arr_at_risk", None, {"period": LAST_QUARTER}),
    ("what revenue might we lose because of card failures", "arr_at_risk", None, {}),
    # summary
    ("Harbor Lights", "account_summary", "Harbor Lights Inc", {}),
    ("how're things at sunrise bakery", "account_summary", "Sunrise Bakery & Café", {}),
    ("Sunrise Bakery and Cafe details", "account_summary", "Sunrise Bakery & Café", {}),
    ("Delta Frieght overview", "account_summary", "Delta Freight Co", {}),
    ("open road travel?", "account_summary", "Open Road Travel", {}),
    ("FastTrack Fitness summary", "account_summary", "Fast Track Fitness", {}),
    ("nordlicht", "account_summary", "Nordlicht GmbH", {}),
    ("Pena Solutions status", "account_summary", "Peña Solutions", {}),
    ("42 Studios account overview", "account_summary", "42 Studios", {}),
    ("Iris", "account_summary", "Iris", {}),
    ("how's iris labs doing", "account_summary", "Iris Labs", {}),
    ("Cash Flow Partners summary", "account_summary", "Cash Flow Partners", {}),
    ("New Leaf Gardens", "account_summary", "New Leaf Gardens", {}),
    ("how is Renew Energy doing", "account_summary", "Renew Energy", {}),
    ("Trial Lawyers Group plan", "account_summary", "Trial Lawyers Group", {}),
    ("Best Buy Supplies MRR", "account_summary", "Best Buy Supplies", {}),
    # account trend
    (
        "Harbor Lights MRR since October",
        "account_mrr_trend",
        "Harbor Lights Inc",
        {"period": ("2025-10-01", "2026-03-03")},
    ),
    (
        "how has Iris Labs' MRR moved over the last year",
        "account_mrr_trend",
        "Iris Labs",
        {"period": back(days=365)},
    ),
    (
        "Open Road Travel revenue trend H2 last year",
        "account_mrr_trend",
        "Open Road Travel",
        {"period": H2_2025},
    ),
    (
        "42 Studios monthly MRR over the past 6 months",
        "account_mrr_trend",
        "42 Studios",
        {"period": back(months=6)},
    ),
    # mrr total
    ("what's MRR looking like today", "mrr_total", None, {}),
    ("ARR at the end of 2025", "mrr_total", None, {"at": "2025-12-31"}),
    ("MRR as of Feb 1", "mrr_total", None, {"at": "2026-02-01"}),
    ("total recurring revenue in GBP", "mrr_total", None, {"currency": "GBP"}),
    ("mrr end of last quarter", "mrr_total", None, {"at": "2025-12-31"}),
    # trend
    (
        "ARR trend since the start of last year",
        "mrr_trend",
        None,
        {"period": ("2025-01-01", "2026-03-03")},
    ),
    ("MRR by month over the past two quarters", "mrr_trend", None, {"period": back(months=6)}),
    ("mrr month by month for 2025", "mrr_trend", None, {"period": ("2025-01-01", "2025-12-31")}),
    # movements
    (
        "expansion and contraction since the beginning of the year",
        "mrr_movements",
        None,
        {"period": YTD},
    ),
    ("MRR movements last wk", "mrr_movements", None, {"period": LAST_WEEK}),
    ("what drove the change in MRR in February?", "mrr_movements", None, {"period": FEB}),
    ("net new ARR this quarter", "mrr_movements", None, {"period": THIS_QUARTER}),
    # churn
    ("churn % last quarter", "churn_rate", None, {"period": LAST_QUARTER}),
    ("how many customers churned in February", "churn_rate", None, {"period": FEB}),
    (
        "what's the logo churn rate since October",
        "churn_rate",
        None,
        {"period": ("2025-10-01", "2026-03-03")},
    ),
    ("customer attrition in H2", "churn_rate", None, {"period": H2_2025}),
    # top
    ("biggest three accounts", "top_accounts", None, {"limit": 3}),
    ("top fifteen customers by MRR", "top_accounts", None, {"limit": 15}),
    ("who are the largest customers in euros", "top_accounts", None, {"currency": "EUR"}),
    ("our top client?", "top_accounts", None, {"limit": 1}),
    # lifetime
    ("how much have we billed Harbor Lights overall", "lifetime_revenue", "Harbor Lights Inc", {}),
    ("Nordlicht lifetime value", "lifetime_revenue", "Nordlicht GmbH", {}),
    ("accounts ranked by all-time revenue", "lifetime_revenue", None, {}),
    # invoices
    (
        "Open Road Travel invoices from January",
        "account_invoices",
        "Open Road Travel",
        {"period": ("2026-01-01", "2026-03-03")},
    ),
    ("list invoices for Iris", "account_invoices", "Iris", {}),
    (
        "Peña Solutions' invoices last quarter",
        "account_invoices",
        "Peña Solutions",
        {"period": LAST_QUARTER},
    ),
    ("Renew Energy invoices", "account_invoices", "Renew Energy", {}),
    # payment status
    ("is Delta Freight up to date?", "payment_status", "Delta Freight Co", {}),
    ("is Cash Flow Partners paying on time?", "payment_status", "Cash Flow Partners", {}),
    ("did New Leaf Gardens' payment go through?", "payment_status", "New Leaf Gardens", {}),
    ("Does Trial Lawyers Group owe anything?", "payment_status", "Trial Lawyers Group", {}),
    # cancellations
    ("who canceled in February", "cancellations", None, {"period": FEB}),
    ("cancellations last wk", "cancellations", None, {"period": LAST_WEEK}),
    ("subscriptions cancelled since Friday", "cancellations", None, {"period": SINCE_FRIDAY}),
    ("which clients walked away last quarter", "cancellations", None, {"period": LAST_QUARTER}),
    # scheduled
    ("who has scheduled a cancellation", "scheduled_cancellations", None, {}),
    ("subscriptions ending at the end of their current term", "scheduled_cancellations", None, {}),
    ("accounts that won't renew", "scheduled_cancellations", None, {}),
    # downgrades
    ("who dropped to a lower tier in February", "downgrades", None, {"period": FEB}),
    ("seat cuts since the start of the year", "downgrades", None, {"period": YTD}),
    ("downgrades H2 2025", "downgrades", None, {"period": H2_2025}),
    # upsell
    ("which accounts might be ready to upgrade", "upsell_candidates", None, {}),
    ("expansion targets", "upsell_candidates", None, {}),
    # renewals
    ("renewals over the next three weeks", "renewals", None, {"period": ahead(weeks=3)}),
    (
        "who comes up for renewal in April",
        "renewals",
        None,
        {"period": ("2026-04-01", "2026-04-30")},
    ),
    (
        "renewals before the end of the month",
        "renewals",
        None,
        {"period": ("2026-03-03", "2026-03-31")},
    ),
    # trials
    ("trials that end this week", "trials", None, {"period": ("2026-03-03", "2026-03-08")}),
    ("anyone in trial?", "trials", None, {}),
    # new
    (
        "new accounts since the start of the quarter",
        "new_customers",
        None,
        {"period": THIS_QUARTER},
    ),
    ("how many logos did we add in February", "new_customers", None, {"period": FEB}),
    ("first-time customers this month", "new_customers", None, {"period": THIS_MONTH}),
    # help / unknown
    ("what kinds of questions do you understand?", "help", None, {}),
    ("what's ARPU", "unknown", None, {"suggest": "mrr_total"}),
    ("where is the office", "unknown", None, {}),
]

FollowUp = tuple[str, str, str, str | None, dict[str, Any]]

FOLLOW_UPS: list[FollowUp] = [
    ("who is overdue", "what about those over 90 days", "overdue_accounts", None, {"min_days": 90}),
    ("Harbor Lights summary", "and Iris Labs?", "account_summary", "Iris Labs", {}),
    ("churn last month", "and in Q4?", "churn_rate", None, {"period": LAST_QUARTER}),
    ("top 5 accounts", "show 20", "top_accounts", None, {"limit": 20}),
    (
        "renewals next 30 days",
        "what about april",
        "renewals",
        None,
        {"period": ("2026-04-01", "2026-04-30")},
    ),
]
