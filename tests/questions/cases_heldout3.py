"""A third held-out set, written blind (before reading the parser), to measure generalisation.

Another invented world (an agency's clients, names holding cue words: "Top
Shelf Spirits", "Growth Loop Agency", "Overdrive Motors", "First Choice
Dental"; near-duplicates "Atlas"/"Atlas Freight"), another as-of date (a
Wednesday mid-quarter), Slack-style phrasings: terse, chatty, typos, markup,
number words, amount filters and every time phrase of SPEC §8. Same row
format and expectation keys as cases_heldout.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

from questions.accounts import AccountIndex
from questions.query import AccountRef

AS_OF = date(2026, 5, 20)  # a Wednesday, in Q2

_ROWS: list[tuple[str, str | None, tuple[str, ...]]] = [
    ("Lumen Labs", "lumenlabs.io", ()),
    ("Pixel Forge", "pixelforge.dev", ()),
    ("Redwood Legal LLP", "redwoodlegal.com", ("Redwood",)),
    ("Atlas", "atlas.co", ()),
    ("Atlas Freight", "atlasfreight.com", ()),
    ("Brightside Health", "brightside.health", ()),
    ("Kiwi & Co", "kiwiandco.nz", ()),
    ("Señora Tacos", "senoratacos.mx", ()),
    ("Jones, Hart & Wu", "joneshartwu.com", ()),
    ("Top Shelf Spirits", "topshelfspirits.com", ()),
    ("Growth Loop Agency", "growthloop.agency", ()),
    ("Maple Street Bakery", "maplestreetbakery.com", ()),
    ("Beacon Point Media", "beaconpoint.media", ()),
    ("Evergreen Pools", "evergreenpools.com", ()),
    ("Hummingbird Events", "hummingbird.events", ()),
    ("Nova", "nova.app", ()),
    ("St. Clair Realty", "stclairrealty.com", ()),
    ("Ironclad Fitness", "ironclad.fit", ()),
    ("Cobalt & Pine", "cobaltpine.com", ()),
    ("Bright Path Tutoring", "brightpath.edu", ()),
    ("Overdrive Motors", "overdrive.com", ()),
    ("First Choice Dental", "firstchoicedental.com", ()),
    ("Zeta", "zeta.io", ()),
    ("Okafor Design Studio", "okafordesign.com", ()),
]


def heldout3_accounts() -> tuple[AccountRef, ...]:
    return tuple(
        AccountRef(id=f"h3-{i:02d}", name=name, domain=domain, aliases=aliases)
        for i, (name, domain, aliases) in enumerate(_ROWS)
    )


def heldout3_index() -> AccountIndex:
    return AccountIndex(heldout3_accounts())


Case = tuple[str, str, str | None, dict[str, Any]]
FollowUp = tuple[str, str, str, str | None, dict[str, Any]]


def back(**delta: int) -> tuple[str, str]:
    return ((AS_OF - relativedelta(**delta)).isoformat(), AS_OF.isoformat())  # type: ignore[arg-type]


def ahead(**delta: int) -> tuple[str, str]:
    return (AS_OF.isoformat(), (AS_OF + relativedelta(**delta)).isoformat())  # type: ignore[arg-type]


TODAY = ("2026-05-20", "2026-05-20")
YESTERDAY = ("2026-05-19", "2026-05-19")
THIS_WEEK = ("2026-05-18", "2026-05-20")
LAST_WEEK = ("2026-05-11", "2026-05-17")
THIS_MONTH = ("2026-05-01", "2026-05-20")
LAST_MONTH = ("2026-04-01", "2026-04-30")
APRIL = LAST_MONTH
MARCH = ("2026-03-01", "2026-03-31")
FEB = ("2026-02-01", "2026-02-28")
Q1 = ("2026-01-01", "2026-03-31")
LAST_QUARTER = Q1
THIS_QUARTER = ("2026-04-01", "2026-05-20")
Q3_2025 = ("2025-07-01", "2025-09-30")
Q4_2025 = ("2025-10-01", "2025-12-31")
YTD = ("2026-01-01", "2026-05-20")
Y2025 = ("2025-01-01", "2025-12-31")
JAN_TO_MARCH = Q1
NEXT_MONTH = ("2026-06-01", "2026-06-30")
PAST_QUARTER = back(days=90)
USD = {"currency": "USD"}

OVERDUE: list[Case] = [
    ("overdue?", "overdue_accounts", None, {}),
    ("hey can you tell me who still owes us money", "overdue_accounts", None, {}),
    ("who's late on payments", "overdue_accounts", None, {}),
    ("which clients are past due", "overdue_accounts", None, {}),
    ("delinquent accounts", "overdue_accounts", None, {}),
    ("list unpaid invoices", "overdue_accounts", None, {}),
    (
        "customers behind on payments more than thirty days",
        "overdue_accounts",
        None,
        {"min_days": 30},
    ),
    ("who is overdue by over 60 days", "overdue_accounts", None, {"min_days": 60}),
    (
        "overdue more than 90 days and over $5k",
        "overdue_accounts",
        None,
        {"min_days": 90, "min_amount": "5000", **USD},
    ),
    (
        "outstanding balances above 1,000 EUR",
        "overdue_accounts",
        None,
        {"min_amount": "1000", "currency": "EUR"},
    ),
    (
        "who owes us more than £2.5k",
        "overdue_accounts",
        None,
        {"min_amount": "2500", "currency": "GBP"},
    ),
    ("any accounts in arrears?", "overdue_accounts", None, {}),
    ("<@U024BE7LH> who hasn't paid yet", "overdue_accounts", None, {}),
    ("overdue invoices over 5000 dollars", "overdue_accounts", None, {"min_amount": "5000", **USD}),
    ("ovredue acounts", "overdue_accounts", None, {}),
    ("past-due clients at least 45 days", "overdue_accounts", None, {"min_days": 45}),
    ("show me the AR aging report", "overdue_accounts", None, {}),
    ("who is more than two weeks late paying", "overdue_accounts", None, {"min_days": 14}),
    ("receivables overdue > 30d", "overdue_accounts", None, {"min_days": 30}),
    ("clients that are behind on their bills", "overdue_accounts", None, {}),
    ("how much money is overdue right now", "overdue_accounts", None, {}),
    (
        "which accounts have unpaid invoices older than 60 days",
        "overdue_accounts",
        None,
        {"min_days": 60},
    ),
    ("overdue accounts under $500", "overdue_accounts", None, {"max_amount": "500", **USD}),
    ("late payers over 10k", "overdue_accounts", None, {"min_amount": "10000"}),
    ("Who's overdue by more than a month?", "overdue_accounts", None, {"min_days": 30}),
    ("what do people owe us", "overdue_accounts", None, {}),
    ("overdue between 30 and 60 days", "overdue_accounts", None, {"min_days": 30, "max_days": 60}),
    ("who's delinquent > fifteen days", "overdue_accounts", None, {"min_days": 15}),
]

FAILED: list[Case] = [
    ("failed payments this week", "failed_payments", None, {"period": THIS_WEEK}),
    ("any declined cards today?", "failed_payments", None, {"period": TODAY}),
    ("bounced charges last month", "failed_payments", None, {"period": LAST_MONTH}),
    ("which payments failed yesterday", "failed_payments", None, {"period": YESTERDAY}),
    ("failed charges in the last 14 days", "failed_payments", None, {"period": back(days=14)}),
    ("show card declines since May 1", "failed_payments", None, {"period": THIS_MONTH}),
    ("how many payment failures in Q1", "failed_payments", None, {"period": Q1}),
    ("failed payments in March", "failed_payments", None, {"period": MARCH}),
    ("payment failures last 2 weeks", "failed_payments", None, {"period": back(days=14)}),
    ("did any charges bounce this month", "failed_payments", None, {"period": THIS_MONTH}),
    ("unsuccessful payment attempts YTD", "failed_payments", None, {"period": YTD}),
    ("failed paymnets last wk", "failed_payments", None, {"period": LAST_WEEK}),
    (
        "declined transactions between Jan and March",
        "failed_payments",
        None,
        {"period": JAN_TO_MARCH},
    ),
    ("card failures in the past quarter", "failed_payments", None, {"period": PAST_QUARTER}),
    ("whose card got declined this week", "failed_payments", None, {"period": THIS_WEEK}),
    (
        "failed payments since 2026-04-15",
        "failed_payments",
        None,
        {"period": ("2026-04-15", "2026-05-20")},
    ),
    ("payment errors last 7 days", "failed_payments", None, {"period": back(days=7)}),
    ("failed invoice payments in February 2026", "failed_payments", None, {"period": FEB}),
    ("charges that didn't go through last month", "failed_payments", None, {"period": LAST_MONTH}),
    ("failed payments in Q4", "failed_payments", None, {"period": Q4_2025}),
    (
        "payments that bounced over the last 30 days",
        "failed_payments",
        None,
        {"period": back(days=30)},
    ),
    (
        "failed payments over the last three weeks",
        "failed_payments",
        None,
        {"period": back(days=21)},
    ),
    ("card declines this year", "failed_payments", None, {"period": YTD}),
]

AT_RISK: list[Case] = [
    ("how much ARR is at risk?", "arr_at_risk", None, {}),
    ("at-risk revenue", "arr_at_risk", None, {}),
    (
        "revenue at risk from failed payments this month",
        "arr_at_risk",
        None,
        {"period": THIS_MONTH},
    ),
    ("what's our exposure from failed cards", "arr_at_risk", None, {}),
    ("ARR at risk last quarter", "arr_at_risk", None, {"period": LAST_QUARTER}),
    (
        "how much annual recurring revenue could we lose to payment failures",
        "arr_at_risk",
        None,
        {},
    ),
    ("at risk arr in Q2", "arr_at_risk", None, {"period": THIS_QUARTER}),
    ("revenue in jeopardy because of declined cards", "arr_at_risk", None, {}),
    ("how much MRR is at risk", "arr_at_risk", None, {}),
    ("arr at-risk since March", "arr_at_risk", None, {"period": ("2026-03-01", "2026-05-20")}),
    ("revenue at risk ytd", "arr_at_risk", None, {"period": YTD}),
]

SUMMARY: list[Case] = [
    ("Lumen Labs", "account_summary", "Lumen Labs", {}),
    ("how's Pixel Forge doing?", "account_summary", "Pixel Forge", {}),
    ("tell me about redwood legal", "account_summary", "Redwood Legal LLP", {}),
    ("what's going on with atlasfreight.com", "account_summary", "Atlas Freight", {}),
    ("<https://kiwiandco.nz|kiwiandco.nz> overview", "account_summary", "Kiwi & Co", {}),
    ("info on Senora Tacos", "account_summary", "Señora Tacos", {}),
    ("Jones Hart and Wu account details", "account_summary", "Jones, Hart & Wu", {}),
    ("Top Shelf Spirits summary", "account_summary", "Top Shelf Spirits", {}),
    ("give me the rundown on Growth Loop Agency", "account_summary", "Growth Loop Agency", {}),
    ("Maple St Bakery?", "account_summary", "Maple Street Bakery", {}),
    ("what plan is Beacon Point on", "account_summary", "Beacon Point Media", {}),
    ("when does Evergreen Pools renew", "account_summary", "Evergreen Pools", {}),
    ("hummingbird events - mrr?", "account_summary", "Hummingbird Events", {}),
    ("what does Nova pay us per month", "account_summary", "Nova", {}),
    ("ARR for St Clair Realty", "account_summary", "St. Clair Realty", {}),
    ("ironclad fitnes", "account_summary", "Ironclad Fitness", {}),
    ("Cobalt and Pine", "account_summary", "Cobalt & Pine", {}),
    (
        "<mailto:billing@brightpath.edu|billing@brightpath.edu> account",
        "account_summary",
        "Bright Path Tutoring",
        {},
    ),
    ("how is Overdrive Motors doing", "account_summary", "Overdrive Motors", {}),
    ("First Choice Dental's plan", "account_summary", "First Choice Dental", {}),
    ("zeta.io", "account_summary", "Zeta", {}),
    (
        "anything I should know about Okafor Design before my call?",
        "account_summary",
        "Okafor Design Studio",
        {},
    ),
    ("quick snapshot of Pixel Forge", "account_summary", "Pixel Forge", {}),
    ("Atlas", "account_summary", "Atlas", {}),
    ("how much is Lumen Labs worth to us annually", "account_summary", "Lumen Labs", {}),
    ("how is Foobar Industries doing", "account_summary", None, {}),
    ("who is Foobar Industries?", "account_summary", None, {}),
    ("<@U0G9QF9C6> brightside health?", "account_summary", "Brightside Health", {}),
    ("what's the deal with jones hart & wu", "account_summary", "Jones, Hart & Wu", {}),
]

ACCOUNT_TREND: list[Case] = [
    ("Lumen Labs MRR trend", "account_mrr_trend", "Lumen Labs", {}),
    (
        "how has Pixel Forge's MRR changed over the last 6 months",
        "account_mrr_trend",
        "Pixel Forge",
        {"period": back(months=6)},
    ),
    ("chart redwood legal revenue by month", "account_mrr_trend", "Redwood Legal LLP", {}),
    ("Atlas Freight mrr history this year", "account_mrr_trend", "Atlas Freight", {"period": YTD}),
    ("Kiwi & Co monthly recurring revenue over time", "account_mrr_trend", "Kiwi & Co", {}),
    (
        "has Nova's MRR grown since January",
        "account_mrr_trend",
        "Nova",
        {"period": YTD},
    ),
    (
        "Evergreen Pools run rate trend last 12 months",
        "account_mrr_trend",
        "Evergreen Pools",
        {"period": back(months=12)},
    ),
    (
        "show me growth loop agency's mrr month by month",
        "account_mrr_trend",
        "Growth Loop Agency",
        {},
    ),
    ("Top Shelf Spirits MRR over time", "account_mrr_trend", "Top Shelf Spirits", {}),
    ("trend of zeta.io mrr in Q1", "account_mrr_trend", "Zeta", {"period": Q1}),
    (
        "Beacon Point MRR between January and April",
        "account_mrr_trend",
        "Beacon Point Media",
        {"period": ("2026-01-01", "2026-04-30")},
    ),
    ("is Brightside Health growing?", "account_mrr_trend", "Brightside Health", {}),
]

MRR_TOTAL: list[Case] = [
    ("MRR?", "mrr_total", None, {}),
    ("what's our mrr", "mrr_total", None, {}),
    ("monthly recurring revenue right now", "mrr_total", None, {}),
    ("current run rate", "mrr_total", None, {}),
    ("what is our ARR", "mrr_total", None, {}),
    ("annual recurring revenue", "mrr_total", None, {}),
    ("how much recurring revenue do we have", "mrr_total", None, {}),
    ("MRR at the end of last month", "mrr_total", None, {"at": "2026-04-30"}),
    ("what was MRR on March 31", "mrr_total", None, {"at": "2026-03-31"}),
    ("mmr", "mrr_total", None, {}),
    ("whats the run-rate", "mrr_total", None, {}),
    ("MRR as of Jan 1", "mrr_total", None, {"at": "2026-01-01"}),
    ("our arr today", "mrr_total", None, {}),
    ("how many paying customers do we have", "mrr_total", None, {}),
    ("total mrr in euros", "mrr_total", None, {}),
]

MRR_TREND: list[Case] = [
    ("MRR trend", "mrr_trend", None, {}),
    ("how has mrr changed over the last 6 months", "mrr_trend", None, {"period": back(months=6)}),
    ("mrr growth this year", "mrr_trend", None, {"period": YTD}),
    ("chart our run rate by month", "mrr_trend", None, {}),
    (
        "monthly recurring revenue over time since October",
        "mrr_trend",
        None,
        {"period": ("2025-10-01", "2026-05-20")},
    ),
    ("ARR trend in 2025", "mrr_trend", None, {"period": Y2025}),
    ("are we growing?", "mrr_trend", None, {}),
    (
        "mrr month over month between Jan and April",
        "mrr_trend",
        None,
        {"period": ("2026-01-01", "2026-04-30")},
    ),
    ("mrr history last 12 months", "mrr_trend", None, {"period": back(months=12)}),
    ("how did MRR evolve in Q1", "mrr_trend", None, {"period": Q1}),
    ("mrr over the past 90 days", "mrr_trend", None, {"period": back(days=90)}),
]

MOVEMENTS: list[Case] = [
    ("MRR movements this month", "mrr_movements", None, {"period": THIS_MONTH}),
    ("new vs expansion vs churn last month", "mrr_movements", None, {"period": LAST_MONTH}),
    ("mrr bridge for Q1", "mrr_movements", None, {"period": Q1}),
    ("expansion revenue last month", "mrr_movements", None, {"period": LAST_MONTH}),
    ("who upgraded this month", "mrr_movements", None, {"period": THIS_MONTH}),
    ("upgrades in April", "mrr_movements", None, {"period": APRIL}),
    ("reactivations this year", "mrr_movements", None, {"period": YTD}),
    ("what drove the change in MRR last month", "mrr_movements", None, {"period": LAST_MONTH}),
    ("net new mrr in march", "mrr_movements", None, {"period": MARCH}),
    ("mrr waterfall ytd", "mrr_movements", None, {"period": YTD}),
    ("breakdown of mrr changes last 30 days", "mrr_movements", None, {"period": back(days=30)}),
    ("how much expansion did we get in Q1", "mrr_movements", None, {"period": Q1}),
    (
        "expansions and contractions since April",
        "mrr_movements",
        None,
        {"period": ("2026-04-01", "2026-05-20")},
    ),
    ("won back customers this quarter", "mrr_movements", None, {"period": THIS_QUARTER}),
]

CHURN: list[Case] = [
    ("churn rate last month", "churn_rate", None, {"period": LAST_MONTH}),
    ("what's our churn", "churn_rate", None, {}),
    ("who churned in April", "churn_rate", None, {"period": APRIL}),
    ("customers we lost last quarter", "churn_rate", None, {"period": LAST_QUARTER}),
    # "left" reads as cancellations (as in cases_intents.py), not as the churn rate.
    ("which clients left us this year", "cancellations", None, {"period": YTD}),
    ("mrr churn % in Q1", "churn_rate", None, {"period": Q1}),
    (
        "how much revenue did we lose to churn last month",
        "churn_rate",
        None,
        {"period": LAST_MONTH},
    ),
    ("logo churn this quarter", "churn_rate", None, {"period": THIS_QUARTER}),
    ("churned accounts since January", "churn_rate", None, {"period": YTD}),
    ("what percentage of mrr churned in march", "churn_rate", None, {"period": MARCH}),
    ("attrition rate last 3 months", "churn_rate", None, {"period": back(months=3)}),
    ("churn?", "churn_rate", None, {}),
    ("monthly churn for 2025", "churn_rate", None, {"period": Y2025}),
]

TOP: list[Case] = [
    ("top five customers", "top_accounts", None, {"limit": 5}),
    ("biggest clients by mrr", "top_accounts", None, {}),
    ("top 10 accounts", "top_accounts", None, {"limit": 10}),
    ("who are our largest customers", "top_accounts", None, {}),
    ("top 3 clients by MRR", "top_accounts", None, {"limit": 3}),
    ("rank accounts by monthly recurring revenue", "top_accounts", None, {}),
    ("top twenty accounts by ARR", "top_accounts", None, {"limit": 20}),
    ("who are our whales", "top_accounts", None, {}),
    ("highest paying customers", "top_accounts", None, {}),
    ("10 biggest accounts", "top_accounts", None, {"limit": 10}),
    ("top clients", "top_accounts", None, {}),
    ("which customers bring in the most MRR", "top_accounts", None, {}),
    ("top 7 by arr", "top_accounts", None, {"limit": 7}),
]

LIFETIME: list[Case] = [
    ("lifetime revenue for Lumen Labs", "lifetime_revenue", "Lumen Labs", {}),
    ("how much has Pixel Forge paid us in total", "lifetime_revenue", "Pixel Forge", {}),
    ("total revenue from Redwood Legal all time", "lifetime_revenue", "Redwood Legal LLP", {}),
    ("LTV of Atlas Freight", "lifetime_revenue", "Atlas Freight", {}),
    ("which clients have paid us the most ever", "lifetime_revenue", None, {}),
    ("top 5 customers by lifetime revenue", "lifetime_revenue", None, {"limit": 5}),
    ("all-time revenue ranking", "lifetime_revenue", None, {}),
    ("Kiwi & Co's total spend with us", "lifetime_revenue", "Kiwi & Co", {}),
    (
        "how much money have we made from nova since they signed up",
        "lifetime_revenue",
        "Nova",
        {},
    ),
    ("cumulative revenue by account", "lifetime_revenue", None, {}),
]

INVOICES: list[Case] = [
    ("Lumen Labs invoices", "account_invoices", "Lumen Labs", {}),
    ("show me pixel forge's last invoices", "account_invoices", "Pixel Forge", {}),
    ("recent bills for Redwood Legal", "account_invoices", "Redwood Legal LLP", {}),
    ("invoice history atlasfreight.com", "account_invoices", "Atlas Freight", {}),
    ("what did we invoice Kiwi & Co recently", "account_invoices", "Kiwi & Co", {}),
    ("last 5 invoices for Nova", "account_invoices", "Nova", {"limit": 5}),
    (
        "<@U0G9QF9C6> can you pull the invoices for Growth Loop Agency",
        "account_invoices",
        "Growth Loop Agency",
        {},
    ),
    (
        "did we send Evergreen Pools an invoice this month",
        "account_invoices",
        "Evergreen Pools",
        {},
    ),
    ("Top Shelf Spirits invoice list", "account_invoices", "Top Shelf Spirits", {}),
    ("Okafor Design Studio open invoices", "account_invoices", "Okafor Design Studio", {}),
]

STATUS: list[Case] = [
    ("has Lumen Labs paid?", "payment_status", "Lumen Labs", {}),
    ("is Pixel Forge overdue?", "payment_status", "Pixel Forge", {}),
    ("is redwood legal behind on payments", "payment_status", "Redwood Legal LLP", {}),
    ("why is Atlas Freight past due", "payment_status", "Atlas Freight", {}),
    ("payment status for Kiwi & Co", "payment_status", "Kiwi & Co", {}),
    ("does Nova owe us anything", "payment_status", "Nova", {}),
    ("did Evergreen Pools' card get declined", "payment_status", "Evergreen Pools", {}),
    ("is Growth Loop up to date on their bills", "payment_status", "Growth Loop Agency", {}),
    ("are Top Shelf Spirits paid up", "payment_status", "Top Shelf Spirits", {}),
    ("Brightside Health payment status", "payment_status", "Brightside Health", {}),
    ("what's up with St. Clair Realty's payments", "payment_status", "St. Clair Realty", {}),
    ("is Overdrive Motors late", "payment_status", "Overdrive Motors", {}),
]

CANCELLATIONS: list[Case] = [
    ("cancellations last month", "cancellations", None, {"period": LAST_MONTH}),
    ("who cancelled this month", "cancellations", None, {"period": THIS_MONTH}),
    ("which subscriptions were canceled in Q1", "cancellations", None, {"period": Q1}),
    ("cancelled subs since March", "cancellations", None, {"period": ("2026-03-01", "2026-05-20")}),
    ("any cancellations today", "cancellations", None, {"period": TODAY}),
    ("subscriptions that ended in April", "cancellations", None, {"period": APRIL}),
    ("who canceled their plan last week", "cancellations", None, {"period": LAST_WEEK}),
    ("cancelations ytd", "cancellations", None, {"period": YTD}),
    (
        "who turned off their subscription over the last 60 days",
        "cancellations",
        None,
        {"period": back(days=60)},
    ),
    ("list of cancelled customers in 2025", "cancellations", None, {"period": Y2025}),
    ("cancellations Q3", "cancellations", None, {"period": Q3_2025}),
]

SCHEDULED: list[Case] = [
    ("who is scheduled to cancel", "scheduled_cancellations", None, {}),
    ("who's quietly cancelling", "scheduled_cancellations", None, {}),
    ("accounts set to cancel at period end", "scheduled_cancellations", None, {}),
    ("upcoming cancellations", "scheduled_cancellations", None, {}),
    ("who turned off auto-renew", "scheduled_cancellations", None, {}),
    ("which clients are planning to leave", "scheduled_cancellations", None, {}),
    ("pending cancellations", "scheduled_cancellations", None, {}),
    ("subscriptions cancelling at the end of the term", "scheduled_cancellations", None, {}),
    ("who has cancel at period end set", "scheduled_cancellations", None, {}),
    ("who's going to cancel next month", "scheduled_cancellations", None, {}),
]

DOWNGRADES: list[Case] = [
    ("downgrades last month", "downgrades", None, {"period": LAST_MONTH}),
    ("who downgraded this quarter", "downgrades", None, {"period": THIS_QUARTER}),
    ("contractions in Q1", "downgrades", None, {"period": Q1}),
    ("which customers reduced their plan in April", "downgrades", None, {"period": APRIL}),
    ("accounts that moved to a cheaper plan this year", "downgrades", None, {"period": YTD}),
    ("seat reductions last 30 days", "downgrades", None, {"period": back(days=30)}),
    (
        "contraction mrr since February",
        "downgrades",
        None,
        {"period": ("2026-02-01", "2026-05-20")},
    ),
    ("downsells in March", "downgrades", None, {"period": MARCH}),
    ("who cut back their spend last month", "downgrades", None, {"period": LAST_MONTH}),
    ("any downgrades?", "downgrades", None, {}),
]

UPSELL: list[Case] = [
    ("who should we upsell", "upsell_candidates", None, {}),
    ("upsell opportunities", "upsell_candidates", None, {}),
    ("expansion opportunities", "upsell_candidates", None, {}),
    ("which accounts are ready for an upgrade", "upsell_candidates", None, {}),
    ("best upsell candidates", "upsell_candidates", None, {}),
    ("who could we sell more to", "upsell_candidates", None, {}),
    ("cross-sell targets", "upsell_candidates", None, {}),
    ("accounts that might want a bigger plan", "upsell_candidates", None, {}),
    ("which customers are outgrowing their plan", "upsell_candidates", None, {}),
    ("top 5 upsell prospects", "upsell_candidates", None, {"limit": 5}),
]

RENEWALS: list[Case] = [
    ("renewals coming up", "renewals", None, {}),
    ("who renews in the next 30 days", "renewals", None, {"period": ahead(days=30)}),
    ("upcoming renewals next 2 weeks", "renewals", None, {"period": ahead(days=14)}),
    ("renewals in June", "renewals", None, {"period": NEXT_MONTH}),
    ("which contracts renew next month", "renewals", None, {"period": NEXT_MONTH}),
    ("renewals next 90 days", "renewals", None, {"period": ahead(days=90)}),
    ("annual plans renewing soon", "renewals", None, {}),
    (
        "what subscriptions auto-renew in the next sixty days",
        "renewals",
        None,
        {"period": ahead(days=60)},
    ),
    ("renewal pipeline for July", "renewals", None, {"period": ("2026-07-01", "2026-07-31")}),
    ("rnewals next week", "renewals", None, {"period": ("2026-05-25", "2026-05-31")}),
    ("who's up for renewal", "renewals", None, {}),
]

TRIALS: list[Case] = [
    ("trials ending", "trials", None, {}),
    ("who's on a trial", "trials", None, {}),
    ("which trials end this week", "trials", None, {}),
    ("trial accounts", "trials", None, {}),
    ("free trials expiring in the next 7 days", "trials", None, {"period": ahead(days=7)}),
    ("when do the trials end", "trials", None, {}),
    ("any trials converting soon", "trials", None, {}),
    ("trialing customers", "trials", None, {}),
    ("who is still in trial", "trials", None, {}),
    ("trials ending next month", "trials", None, {"period": NEXT_MONTH}),
]

NEW: list[Case] = [
    ("new customers this month", "new_customers", None, {"period": THIS_MONTH}),
    ("new signups last week", "new_customers", None, {"period": LAST_WEEK}),
    ("how many new paying customers in April", "new_customers", None, {"period": APRIL}),
    ("who signed up in Q1", "new_customers", None, {"period": Q1}),
    ("new clients since March 15", "new_customers", None, {"period": ("2026-03-15", "2026-05-20")}),
    ("which accounts did we win this year", "new_customers", None, {"period": YTD}),
    ("new logos last quarter", "new_customers", None, {"period": LAST_QUARTER}),
    ("new business last 30 days", "new_customers", None, {"period": back(days=30)}),
    ("who started paying us this week", "new_customers", None, {"period": THIS_WEEK}),
    ("first-time customers in 2025", "new_customers", None, {"period": Y2025}),
    ("did we land any new accounts yesterday", "new_customers", None, {"period": YESTERDAY}),
    ("new paid conversions in march", "new_customers", None, {"period": MARCH}),
    ("new customers Q3", "new_customers", None, {"period": Q3_2025}),
]

HELP: list[Case] = [
    ("help", "help", None, {}),
    ("what can you do?", "help", None, {}),
    ("what can I ask you", "help", None, {}),
    ("how do I use this bot", "help", None, {}),
    ("commands", "help", None, {}),
    ("<@U0REVBOT> help me", "help", None, {}),
]

UNKNOWN: list[Case] = [
    ("what's the weather in Paris", "unknown", None, {}),
    ("tell me a joke", "unknown", None, {}),
    ("asdfghjkl", "unknown", None, {}),
    ("who won the game last night", "unknown", None, {}),
    ("order pizza for the team", "unknown", None, {}),
    ("what time is the standup", "unknown", None, {}),
    ("lol", "unknown", None, {}),
    ("can you book a meeting room for 3pm", "unknown", None, {}),
    ("translate hello into french", "unknown", None, {}),
    ("what's the capital of Peru", "unknown", None, {}),
    ("how many employees do we have", "unknown", None, {}),
]

CASES: list[Case] = (
    OVERDUE
    + FAILED
    + AT_RISK
    + SUMMARY
    + ACCOUNT_TREND
    + MRR_TOTAL
    + MRR_TREND
    + MOVEMENTS
    + CHURN
    + TOP
    + LIFETIME
    + INVOICES
    + STATUS
    + CANCELLATIONS
    + SCHEDULED
    + DOWNGRADES
    + UPSELL
    + RENEWALS
    + TRIALS
    + NEW
    + HELP
    + UNKNOWN
)

# (first question, reply in the thread, expected intent, account, expectations)
FOLLOW_UPS: list[FollowUp] = [
    ("who is overdue?", "what about Lumen Labs?", "payment_status", "Lumen Labs", {}),
    (
        "failed payments last month",
        "and this week?",
        "failed_payments",
        None,
        {"period": THIS_WEEK},
    ),
    ("churn rate in Q1", "same for Q4", "churn_rate", None, {"period": Q4_2025}),
    ("overdue accounts", "only the ones over 60 days", "overdue_accounts", None, {"min_days": 60}),
    (
        "overdue accounts",
        "just those above $2k",
        "overdue_accounts",
        None,
        {"min_amount": "2000", **USD},
    ),
    ("Lumen Labs MRR trend", "and for Pixel Forge?", "account_mrr_trend", "Pixel Forge", {}),
    ("how's Redwood Legal doing?", "their invoices?", "account_invoices", "Redwood Legal LLP", {}),
    ("top 5 customers", "make it 10", "top_accounts", None, {"limit": 10}),
    ("new customers this month", "and last month?", "new_customers", None, {"period": LAST_MONTH}),
    (
        "renewals in the next 30 days",
        "what about the next 60 days?",
        "renewals",
        None,
        {"period": ahead(days=60)},
    ),
    (
        "cancellations last month",
        "what about downgrades?",
        "downgrades",
        None,
        {"period": LAST_MONTH},
    ),
    ("how is Nova doing", "what about Zeta?", "account_summary", "Zeta", {}),
    ("how is Nova doing", "and their payment status?", "payment_status", "Nova", {}),
    ("Kiwi & Co invoices", "and Atlas Freight?", "account_invoices", "Atlas Freight", {}),
    (
        "overdue more than 30 days",
        "only over 60",
        "overdue_accounts",
        None,
        {"min_days": 60},
    ),
    ("mrr movements last month", "in March?", "mrr_movements", None, {"period": MARCH}),
    ("failed payments this month", "what's our MRR?", "mrr_total", None, {}),
    ("downgrades in April", "same for last quarter", "downgrades", None, {"period": LAST_QUARTER}),
    ("who is overdue?", "lumenlabs.io?", "payment_status", "Lumen Labs", {}),
    ("lifetime revenue for Nova", "and Pixel Forge", "lifetime_revenue", "Pixel Forge", {}),
    ("top 10 accounts", "top three?", "top_accounts", None, {"limit": 3}),
    (
        "overdue accounts",
        "only the ones over 60 days and above €1,000",
        "overdue_accounts",
        None,
        {"min_days": 60, "min_amount": "1000", "currency": "EUR"},
    ),
    ("churn last month", "and the month before?", "churn_rate", None, {"period": MARCH}),
    ("new signups in Q1", "and YTD?", "new_customers", None, {"period": YTD}),
    ("Atlas Freight MRR trend", "same for atlas", "account_mrr_trend", "Atlas", {}),
    ("who is overdue?", "what's the weather like", "unknown", None, {}),
    (
        "failed payments last week",
        "what about the last 3 days",
        "failed_payments",
        None,
        {"period": back(days=3)},
    ),
    ("trials ending", "and renewals?", "renewals", None, {}),
]
