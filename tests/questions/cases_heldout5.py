"""A fifth held-out batch, written blind after the fixes for cases_heldout4.py.

The world of cases_heldout3.py at a year-boundary as-of date (a Tuesday in the
first week of January: "last month" is December of the year before, "Q4" and
"last year" are last year's). Heavier on Slack markup, misspelt account names,
amount and number formats, and rarer time phrases. Same row format as the
other held-out sets.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

AS_OF = date(2027, 1, 5)  # a Tuesday

Case = tuple[str, str, str | None, dict[str, Any]]
FollowUp = tuple[str, str, str, str | None, dict[str, Any]]


def back(**delta: int) -> tuple[str, str]:
    return ((AS_OF - relativedelta(**delta)).isoformat(), AS_OF.isoformat())  # type: ignore[arg-type]


def ahead(**delta: int) -> tuple[str, str]:
    return (AS_OF.isoformat(), (AS_OF + relativedelta(**delta)).isoformat())  # type: ignore[arg-type]


THIS_WEEK = ("2027-01-04", "2027-01-05")
LAST_WEEK = ("2026-12-28", "2027-01-03")
THIS_MONTH = ("2027-01-01", "2027-01-05")
DECEMBER = ("2026-12-01", "2026-12-31")
NOVEMBER = ("2026-11-01", "2026-11-30")
Q4 = ("2026-10-01", "2026-12-31")
Q2 = ("2026-04-01", "2026-06-30")
YTD = ("2027-01-01", "2027-01-05")
LAST_YEAR = ("2026-01-01", "2026-12-31")
H2 = ("2026-07-01", "2026-12-31")
FEBRUARY = ("2027-02-01", "2027-02-28")
USD = {"currency": "USD"}

CASES: list[Case] = [
    # overdue, amounts and number formats
    ("overdue over $1.2k", "overdue_accounts", None, {"min_amount": "1200", **USD}),
    ("who owes more than USD 5,000", "overdue_accounts", None, {"min_amount": "5000", **USD}),
    ("past due above 5000 USD", "overdue_accounts", None, {"min_amount": "5000", **USD}),
    (
        "overdue accounts owing at least €3k",
        "overdue_accounts",
        None,
        {"min_amount": "3000", "currency": "EUR"},
    ),
    ("overdue for over forty-five days", "overdue_accounts", None, {"min_days": 45}),
    ("which clients are 2+ months overdue", "overdue_accounts", None, {"min_days": 60}),
    ("<!here> who's behind on invoices?", "overdue_accounts", None, {}),
    ("overdue > 1 week", "overdue_accounts", None, {"min_days": 7}),
    ("Who is overdue and by how much", "overdue_accounts", None, {}),
    ("past due less than two weeks", "overdue_accounts", None, {"max_days": 14}),
    # failed payments, time phrases
    ("failed payments last fortnight", "failed_payments", None, {"period": back(days=14)}),
    ("declines this past week", "failed_payments", None, {"period": back(days=7)}),
    ("failed charges in december", "failed_payments", None, {"period": DECEMBER}),
    ("payment failures in the second half of last year", "failed_payments", None, {"period": H2}),
    (
        "failed payments since Dec 20",
        "failed_payments",
        None,
        {"period": ("2026-12-20", "2027-01-05")},
    ),
    (
        "failed payments from November to December",
        "failed_payments",
        None,
        {"period": ("2026-11-01", "2026-12-31")},
    ),
    ("card declines in the last 6 weeks", "failed_payments", None, {"period": back(days=42)}),
    ("failed payments Q2 2026", "failed_payments", None, {"period": Q2}),
    # at risk
    ("arr @ risk", "arr_at_risk", None, {}),
    (
        "how much arr is in danger due to failed payments last quarter",
        "arr_at_risk",
        None,
        {"period": Q4},
    ),
    # accounts with markup, typos, possessives
    ("<https://www.lumenlabs.io|lumenlabs.io> summary", "account_summary", "Lumen Labs", {}),
    (
        "<mailto:ap@pixelforge.dev|ap@pixelforge.dev> invoices",
        "account_invoices",
        "Pixel Forge",
        {},
    ),
    ("how's lumen lab doing", "account_summary", "Lumen Labs", {}),
    ("pixle forge", "account_summary", "Pixel Forge", {}),
    ("Redwood's invoices", "account_invoices", "Redwood Legal LLP", {}),
    ("evergreen pool's mrr trend", "account_mrr_trend", "Evergreen Pools", {}),
    ("hummingbird", "account_summary", "Hummingbird Events", {}),
    ("What's Okafor's payment status?", "payment_status", "Okafor Design Studio", {}),
    ("señora tacos lifetime revenue", "lifetime_revenue", "Señora Tacos", {}),
    ("status on ironclad", "account_summary", "Ironclad Fitness", {}),
    ("is first choice dental up to date?", "payment_status", "First Choice Dental", {}),
    ("Atlas freight's last invoices", "account_invoices", "Atlas Freight", {}),
    ("how is atlas doing", "account_summary", "Atlas", {}),
    ("Growth Loop Agency MRR", "account_summary", "Growth Loop Agency", {}),
    ("Top Shelf Spirits payment status", "payment_status", "Top Shelf Spirits", {}),
    ("Overdrive Motors invoices", "account_invoices", "Overdrive Motors", {}),
    ("cobalt & pine overdue?", "payment_status", "Cobalt & Pine", {}),
    ("how much has Zeta paid us since they joined", "lifetime_revenue", "Zeta", {}),
    (
        "Maple Street Bakery revenue over the last 6 months",
        "account_mrr_trend",
        "Maple Street Bakery",
        {"period": back(months=6)},
    ),
    ("Brightside Health vs last year?", "account_summary", "Brightside Health", {}),
    ("hows kiwi and co", "account_summary", "Kiwi & Co", {}),
    ("Nova - plan and renewal date", "account_summary", "Nova", {}),
    # workspace MRR
    ("What is the current MRR?", "mrr_total", None, {}),
    ("MRR end of december", "mrr_total", None, {"at": "2026-12-31"}),
    ("ARR as of 2026-06-30", "mrr_total", None, {"at": "2026-06-30"}),
    ("mrr last year by month", "mrr_trend", None, {"period": LAST_YEAR}),
    ("MRR growth over 2026", "mrr_trend", None, {"period": LAST_YEAR}),
    ("show mrr trend for H2", "mrr_trend", None, {"period": H2}),
    ("mrr over the past 3 months", "mrr_trend", None, {"period": back(months=3)}),
    # movements / churn
    ("mrr movements in december", "mrr_movements", None, {"period": DECEMBER}),
    ("new vs churned mrr last quarter", "mrr_movements", None, {"period": Q4}),
    ("upgrades and downgrades last month", "mrr_movements", None, {"period": DECEMBER}),
    ("churn rate for 2026", "churn_rate", None, {"period": LAST_YEAR}),
    ("churn in Q4", "churn_rate", None, {"period": Q4}),
    ("who did we lose in december", "churn_rate", None, {"period": DECEMBER}),
    ("what % of customers churned last year", "churn_rate", None, {"period": LAST_YEAR}),
    # rankings
    ("top fifteen accounts", "top_accounts", None, {"limit": 15}),
    ("top dozen clients by mrr", "top_accounts", None, {"limit": 12}),
    ("the 3 biggest customers", "top_accounts", None, {"limit": 3}),
    ("top-5 accounts", "top_accounts", None, {"limit": 5}),
    ("who are our top customers by lifetime value", "lifetime_revenue", None, {}),
    ("biggest spenders all time", "lifetime_revenue", None, {}),
    # cancellations
    ("cancellations in december", "cancellations", None, {"period": DECEMBER}),
    ("who canceled last year", "cancellations", None, {"period": LAST_YEAR}),
    ("canceled subscriptions this week", "cancellations", None, {"period": THIS_WEEK}),
    ("who is cancelling at the end of the month", "scheduled_cancellations", None, {}),
    ("customers that turned off auto renew", "scheduled_cancellations", None, {}),
    ("who's not renewing", "scheduled_cancellations", None, {}),
    # downgrades / upsell
    ("downgrades in november", "downgrades", None, {"period": NOVEMBER}),
    ("who reduced seats last week", "downgrades", None, {"period": LAST_WEEK}),
    ("which accounts are good upsell candidates", "upsell_candidates", None, {}),
    ("accounts to upsell this quarter", "upsell_candidates", None, {}),
    ("where's the expansion potential", "upsell_candidates", None, {}),
    # renewals / trials / new
    ("renewals this month", "renewals", None, {}),
    ("renewals in February", "renewals", None, {"period": FEBRUARY}),
    ("who renews in the next fortnight", "renewals", None, {"period": ahead(days=14)}),
    ("what renews next quarter", "renewals", None, {"period": ("2027-04-01", "2027-06-30")}),
    ("trials expiring this week", "trials", None, {}),
    ("how many trials do we have", "trials", None, {}),
    ("new customers last month", "new_customers", None, {"period": DECEMBER}),
    ("new customers in 2026", "new_customers", None, {"period": LAST_YEAR}),
    ("how many new clients signed in Q4", "new_customers", None, {"period": Q4}),
    ("any new paying accounts this week?", "new_customers", None, {"period": THIS_WEEK}),
    # help / unknown with billing-ish words
    ("how do I use revbot", "help", None, {}),
    ("what can revbot answer", "help", None, {}),
    ("how do I add a new user to slack", "unknown", None, {}),
    ("where is the invoice template for the design team", "unknown", None, {}),
    ("happy new year everyone!", "unknown", None, {}),
    ("ok thanks", "unknown", None, {}),
    ("what's our NPS", "unknown", None, {}),
]

FOLLOW_UPS: list[FollowUp] = [
    ("failed payments in december", "and november?", "failed_payments", None, {"period": NOVEMBER}),
    (
        "churn in Q4",
        "and the quarter before?",
        "churn_rate",
        None,
        {"period": ("2026-07-01", "2026-09-30")},
    ),
    ("who's overdue", "over 60 days only", "overdue_accounts", None, {"min_days": 60}),
    ("Lumen Labs invoices", "and their MRR trend?", "account_mrr_trend", "Lumen Labs", {}),
    ("how is Nova doing", "pixelforge.dev?", "account_summary", "Pixel Forge", {}),
    ("top 5 accounts", "by lifetime revenue instead", "lifetime_revenue", None, {"limit": 5}),
    ("mrr movements last month", "just the downgrades", "downgrades", None, {"period": DECEMBER}),
    (
        "new customers last month",
        "what about this week",
        "new_customers",
        None,
        {"period": THIS_WEEK},
    ),
]
