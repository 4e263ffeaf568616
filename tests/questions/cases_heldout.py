"""A held-out question set: a new world, new phrasings, written before tuning the parser.

The account list shares no name with ``invented_world.py`` or the sample world
and includes names built from ordinary words ("Blue Sky", "Payment Pros",
"Top Notch Plumbing", "Late Night Pizza"), "&", accents, digits, a short name
("Acme") and near-duplicates ("Acme"/"Acme Logistics", "Nimbus Health"/"Nimbus
Wealth"). The as-of date (a Wednesday in Q3) differs from the other tables so
period arithmetic is exercised afresh.

Each row: (question, intent, account name or None, expectations). Expectation
keys: ``period`` (start, end ISO), ``no_period``, ``at`` (ISO), ``limit``,
``min_days``, ``max_days``, ``min_amount``, ``max_amount`` (major units, str),
``currency``, ``candidates`` (set of names offered when ambiguous),
``suggest`` (an intent that must be among the suggestions), ``granularity``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from questions.accounts import AccountIndex
from questions.query import AccountRef

AS_OF = date(2026, 8, 12)  # a Wednesday

_ROWS: list[tuple[str, str | None, tuple[str, ...]]] = [
    ("Acme", "acme.com", ()),
    ("Acme Logistics", "acmelogistics.com", ()),
    ("Summit Revenue Partners", "summitrevenue.com", ()),
    ("Blue Sky", "bluesky.io", ()),
    ("Payment Pros", "paymentpros.com", ()),
    ("3M Labs", "3mlabs.com", ()),
    ("Zoë's Bakery", "zoesbakery.com", ()),
    ("Brightside Media", "brightside.media", ()),
    ("Clearwater Analytics", "clearwater.io", ()),
    ("Mountain View Dental", "mvdental.com", ()),
    ("Orion Freight", "orionfreight.com", ()),
    ("Pinnacle Foods", "pinnaclefoods.com", ()),
    ("Top Notch Plumbing", "topnotchplumbing.com", ()),
    ("Late Night Pizza", "latenightpizza.com", ()),
    ("Growth Labs", "growthlabs.co", ()),
    ("Stellar AI", "stellar.ai", ()),
    ("Villa Señor Tequila", "villasenor.mx", ()),
    ("Łukasz Design", "lukasz.design", ()),
    ("Hale & Hearty", "haleandhearty.com", ()),
    ("Quantum Leap Studios", "quantumleap.studio", ()),
    ("Redpoint Ventures", "redpoint.vc", ()),
    ("Kiwi Coders", "kiwicoders.nz", ()),
    ("Nimbus Health", "nimbushealth.com", ()),
    ("Nimbus Wealth", "nimbuswealth.com", ()),
]


def heldout_accounts() -> tuple[AccountRef, ...]:
    return tuple(
        AccountRef(id=f"ho-{i:02d}", name=name, domain=domain, aliases=aliases)
        for i, (name, domain, aliases) in enumerate(_ROWS)
    )


def heldout_index() -> AccountIndex:
    return AccountIndex(heldout_accounts())


Case = tuple[str, str, str | None, dict[str, Any]]


def _iso(day: date) -> str:
    return day.isoformat()


def back(**delta: int) -> tuple[str, str]:
    """A rolling window ending today: as_of minus ``delta`` .. as_of."""
    return (_iso(AS_OF - relativedelta(**delta)), _iso(AS_OF))  # type: ignore[arg-type]


def ahead(**delta: int) -> tuple[str, str]:
    """A forward window: as_of .. as_of plus ``delta``."""
    return (_iso(AS_OF), _iso(AS_OF + relativedelta(**delta)))  # type: ignore[arg-type]


THIS_MONTH = ("2026-08-01", "2026-08-12")
LAST_MONTH = ("2026-07-01", "2026-07-31")
THIS_WEEK = ("2026-08-10", "2026-08-12")
LAST_WEEK = ("2026-08-03", "2026-08-09")
SINCE_MONDAY = ("2026-08-10", "2026-08-12")
THIS_QUARTER = ("2026-07-01", "2026-08-12")
LAST_QUARTER = ("2026-04-01", "2026-06-30")
YTD = ("2026-01-01", "2026-08-12")
H1 = ("2026-01-01", "2026-06-30")
FORTNIGHT = (_iso(AS_OF - timedelta(days=14)), _iso(AS_OF))
YESTERDAY = ("2026-08-11", "2026-08-11")
JULY = ("2026-07-01", "2026-07-31")
JUNE = ("2026-06-01", "2026-06-30")
LAST_YEAR = ("2025-01-01", "2025-12-31")

OVERDUE: list[Case] = [
    ("overdue?", "overdue_accounts", None, {"no_period": True}),
    ("who still owes us", "overdue_accounts", None, {}),
    ("anyone late on their invoices :money_with_wings:", "overdue_accounts", None, {}),
    (
        "Could you please let me know which of our customers currently have unpaid invoices?",
        "overdue_accounts",
        None,
        {},
    ),
    (
        "accounts overdue between 30 and 60 days",
        "overdue_accounts",
        None,
        {"min_days": 30, "max_days": 60},
    ),
    ("invoices overdue less than 10 days", "overdue_accounts", None, {"max_days": 10}),
    ("who's overdue by over thirty days", "overdue_accounts", None, {"min_days": 30}),
    (
        "overdue more than $1.5k",
        "overdue_accounts",
        None,
        {"min_amount": "1500", "currency": "USD"},
    ),
    (
        "overdue balances over 2,000 euros",
        "overdue_accounts",
        None,
        {"min_amount": "2000", "currency": "EUR"},
    ),
    (
        "overdue accounts under $500",
        "overdue_accounts",
        None,
        {"max_amount": "500", "currency": "USD"},
    ),
    ("which clients are overdue by at least 3 weeks", "overdue_accounts", None, {"min_days": 21}),
    ("ovrdue invoices", "overdue_accounts", None, {}),
    ("outstandng balances", "overdue_accounts", None, {}),
    ("total amount in arrears right now", "overdue_accounts", None, {}),
    ("who hasn't paid their bills", "overdue_accounts", None, {}),
    ("past due > 45d", "overdue_accounts", None, {"min_days": 45}),
    ("*overdue* accts pls", "overdue_accounts", None, {}),
    ("who do I need to chase?", "overdue_accounts", None, {}),
    (
        "overdue invoices between $1k and $5k",
        "overdue_accounts",
        None,
        {"min_amount": "1000", "max_amount": "5000", "currency": "USD"},
    ),
    (
        "customers with overdue payments older than two months",
        "overdue_accounts",
        None,
        {"min_days": 60},
    ),
    ("overdue amounts in GBP", "overdue_accounts", None, {"currency": "GBP"}),
    (
        "list accounts that are more than a month overdue",
        "overdue_accounts",
        None,
        {"min_days": 30},
    ),
    ("late payers with less than 2 weeks overdue", "overdue_accounts", None, {"max_days": 14}),
    ("overdue by fewer than five days", "overdue_accounts", None, {"max_days": 5}),
    (
        "overdue below 250 pounds",
        "overdue_accounts",
        None,
        {"max_amount": "250", "currency": "GBP"},
    ),
]

FAILED: list[Case] = [
    ("card declines this week", "failed_payments", None, {"period": THIS_WEEK}),
    ("failed charges since Monday", "failed_payments", None, {"period": SINCE_MONDAY}),
    ("which payments bounced yesterday", "failed_payments", None, {"period": YESTERDAY}),
    ("payment failures over the past fortnight", "failed_payments", None, {"period": FORTNIGHT}),
    (
        "any failed payments in the last thirty days?",
        "failed_payments",
        None,
        {"period": back(days=30)},
    ),
    (
        "Show me every payment attempt that failed during July",
        "failed_payments",
        None,
        {"period": JULY},
    ),
    ("declined cards H1", "failed_payments", None, {"period": H1}),
    ("failed pymts last week", "failed_payments", None, {"period": LAST_WEEK}),
    ("whose payments got rejected last month", "failed_payments", None, {"period": LAST_MONTH}),
    (
        "cards that got declined since the start of the year",
        "failed_payments",
        None,
        {"period": YTD},
    ),
    ("failed payments last 2 quarters", "failed_payments", None, {"period": back(months=6)}),
    ("payment failures in Q2", "failed_payments", None, {"period": LAST_QUARTER}),
    (
        ":x: failed payments today",
        "failed_payments",
        None,
        {"period": ("2026-08-12", "2026-08-12")},
    ),
    (
        "failed payments over $1,000 this month",
        "failed_payments",
        None,
        {"period": THIS_MONTH, "min_amount": "1000", "currency": "USD"},
    ),
    (
        "did any charges fail between June 1 and July 15",
        "failed_payments",
        None,
        {"period": ("2026-06-01", "2026-07-15")},
    ),
    (
        "unsuccesful payments in the previous 2 months",
        "failed_payments",
        None,
        {"period": back(months=2)},
    ),
]

RISK: list[Case] = [
    ("how much ARR is at risk this quarter", "arr_at_risk", None, {"period": THIS_QUARTER}),
    ("revenue at risk?", "arr_at_risk", None, {}),
    ("arr @ risk", "arr_at_risk", None, {}),
    (
        "What is the annual recurring revenue currently in jeopardy because of failed payments?",
        "arr_at_risk",
        None,
        {},
    ),
    ("at-risk ARR for last month", "arr_at_risk", None, {"period": LAST_MONTH}),
    ("how much money could we lose from failing cards", "arr_at_risk", None, {}),
    ("risk exposure from payment failures in July", "arr_at_risk", None, {"period": JULY}),
    ("revnue at risk", "arr_at_risk", None, {}),
    ("mrr at risk", "arr_at_risk", None, {}),
    ("ARR threatened by failed cards since Monday", "arr_at_risk", None, {"period": SINCE_MONDAY}),
]

SUMMARY: list[Case] = [
    ("acme", "account_summary", "Acme", {}),
    ("Acme?", "account_summary", "Acme", {}),
    ("mrr acme", "account_summary", "Acme", {}),
    ("Summit Revenue Partners", "account_summary", "Summit Revenue Partners", {}),
    ("how's Blue Sky looking", "account_summary", "Blue Sky", {}),
    ("what's the deal with Payment Pros", "account_summary", "Payment Pros", {}),
    ("3M Labs overview", "account_summary", "3M Labs", {}),
    ("everything about zoe's bakery", "account_summary", "Zoë's Bakery", {}),
    ("Info on Brightside Media please", "account_summary", "Brightside Media", {}),
    ("Brigthside Media summary", "account_summary", "Brightside Media", {}),
    ("how is Clearwatr Analytics doing", "account_summary", "Clearwater Analytics", {}),
    ("Claerwater Analytcs overview", "account_summary", "Clearwater Analytics", {}),
    ("bluesky summary", "account_summary", "Blue Sky", {}),
    ("mountainview dental?", "account_summary", "Mountain View Dental", {}),
    (
        "Could you give me a quick summary of how Orion Freight is doing these days?",
        "account_summary",
        "Orion Freight",
        {},
    ),
    ("ARR for Pinnacle Foods", "account_summary", "Pinnacle Foods", {}),
    ("what plan is Top Notch Plumbing on", "account_summary", "Top Notch Plumbing", {}),
    ("when does Late Night Pizza renew", "account_summary", "Late Night Pizza", {}),
    ("Growth Labs status", "account_summary", "Growth Labs", {}),
    (
        "<https://acmelogistics.com|acmelogistics.com> how are they",
        "account_summary",
        "Acme Logistics",
        {},
    ),
    ("stellar.ai", "account_summary", "Stellar AI", {}),
    ("Villa Senor Tequila overview", "account_summary", "Villa Señor Tequila", {}),
    ("VILLA SEÑOR TEQUILA", "account_summary", "Villa Señor Tequila", {}),
    ("Lukasz Design snapshot", "account_summary", "Łukasz Design", {}),
    ("hale and hearty info", "account_summary", "Hale & Hearty", {}),
    ("tell me about Hale&Hearty", "account_summary", "Hale & Hearty", {}),
    ("Quantum Leap's MRR", "account_summary", "Quantum Leap Studios", {}),
    ("Kiwi Coders - what do we have?", "account_summary", "Kiwi Coders", {}),
    ("nimbus wealth rundown", "account_summary", "Nimbus Wealth", {}),
    (
        "How is Nimbus doing",
        "account_summary",
        None,
        {"candidates": {"Nimbus Health", "Nimbus Wealth"}},
    ),
    ("ARR of Acme Logistics", "account_summary", "Acme Logistics", {}),
    ("how's it going with 3m labs", "account_summary", "3M Labs", {}),
    ("Pinacle Foods?", "account_summary", "Pinnacle Foods", {}),
    ("quantm leap studios overview", "account_summary", "Quantum Leap Studios", {}),
    ("Redpoint Ventrues", "account_summary", "Redpoint Ventures", {}),
    ("Nimbus Hlaeth summary", "account_summary", "Nimbus Health", {}),
    ("everything we have on Orion Frieght", "account_summary", "Orion Freight", {}),
    ("give me the lowdown on Kiwi Coders", "account_summary", "Kiwi Coders", {}),
    ("mrr for summitrevenue.com", "account_summary", "Summit Revenue Partners", {}),
    (
        ":wave: how are we doing with Mountain View Dental?",
        "account_summary",
        "Mountain View Dental",
        {},
    ),
]

ACCOUNT_TREND: list[Case] = [
    ("acme mrr over time", "account_mrr_trend", "Acme", {}),
    (
        "how has Blue Sky's revenue changed since the start of the year",
        "account_mrr_trend",
        "Blue Sky",
        {"period": YTD},
    ),
    (
        "Brightside Media MRR by month for H1",
        "account_mrr_trend",
        "Brightside Media",
        {"period": H1},
    ),
    (
        "show me the monthly recurring revenue history for Orion Freight",
        "account_mrr_trend",
        "Orion Freight",
        {},
    ),
    (
        "Pinnacle Foods MRR, last 6 months",
        "account_mrr_trend",
        "Pinnacle Foods",
        {"period": back(months=6)},
    ),
    ("graph of Summit Revenue Partners' ARR", "account_mrr_trend", "Summit Revenue Partners", {}),
    (
        "has Clearwater Analytics grown this year",
        "account_mrr_trend",
        "Clearwater Analytics",
        {"period": YTD},
    ),
    (
        "3M Labs revenue trend since March",
        "account_mrr_trend",
        "3M Labs",
        {"period": ("2026-03-01", "2026-08-12")},
    ),
    ("Kiwi Coders mrr month-over-month", "account_mrr_trend", "Kiwi Coders", {}),
    (
        "plot paymentpros.com MRR last 12 months",
        "account_mrr_trend",
        "Payment Pros",
        {"period": back(months=12)},
    ),
    (
        "Nimbus Health MRR between January and June",
        "account_mrr_trend",
        "Nimbus Health",
        {"period": ("2026-01-01", "2026-06-30")},
    ),
    (
        "Trajectory of Redpoint Ventures' MRR over the past year",
        "account_mrr_trend",
        "Redpoint Ventures",
        {"period": back(days=365)},
    ),
    (
        "Zoe's Bakery MRR in Q2 by month",
        "account_mrr_trend",
        "Zoë's Bakery",
        {"period": LAST_QUARTER},
    ),
    ("Growth Labs MRR trend", "account_mrr_trend", "Growth Labs", {}),
    ("Late Night Pizza rev history", "account_mrr_trend", "Late Night Pizza", {}),
    (
        "how did Acme Logistics' MRR evolve in 2025",
        "account_mrr_trend",
        "Acme Logistics",
        {"period": LAST_YEAR},
    ),
]

MRR_TOTAL: list[Case] = [
    ("MRR?", "mrr_total", None, {}),
    ("whats our arr rn", "mrr_total", None, {}),
    ("current monthly recurring revenue please", "mrr_total", None, {}),
    (
        "How much recurring revenue are we bringing in each month at the moment?",
        "mrr_total",
        None,
        {},
    ),
    ("MRR this time last year", "mrr_total", None, {"at": "2025-08-12"}),
    ("what was ARR at the end of June", "mrr_total", None, {"at": "2026-06-30"}),
    ("MRR on July 31st", "mrr_total", None, {"at": "2026-07-31"}),
    ("total rev", "mrr_total", None, {}),
    ("MRR in USD", "mrr_total", None, {"currency": "USD"}),
    ("ARR (EUR)", "mrr_total", None, {"currency": "EUR"}),
    ("what's our run-rate", "mrr_total", None, {}),
    ("mrr a year ago", "mrr_total", None, {"at": "2025-08-12"}),
    ("monthly revenue as of yesterday", "mrr_total", None, {"at": "2026-08-11"}),
    ("MMR today", "mrr_total", None, {}),
    ("what is the company's annualised revenue", "mrr_total", None, {}),
    ("Our MRR at end of Q1?", "mrr_total", None, {"at": "2026-03-31"}),
]

MRR_TREND: list[Case] = [
    ("MRR over the last 2 quarters", "mrr_trend", None, {"period": back(months=6)}),
    ("how has ARR evolved since the start of the year", "mrr_trend", None, {"period": YTD}),
    ("mrr mom", "mrr_trend", None, {}),
    ("monthly MRR for H1", "mrr_trend", None, {"period": H1}),
    ("revenue trend, past 12 months", "mrr_trend", None, {"period": back(months=12)}),
    ("show me MRR growth in 2025", "mrr_trend", None, {"period": LAST_YEAR}),
    ("chart ARR by month since March", "mrr_trend", None, {"period": ("2026-03-01", "2026-08-12")}),
    ("mrr trajectory this year", "mrr_trend", None, {"period": YTD}),
    (
        "How did our monthly recurring revenue develop between January and May?",
        "mrr_trend",
        None,
        {"period": ("2026-01-01", "2026-05-31")},
    ),
    ("MRR history", "mrr_trend", None, {}),
    ("rev over time", "mrr_trend", None, {}),
    (
        "weekly mrr for the last eight weeks",
        "mrr_trend",
        None,
        {"period": back(weeks=8), "granularity": "week"},
    ),
]

MOVEMENTS: list[Case] = [
    (
        "new, expansion, contraction and churn MRR last month",
        "mrr_movements",
        None,
        {"period": LAST_MONTH},
    ),
    ("MRR bridge Q2", "mrr_movements", None, {"period": LAST_QUARTER}),
    ("net new mrr since Monday", "mrr_movements", None, {"period": SINCE_MONDAY}),
    ("what moved MRR in July?", "mrr_movements", None, {"period": JULY}),
    ("expansion mrr this quarter", "mrr_movements", None, {"period": THIS_QUARTER}),
    ("reactivated accounts last 90 days", "mrr_movements", None, {"period": back(days=90)}),
    ("Can you break down the MRR changes for June?", "mrr_movements", None, {"period": JUNE}),
    ("mrr waterfall H1", "mrr_movements", None, {"period": H1}),
    ("expansion vs churn since the start of the year", "mrr_movements", None, {"period": YTD}),
    ("MRR movements for the past fortnight", "mrr_movements", None, {"period": FORTNIGHT}),
    ("who expanded last month", "mrr_movements", None, {"period": LAST_MONTH}),
    ("ins and outs of MRR in May", "mrr_movements", None, {"period": ("2026-05-01", "2026-05-31")}),
]

CHURN: list[Case] = [
    ("churn?", "churn_rate", None, {}),
    ("what's our churn rate for Q2", "churn_rate", None, {"period": LAST_QUARTER}),
    ("How much revenue did we lose to churn in July?", "churn_rate", None, {"period": JULY}),
    ("customers that churned since the start of the year", "churn_rate", None, {"period": YTD}),
    ("logo churn last 2 quarters", "churn_rate", None, {"period": back(months=6)}),
    ("gross mrr churn % in June", "churn_rate", None, {"period": JUNE}),
    ("chrun last month", "churn_rate", None, {"period": LAST_MONTH}),
    ("which accounts did we lose in H1", "churn_rate", None, {"period": H1}),
    ("retention this year", "churn_rate", None, {"period": YTD}),
    (
        "churn rate between March and May",
        "churn_rate",
        None,
        {"period": ("2026-03-01", "2026-05-31")},
    ),
    ("attrition in the past 3 mos", "churn_rate", None, {"period": back(months=3)}),
    ("What percentage of MRR churned last month?", "churn_rate", None, {"period": LAST_MONTH}),
]

TOP: list[Case] = [
    ("five biggest customers", "top_accounts", None, {"limit": 5}),
    ("top 3?", "top_accounts", None, {"limit": 3}),
    ("biggest accts", "top_accounts", None, {}),
    ("Who are our top twenty clients by ARR?", "top_accounts", None, {"limit": 20}),
    ("largest account", "top_accounts", None, {"limit": 1}),
    ("rank customers by mrr, top 15", "top_accounts", None, {"limit": 15}),
    ("top 5 EUR accounts", "top_accounts", None, {"limit": 5, "currency": "EUR"}),
    ("whale customers", "top_accounts", None, {}),
    ("Which accounts bring in the most revenue?", "top_accounts", None, {}),
    ("top ten", "top_accounts", None, {"limit": 10}),
    ("who pays the most", "top_accounts", None, {}),
    ("highest MRR accounts", "top_accounts", None, {}),
    (
        "top 10 customers over $5k MRR",
        "top_accounts",
        None,
        {"limit": 10, "min_amount": "5000", "currency": "USD"},
    ),
    ("the 3 largest subscriptions", "top_accounts", None, {"limit": 3}),
    ("our biggest payer", "top_accounts", None, {"limit": 1}),
    ("top twenty-five accounts", "top_accounts", None, {"limit": 25}),
]

LIFETIME: list[Case] = [
    ("how much has Acme paid us in total?", "lifetime_revenue", "Acme", {}),
    ("LTV acme logistics", "lifetime_revenue", "Acme Logistics", {}),
    ("Blue Sky lifetime rev", "lifetime_revenue", "Blue Sky", {}),
    ("total collected from Payment Pros so far", "lifetime_revenue", "Payment Pros", {}),
    (
        "what has Summit Revenue Partners spent with us overall",
        "lifetime_revenue",
        "Summit Revenue Partners",
        {},
    ),
    ("all-time revenue from 3M Labs", "lifetime_revenue", "3M Labs", {}),
    ("customers ranked by lifetime value", "lifetime_revenue", None, {}),
    ("top 5 customers by total paid", "lifetime_revenue", None, {"limit": 5}),
    (
        "How much money have we received from Orion Freight since they signed up?",
        "lifetime_revenue",
        "Orion Freight",
        {},
    ),
    ("lifetime revenue for hale & hearty", "lifetime_revenue", "Hale & Hearty", {}),
    ("Kiwi Coders LTV?", "lifetime_revenue", "Kiwi Coders", {}),
    ("cumulative revenue per customer", "lifetime_revenue", None, {}),
    ("lifetime valeu of Pinnacle Foods", "lifetime_revenue", "Pinnacle Foods", {}),
]

INVOICES: list[Case] = [
    ("acme invoices", "account_invoices", "Acme", {}),
    ("Show me the last few invoices we sent to Blue Sky", "account_invoices", "Blue Sky", {}),
    ("Brightside Media's bills", "account_invoices", "Brightside Media", {}),
    ("invoice history 3m labs", "account_invoices", "3M Labs", {}),
    ("recent invocies for Orion Freight", "account_invoices", "Orion Freight", {}),
    (
        "what did we bill Pinnacle Foods last month",
        "account_invoices",
        "Pinnacle Foods",
        {"period": LAST_MONTH},
    ),
    (
        "Payment Pros statements since January",
        "account_invoices",
        "Payment Pros",
        {"period": ("2026-01-01", "2026-08-12")},
    ),
    ("latest invoice for Kiwi Coders", "account_invoices", "Kiwi Coders", {}),
    (
        "list all invoices of Summit Revenue Partners in Q2",
        "account_invoices",
        "Summit Revenue Partners",
        {"period": LAST_QUARTER},
    ),
    ("Quantum Leap Studios receipts", "account_invoices", "Quantum Leap Studios", {}),
    ("Zoë's Bakery invoice list", "account_invoices", "Zoë's Bakery", {}),
    (
        "charges for Redpoint Ventures this year",
        "account_invoices",
        "Redpoint Ventures",
        {"period": YTD},
    ),
    ("nimbus health invoices", "account_invoices", "Nimbus Health", {}),
]

PAYMENT_STATUS: list[Case] = [
    ("is acme overdue?", "payment_status", "Acme", {}),
    ("has Blue Sky paid what they owe?", "payment_status", "Blue Sky", {}),
    ("Are Brightside Media up to date with payments?", "payment_status", "Brightside Media", {}),
    ("did Orion Freight's card fail?", "payment_status", "Orion Freight", {}),
    ("does Pinnacle Foods owe us money", "payment_status", "Pinnacle Foods", {}),
    ("payment status: Kiwi Coders", "payment_status", "Kiwi Coders", {}),
    ("Is Late Night Pizza late?", "payment_status", "Late Night Pizza", {}),
    ("is 3M Labs in arrears", "payment_status", "3M Labs", {}),
    ("Summit Revenue Partners paid up?", "payment_status", "Summit Revenue Partners", {}),
    ("has Quantum Leap Studios settled up", "payment_status", "Quantum Leap Studios", {}),
    (
        "is Redpoint Ventures behind on their invoices",
        "payment_status",
        "Redpoint Ventures",
        {},
    ),
    ("Nimbus Wealth - any failed payments?", "payment_status", "Nimbus Wealth", {}),
    ("are Hale & Hearty paying on time", "payment_status", "Hale & Hearty", {}),
]

CANCELLATIONS: list[Case] = [
    ("who canceled last month", "cancellations", None, {"period": LAST_MONTH}),
    ("cancelations this quarter", "cancellations", None, {"period": THIS_QUARTER}),
    ("cancellations since Monday", "cancellations", None, {"period": SINCE_MONDAY}),
    (
        "Which subscriptions were cancelled during the past fortnight?",
        "cancellations",
        None,
        {"period": FORTNIGHT},
    ),
    ("who left in H1", "cancellations", None, {"period": H1}),
    ("cancellations in the last thirty days", "cancellations", None, {"period": back(days=30)}),
    ("subscriptions terminated in July", "cancellations", None, {"period": JULY}),
    ("cancelled subs ytd", "cancellations", None, {"period": YTD}),
    ("who ended their subscription in June", "cancellations", None, {"period": JUNE}),
    (
        "who cancelled between May 1 and June 15",
        "cancellations",
        None,
        {"period": ("2026-05-01", "2026-06-15")},
    ),
    ("any cancellations yesterday?", "cancellations", None, {"period": YESTERDAY}),
    ("cancelled accounts in 2025", "cancellations", None, {"period": LAST_YEAR}),
    ("cancelations in the last 2 weeks", "cancellations", None, {"period": back(weeks=2)}),
]

SCHEDULED: list[Case] = [
    ("who's set to churn", "scheduled_cancellations", None, {}),
    ("accounts cancelling at period end", "scheduled_cancellations", None, {}),
    ("who has cancel_at_period_end set", "scheduled_cancellations", None, {}),
    (
        "Which customers have told us they won't be renewing?",
        "scheduled_cancellations",
        None,
        {},
    ),
    ("subscriptions scheduled to end", "scheduled_cancellations", None, {}),
    ("who is churning at the end of their term", "scheduled_cancellations", None, {}),
    ("pending cancelations", "scheduled_cancellations", None, {}),
    ("who's on their way out?", "scheduled_cancellations", None, {}),
    ("upcoming churn", "scheduled_cancellations", None, {}),
    ("customers that have turned off auto renewal", "scheduled_cancellations", None, {}),
]

DOWNGRADES: list[Case] = [
    ("downgrades?", "downgrades", None, {}),
    ("who downgraded since Monday", "downgrades", None, {"period": SINCE_MONDAY}),
    ("contraction mrr last quarter", "downgrades", None, {"period": LAST_QUARTER}),
    ("which customers cut seats in July", "downgrades", None, {"period": JULY}),
    ("who moved to a smaller plan this year", "downgrades", None, {"period": YTD}),
    ("accounts now paying less", "downgrades", None, {}),
    ("downgarded subscriptions H1", "downgrades", None, {"period": H1}),
    ("plan downgrades in the past 30 days", "downgrades", None, {"period": back(days=30)}),
    ("who reduced their subscription last month", "downgrades", None, {"period": LAST_MONTH}),
    ("seat reductions this quarter", "downgrades", None, {"period": THIS_QUARTER}),
]

UPSELL: list[Case] = [
    ("upsell?", "upsell_candidates", None, {}),
    ("who should we try to upsell", "upsell_candidates", None, {}),
    ("best expansion candidates", "upsell_candidates", None, {}),
    ("customers who could spend more", "upsell_candidates", None, {}),
    ("Which clients look ready for an upgrade?", "upsell_candidates", None, {}),
    ("growth opportunities in our customer base", "upsell_candidates", None, {}),
    ("top 10 upsell targets", "upsell_candidates", None, {"limit": 10}),
    ("who to cross-sell", "upsell_candidates", None, {}),
    ("up sell candidates", "upsell_candidates", None, {}),
    ("upsel opportunities", "upsell_candidates", None, {}),
]

RENEWALS: list[Case] = [
    ("renewals next 30 days", "renewals", None, {"period": ahead(days=30)}),
    ("who renews in the next two weeks", "renewals", None, {"period": ahead(weeks=2)}),
    ("upcoming renewals this month", "renewals", None, {"period": ("2026-08-12", "2026-08-31")}),
    ("renewals in September", "renewals", None, {"period": ("2026-09-01", "2026-09-30")}),
    ("what's renewing next month", "renewals", None, {"period": ("2026-09-01", "2026-09-30")}),
    ("contracts up for renewal within 60 days", "renewals", None, {"period": ahead(days=60)}),
    ("renwals coming up", "renewals", None, {}),
    (
        "Which subscriptions are due to renew over the next fortnight?",
        "renewals",
        None,
        {"period": ahead(days=14)},
    ),
    ("renewals Q4", "renewals", None, {"period": ("2026-10-01", "2026-12-31")}),
    ("who's renewing this week", "renewals", None, {"period": ("2026-08-12", "2026-08-16")}),
    ("renewal calendar for the next ninety days", "renewals", None, {"period": ahead(days=90)}),
    ("subscriptions expiring soon", "renewals", None, {}),
]

TRIALS: list[Case] = [
    ("trials?", "trials", None, {}),
    ("who's on trial right now", "trials", None, {}),
    ("free trials ending next week", "trials", None, {"period": ("2026-08-17", "2026-08-23")}),
    ("which trials expire in the next 5 days", "trials", None, {"period": ahead(days=5)}),
    ("Could you list the accounts that are currently trialing?", "trials", None, {}),
    ("trail accounts", "trials", None, {}),
    ("pilots in progress", "trials", None, {}),
    ("how many trial users do we have", "trials", None, {}),
    ("trialling customers", "trials", None, {}),
]

NEW: list[Case] = [
    ("new logos this quarter", "new_customers", None, {"period": THIS_QUARTER}),
    ("who signed up since Monday", "new_customers", None, {"period": SINCE_MONDAY}),
    ("new customers in the past fortnight", "new_customers", None, {"period": FORTNIGHT}),
    ("how many new clients did we win in H1", "new_customers", None, {"period": H1}),
    ("new paying accounts last 2 quarters", "new_customers", None, {"period": back(months=6)}),
    ("who became a customer in July", "new_customers", None, {"period": JULY}),
    ("newly acquired customers this year", "new_customers", None, {"period": YTD}),
    ("new subscribers last week", "new_customers", None, {"period": LAST_WEEK}),
    ("fresh signups yesterday", "new_customers", None, {"period": YESTERDAY}),
    ("new custmers last month", "new_customers", None, {"period": LAST_MONTH}),
    ("which companies started paying us in June", "new_customers", None, {"period": JUNE}),
]

HELP: list[Case] = [
    ("?", "help", None, {}),
    ("what can I ask?", "help", None, {}),
    ("help me", "help", None, {}),
    ("how does this bot work", "help", None, {}),
    ("what questions can you answer", "help", None, {}),
    ("hello :wave:", "help", None, {}),
    ("list of commands pls", "help", None, {}),
    ("what are you able to do", "help", None, {}),
]

UNKNOWN: list[Case] = [
    ("NRR?", "unknown", None, {"suggest": "churn_rate"}),
    ("what's our CAC", "unknown", None, {}),
    ("burn rate", "unknown", None, {}),
    ("who's the CEO of Stripe", "unknown", None, {}),
    ("order pizza for the office", "unknown", None, {}),
    ("NDR last quarter", "unknown", None, {"suggest": "mrr_movements"}),
    ("gross margin?", "unknown", None, {}),
    ("what's our EBITDA", "unknown", None, {}),
    ("lol", "unknown", None, {}),
    ("how many employees do we have", "unknown", None, {}),
    ("nps score", "unknown", None, {}),
    ("GRR this year", "unknown", None, {"suggest": "churn_rate"}),
]

TWO_ACCOUNTS: list[Case] = [
    (
        "compare Acme and Blue Sky",
        "account_summary",
        None,
        {"candidates": {"Acme", "Blue Sky"}},
    ),
    (
        "is Orion Freight or Pinnacle Foods overdue",
        "payment_status",
        None,
        {"candidates": {"Orion Freight", "Pinnacle Foods"}},
    ),
    (
        "Kiwi Coders vs Stellar AI MRR",
        "account_summary",
        None,
        {"candidates": {"Kiwi Coders", "Stellar AI"}},
    ),
    (
        "invoices for Acme Logistics and 3M Labs",
        "account_invoices",
        None,
        {"candidates": {"Acme Logistics", "3M Labs"}},
    ),
]

ALL_CASES: list[Case] = (
    OVERDUE
    + FAILED
    + RISK
    + SUMMARY
    + ACCOUNT_TREND
    + MRR_TOTAL
    + MRR_TREND
    + MOVEMENTS
    + CHURN
    + TOP
    + LIFETIME
    + INVOICES
    + PAYMENT_STATUS
    + CANCELLATIONS
    + SCHEDULED
    + DOWNGRADES
    + UPSELL
    + RENEWALS
    + TRIALS
    + NEW
    + HELP
    + UNKNOWN
    + TWO_ACCOUNTS
)

# (first question, reply, intent, account, expectations as above)
FollowUp = tuple[str, str, str, str | None, dict[str, Any]]

FOLLOW_UPS: list[FollowUp] = [
    ("overdue?", "just the ones under $1k", "overdue_accounts", None, {"max_amount": "1000"}),
    ("mrr acme", "and blue sky?", "account_summary", "Blue Sky", {}),
    ("failed payments last week", "same for july", "failed_payments", None, {"period": JULY}),
    ("top 5 customers", "make it 10", "top_accounts", None, {"limit": 10}),
    ("churn rate last month", "what about Q2?", "churn_rate", None, {"period": LAST_QUARTER}),
    (
        "renewals next 30 days",
        "and the next 90 days?",
        "renewals",
        None,
        {"period": ahead(days=90)},
    ),
    ("how is Orion Freight doing", "and their invoices?", "account_invoices", "Orion Freight", {}),
    ("Acme invoices", "what about Pinnacle Foods", "account_invoices", "Pinnacle Foods", {}),
    ("cancellations in July", "and June?", "cancellations", None, {"period": JUNE}),
    ("who is overdue", "only more than 60 days", "overdue_accounts", None, {"min_days": 60}),
    (
        "new customers this month",
        "how about last year",
        "new_customers",
        None,
        {"period": LAST_YEAR},
    ),
    ("MRR trend", "for Blue Sky", "account_mrr_trend", "Blue Sky", {}),
    ("overdue accounts", "in euros only", "overdue_accounts", None, {"currency": "EUR"}),
    ("Blue Sky MRR history", "and Kiwi Coders?", "account_mrr_trend", "Kiwi Coders", {}),
    ("failed payments this month", "what about acme", "payment_status", "Acme", {}),
    (
        "overdue accounts",
        "between 15 and 45 days",
        "overdue_accounts",
        None,
        {"min_days": 15, "max_days": 45},
    ),
    ("top 10 accounts", "top 3 pls", "top_accounts", None, {"limit": 3}),
]
