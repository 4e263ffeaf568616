"""A fourth held-out batch, written blind after the fixes for cases_heldout3.py, to re-measure.

The invented world of invented_world.py (lookalike names "Orchard Hill
Bakery"/"Orchard Hill Vineyards", "Tidewater Labs"/"Tidewater Logistics",
accents, apostrophes, ampersands) at another as-of date (a Thursday early in
December, late in Q4). Same row format and expectation keys as cases_heldout.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

AS_OF = date(2026, 12, 3)  # a Thursday, in Q4

Case = tuple[str, str, str | None, dict[str, Any]]
FollowUp = tuple[str, str, str, str | None, dict[str, Any]]


def back(**delta: int) -> tuple[str, str]:
    return ((AS_OF - relativedelta(**delta)).isoformat(), AS_OF.isoformat())  # type: ignore[arg-type]


def ahead(**delta: int) -> tuple[str, str]:
    return (AS_OF.isoformat(), (AS_OF + relativedelta(**delta)).isoformat())  # type: ignore[arg-type]


TODAY = ("2026-12-03", "2026-12-03")
THIS_WEEK = ("2026-11-30", "2026-12-03")
LAST_WEEK = ("2026-11-23", "2026-11-29")
THIS_MONTH = ("2026-12-01", "2026-12-03")
LAST_MONTH = ("2026-11-01", "2026-11-30")
OCTOBER = ("2026-10-01", "2026-10-31")
THIS_QUARTER = ("2026-10-01", "2026-12-03")
LAST_QUARTER = ("2026-07-01", "2026-09-30")
YTD = ("2026-01-01", "2026-12-03")
NEXT_MONTH = ("2027-01-01", "2027-01-31")
N = "Northwind Traders"

CASES: list[Case] = [
    # overdue
    ("who do we need to chase for payment", "overdue_accounts", None, {}),
    ("invoices past their due date", "overdue_accounts", None, {}),
    ("overdue list pls", "overdue_accounts", None, {}),
    ("anyone more than 3 weeks overdue?", "overdue_accounts", None, {"min_days": 21}),
    (
        "which customers owe over 2,500 euros",
        "overdue_accounts",
        None,
        {"min_amount": "2500", "currency": "EUR"},
    ),
    ("late invoices older than ninety days", "overdue_accounts", None, {"min_days": 90}),
    ("how much is outstanding and overdue", "overdue_accounts", None, {}),
    (
        "overdue by at least 7 days and over $250",
        "overdue_accounts",
        None,
        {"min_days": 7, "min_amount": "250", "currency": "USD"},
    ),
    ("who hasnt paid their invoice", "overdue_accounts", None, {}),
    ("unpaid > 45 days", "overdue_accounts", None, {"min_days": 45}),
    # failed
    ("declined payments this week", "failed_payments", None, {"period": THIS_WEEK}),
    ("any failed charges today", "failed_payments", None, {"period": TODAY}),
    ("card failures in october", "failed_payments", None, {"period": OCTOBER}),
    ("failed payments last quarter", "failed_payments", None, {"period": LAST_QUARTER}),
    (
        "how many payments bounced in the past 2 months",
        "failed_payments",
        None,
        {"period": back(months=2)},
    ),
    (
        "failed paymets since nov 15",
        "failed_payments",
        None,
        {"period": ("2026-11-15", "2026-12-03")},
    ),
    ("which cards got rejected last week", "failed_payments", None, {"period": LAST_WEEK}),
    # at risk
    ("ARR exposed to failed payments", "arr_at_risk", None, {}),
    (
        "how much arr is at stake from failed cards this quarter",
        "arr_at_risk",
        None,
        {"period": THIS_QUARTER},
    ),
    ("revenue at risk", "arr_at_risk", None, {}),
    (
        "what's at risk because of payment failures last month",
        "arr_at_risk",
        None,
        {"period": LAST_MONTH},
    ),
    # summary
    ("Northwind", "account_summary", N, {}),
    ("how are things with zorblax", "account_summary", "Zorblax Robotics", {}),
    ("pemberton and sons", "account_summary", "Pemberton & Sons Ltd", {}),
    ("lookup quasardynamics.com", "account_summary", "Quasar Dynamics", {}),
    ("what's Lighthouse Dental's MRR", "account_summary", "Lighthouse Dental Group", {}),
    ("Credit Riviere overview", "account_summary", "Crédit Rivière", {}),
    ("mueller werkzeug account", "account_summary", "Müller Werkzeug GmbH", {}),
    ("what plan is bluebird on?", "account_summary", "Bluebird Analytics", {}),
    ("Harper Lane Studio — quick summary", "account_summary", "Harper Lane Studio", {}),
    ("tell me about CLS", "account_summary", "Copperleaf Systems", {}),
    ("give me the lowdown on Marigold Vet", "account_summary", "Marigold Veterinary", {}),
    ("obsidian security", "account_summary", "Obsidian Security Inc.", {}),
    ("Dr Patel's clinic details", "account_summary", "Dr. Patel's Clinic", {}),
    ("O'Brien Consulting?", "account_summary", "O'Brien Consulting", {}),
    ("obrien consulting status", "account_summary", "O'Brien Consulting", {}),
    ("fjord and fell", "account_summary", "Fjord & Fell", {}),
    (
        "Orchard Hill",
        "account_summary",
        None,
        {"candidates": {"Orchard Hill Bakery", "Orchard Hill Vineyards"}},
    ),
    ("Tidewater", "account_summary", "Tidewater Labs", {}),
    ("Wavecrest Surf School ARR", "account_summary", "Wavecrest Surf School", {}),
    # account trend
    (
        "Kingfisher Architects MRR over the last year",
        "account_mrr_trend",
        "Kingfisher Architects",
        {"period": back(years=1)},
    ),
    ("graph Saffron Kitchen's mrr", "account_mrr_trend", "Saffron Kitchen", {}),
    (
        "how has granola gear's revenue trended this year",
        "account_mrr_trend",
        "Granola Gear Co",
        {"period": YTD},
    ),
    (
        "Apex mrr by month since June",
        "account_mrr_trend",
        "Apex",
        {"period": ("2026-06-01", "2026-12-03")},
    ),
    # mrr total
    ("what's the MRR today", "mrr_total", None, {}),
    ("total ARR", "mrr_total", None, {}),
    ("where is our run rate at", "mrr_total", None, {}),
    ("MRR at end of Q3", "mrr_total", None, {"at": "2026-09-30"}),
    ("how many active clients are there", "mrr_total", None, {}),
    ("recurring rev?", "mrr_total", None, {}),
    # mrr trend
    ("MRR by month this year", "mrr_trend", None, {"period": YTD}),
    ("how's our mrr trending", "mrr_trend", None, {}),
    ("arr over the last 2 quarters", "mrr_trend", None, {"period": back(months=6)}),
    ("plot MRR for 2025", "mrr_trend", None, {"period": ("2025-01-01", "2025-12-31")}),
    # movements
    ("mrr movement in november", "mrr_movements", None, {"period": LAST_MONTH}),
    (
        "new, expansion, contraction and churn this quarter",
        "mrr_movements",
        None,
        {"period": THIS_QUARTER},
    ),
    ("expansion mrr last month", "mrr_movements", None, {"period": LAST_MONTH}),
    ("who expanded in october", "mrr_movements", None, {"period": OCTOBER}),
    ("customers who came back this year", "mrr_movements", None, {"period": YTD}),
    ("net new ARR this month", "mrr_movements", None, {"period": THIS_MONTH}),
    # churn
    ("churn in november", "churn_rate", None, {"period": LAST_MONTH}),
    ("what was our churn rate last quarter", "churn_rate", None, {"period": LAST_QUARTER}),
    ("how many customers did we lose this month", "churn_rate", None, {"period": THIS_MONTH}),
    ("churned mrr ytd", "churn_rate", None, {"period": YTD}),
    ("revenue churn %", "churn_rate", None, {}),
    ("retention this year", "churn_rate", None, {"period": YTD}),
    # top
    ("top ten clients", "top_accounts", None, {"limit": 10}),
    ("our 5 largest accounts", "top_accounts", None, {"limit": 5}),
    ("biggest customer", "top_accounts", None, {"limit": 1}),
    ("who pays us the most each month", "top_accounts", None, {}),
    ("highest MRR accounts", "top_accounts", None, {}),
    # lifetime
    ("Northwind lifetime value", "lifetime_revenue", N, {}),
    ("how much has zorblax spent with us", "lifetime_revenue", "Zorblax Robotics", {}),
    ("top 3 accounts by total revenue all time", "lifetime_revenue", None, {"limit": 3}),
    ("total collected from Apex so far", "lifetime_revenue", "Apex", {}),
    # invoices
    ("invoices for Quasar", "account_invoices", "Quasar Dynamics", {}),
    ("copperleaf's latest invoice", "account_invoices", "Copperleaf Systems", {}),
    ("billing history for Harper Lane", "account_invoices", "Harper Lane Studio", {}),
    (
        "show the 3 most recent invoices of Saffron Kitchen",
        "account_invoices",
        "Saffron Kitchen",
        {"limit": 3},
    ),
    # payment status
    ("is Northwind paying on time?", "payment_status", N, {}),
    ("did bluebird pay their last invoice", "payment_status", "Bluebird Analytics", {}),
    ("is Kingfisher Architects overdue", "payment_status", "Kingfisher Architects", {}),
    ("why did Marigold's payment fail", "payment_status", "Marigold Veterinary", {}),
    ("is the revenue collective behind", "payment_status", "The Revenue Collective", {}),
    # cancellations
    ("who cancelled in november", "cancellations", None, {"period": LAST_MONTH}),
    ("cancellations this week", "cancellations", None, {"period": THIS_WEEK}),
    ("subscriptions canceled last quarter", "cancellations", None, {"period": LAST_QUARTER}),
    ("canceled accounts ytd", "cancellations", None, {"period": YTD}),
    # scheduled
    ("who is set to churn at the end of their term", "scheduled_cancellations", None, {}),
    ("accounts that won't renew", "scheduled_cancellations", None, {}),
    ("who's cancelling at period end", "scheduled_cancellations", None, {}),
    ("anyone on their way out?", "scheduled_cancellations", None, {}),
    # downgrades
    ("downgrades this quarter", "downgrades", None, {"period": THIS_QUARTER}),
    ("who moved to a smaller plan last month", "downgrades", None, {"period": LAST_MONTH}),
    ("contraction in october", "downgrades", None, {"period": OCTOBER}),
    ("accounts that reduced seats this year", "downgrades", None, {"period": YTD}),
    # upsell
    ("upsell targets", "upsell_candidates", None, {}),
    ("where can we expand revenue", "upsell_candidates", None, {}),
    ("which clients should get an upgrade pitch", "upsell_candidates", None, {}),
    ("accounts with room to grow", "upsell_candidates", None, {}),
    # renewals
    ("renewals next 30 days", "renewals", None, {"period": ahead(days=30)}),
    ("who's renewing in january", "renewals", None, {"period": NEXT_MONTH}),
    ("contracts up for renewal next month", "renewals", None, {"period": NEXT_MONTH}),
    ("upcoming renewals", "renewals", None, {}),
    # trials
    ("active trials", "trials", None, {}),
    ("trials that end in the next two weeks", "trials", None, {"period": ahead(days=14)}),
    ("who's trialing right now", "trials", None, {}),
    # new customers
    ("new customers in november", "new_customers", None, {"period": LAST_MONTH}),
    ("new logos this quarter", "new_customers", None, {"period": THIS_QUARTER}),
    ("how many customers did we add this year", "new_customers", None, {"period": YTD}),
    ("who became a paying customer last week", "new_customers", None, {"period": LAST_WEEK}),
    ("signups since october 1", "new_customers", None, {"period": THIS_QUARTER}),
    # help / unknown
    ("hi", "help", None, {}),
    ("what questions can I ask?", "help", None, {}),
    ("examples", "help", None, {}),
    ("remind me to call mom", "unknown", None, {}),
    ("what's 2+2", "unknown", None, {}),
    ("sing a song", "unknown", None, {}),
    ("who is the CEO of Apple", "unknown", None, {}),
    ("how many slack channels do we have", "unknown", None, {}),
]

FOLLOW_UPS: list[FollowUp] = [
    ("churn in november", "and october?", "churn_rate", None, {"period": OCTOBER}),
    ("who is overdue", "just the ones over $1k", "overdue_accounts", None, {"min_amount": "1000"}),
    ("Northwind invoices", "what about Apex", "account_invoices", "Apex", {}),
    ("how's Zorblax doing", "their lifetime revenue?", "lifetime_revenue", "Zorblax Robotics", {}),
    (
        "new customers this month",
        "same for last quarter",
        "new_customers",
        None,
        {"period": LAST_QUARTER},
    ),
    ("top 5 clients", "top 20?", "top_accounts", None, {"limit": 20}),
    (
        "failed payments this week",
        "and the week before?",
        "failed_payments",
        None,
        {"period": LAST_WEEK},
    ),
    ("overdue more than 30 days", "only above 90", "overdue_accounts", None, {"min_days": 90}),
    ("Apex MRR trend", "what about Saffron Kitchen", "account_mrr_trend", "Saffron Kitchen", {}),
    ("renewals next 30 days", "and next 90?", "renewals", None, {"period": ahead(days=90)}),
]
