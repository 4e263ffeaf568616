"""An eighth held-out batch, written blind: long, chatty, multi-clause Slack messages.

The invented world of invented_world.py at the last day of Q1 2027.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

AS_OF = date(2027, 3, 31)  # a Wednesday

Case = tuple[str, str, str | None, dict[str, Any]]


def back(**delta: int) -> tuple[str, str]:
    return ((AS_OF - relativedelta(**delta)).isoformat(), AS_OF.isoformat())  # type: ignore[arg-type]


MARCH = ("2027-03-01", "2027-03-31")
FEB = ("2027-02-01", "2027-02-28")
Q1 = ("2027-01-01", "2027-03-31")
Q4 = ("2026-10-01", "2026-12-31")
LAST_WEEK = ("2027-03-22", "2027-03-28")

CASES: list[Case] = [
    (
        "hey team, before the board meeting can someone tell me who is more than 60 days overdue?",
        "overdue_accounts",
        None,
        {"min_days": 60},
    ),
    (
        "I'm prepping the QBR — what did our MRR look like month by month over the last 6 months?",
        "mrr_trend",
        None,
        {"period": back(months=6)},
    ),
    (
        "quick one: how many payments failed last week and who were they?",
        "failed_payments",
        None,
        {"period": LAST_WEEK},
    ),
    (
        "I have a call with Northwind in 10 min, can you give me a quick summary?",
        "account_summary",
        "Northwind Traders",
        {},
    ),
    (
        "Zorblax says they paid last week but I'm not sure — are they still overdue?",
        "payment_status",
        "Zorblax Robotics",
        {},
    ),
    (
        "for the investor update I need our ARR right now, in USD if possible",
        "mrr_total",
        None,
        {},
    ),
    ("what was churn like in Q1? feels high", "churn_rate", None, {"period": Q1}),
    (
        "can you pull the last few invoices we sent to Quasar Dynamics?",
        "account_invoices",
        "Quasar Dynamics",
        {},
    ),
    (
        "which of our customers are up for renewal in the next 45 days so I can reach out",
        "renewals",
        None,
        {"period": ("2027-03-31", "2027-05-15")},
    ),
    (
        "who signed up in March? want to send them a welcome gift",
        "new_customers",
        None,
        {"period": MARCH},
    ),
    (
        "Saffron Kitchen emailed about downgrading — how much do they pay us now?",
        "account_summary",
        "Saffron Kitchen",
        {},
    ),
    (
        "did anyone cancel in February? the numbers looked off",
        "cancellations",
        None,
        {"period": FEB},
    ),
    (
        "I think a few accounts are going to cancel at the end of their term, who are they?",
        "scheduled_cancellations",
        None,
        {},
    ),
    (
        "we're planning an upsell campaign — which accounts look like good targets?",
        "upsell_candidates",
        None,
        {},
    ),
    (
        "how much revenue is at risk because cards are failing right now?",
        "arr_at_risk",
        None,
        {},
    ),
    (
        "can I get the top 10 clients by MRR for the deck",
        "top_accounts",
        None,
        {"limit": 10},
    ),
    (
        "what's the total Bluebird Analytics has paid us since they became a customer?",
        "lifetime_revenue",
        "Bluebird Analytics",
        {},
    ),
    (
        "any trials ending this week that sales should follow up on?",
        "trials",
        None,
        {},
    ),
    (
        "how did expansion compare to contraction in Q4?",
        "mrr_movements",
        None,
        {"period": Q4},
    ),
    (
        "who downgraded in the last 30 days and by how much?",
        "downgrades",
        None,
        {"period": back(days=30)},
    ),
    (
        "Copperleaf's MRR over time please, I want to see if they're growing",
        "account_mrr_trend",
        "Copperleaf Systems",
        {},
    ),
    (
        "is Marigold Veterinary current on their payments or do we need to chase them?",
        "payment_status",
        "Marigold Veterinary",
        {},
    ),
    (
        "I keep forgetting, what kind of stuff can I ask you?",
        "help",
        None,
        {},
    ),
    (
        "can you order lunch for the offsite on friday",
        "unknown",
        None,
        {},
    ),
]
