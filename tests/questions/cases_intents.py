"""Question -> expected understanding, over the invented world (as of 2027-02-15, a Monday).

Each row: (question, intent, account name or None, expectations). Expectations
may hold ``period`` (start, end ISO), ``limit``, ``min_days``, ``min_amount``
(major units as str), ``currency``, ``candidates`` (names), ``account_text``,
``at`` (ISO date), ``no_period`` (True: period must be None).
"""

from __future__ import annotations

from typing import Any

Case = tuple[str, str, str | None, dict[str, Any]]

LAST_MONTH = ("2027-01-01", "2027-01-31")
THIS_MONTH = ("2027-02-01", "2027-02-15")
LAST_30 = ("2027-01-16", "2027-02-15")

OVERDUE: list[Case] = [
    ("who is overdue?", "overdue_accounts", None, {"no_period": True}),
    ("which clients are late paying us", "overdue_accounts", None, {}),
    ("show me unpaid invoices", "overdue_accounts", None, {}),
    ("who owes us money", "overdue_accounts", None, {}),
    ("outstanding balances please", "overdue_accounts", None, {}),
    ("accounts past due", "overdue_accounts", None, {}),
    ("list past-due customers", "overdue_accounts", None, {}),
    ("any delinquent accounts?", "overdue_accounts", None, {}),
    ("who's behind on payments", "overdue_accounts", None, {}),
    ("overdue over 60 days", "overdue_accounts", None, {"min_days": 60}),
    ("who is more than 30 days late", "overdue_accounts", None, {"min_days": 30}),
    ("invoices overdue by more than 45 days", "overdue_accounts", None, {"min_days": 45}),
    ("overdue accounts 90+ days", "overdue_accounts", None, {"min_days": 90}),
    (
        "who owes more than $1,000",
        "overdue_accounts",
        None,
        {"min_amount": "1000", "currency": "USD"},
    ),
    ("overdue above €500", "overdue_accounts", None, {"min_amount": "500", "currency": "EUR"}),
    ("unpaid invoices over 2k", "overdue_accounts", None, {"min_amount": "2000"}),
    (
        "overdue at least 2.5k dollars",
        "overdue_accounts",
        None,
        {"min_amount": "2500", "currency": "USD"},
    ),
    ("late payers over £750", "overdue_accounts", None, {"min_amount": "750", "currency": "GBP"}),
    ("overdue for more than two weeks", "overdue_accounts", None, {"min_days": 14}),
    ("which invoices are 30 days overdue", "overdue_accounts", None, {"min_days": 30}),
    ("total outstanding receivables", "overdue_accounts", None, {}),
    ("who hasn't paid yet", "overdue_accounts", None, {}),
    ("customers in arrears", "overdue_accounts", None, {}),
    ("OVERDUE!!!", "overdue_accounts", None, {}),
    (
        "ovedue accounts > 1000 usd",
        "overdue_accounts",
        None,
        {"min_amount": "1000", "currency": "USD"},
    ),
    ("who do we need to chase for payment", "overdue_accounts", None, {}),
    ("open invoices past their due date", "overdue_accounts", None, {}),
    ("how much is overdue in total?", "overdue_accounts", None, {}),
    ("which accounts owe at least 40 days", "overdue_accounts", None, {"min_days": 40}),
    ("Overdue invoices, older than 60 days", "overdue_accounts", None, {"min_days": 60}),
]

FAILED: list[Case] = [
    ("failed payments", "failed_payments", None, {}),
    (
        "which payments failed this week",
        "failed_payments",
        None,
        {"period": ("2027-02-15", "2027-02-15")},
    ),
    ("declined cards last month", "failed_payments", None, {"period": LAST_MONTH}),
    (
        "any bounced payments in the past 7 days?",
        "failed_payments",
        None,
        {"period": ("2027-02-08", "2027-02-15")},
    ),
    (
        "unsuccessful charges since January",
        "failed_payments",
        None,
        {"period": ("2027-01-01", "2027-02-15")},
    ),
    (
        "payment failures in December",
        "failed_payments",
        None,
        {"period": ("2026-12-01", "2026-12-31")},
    ),
    (
        "show failed charges last week",
        "failed_payments",
        None,
        {"period": ("2027-02-08", "2027-02-14")},
    ),
    ("whose card got declined", "failed_payments", None, {}),
    ("failing payments this month", "failed_payments", None, {"period": THIS_MONTH}),
    ("rejected payments in Q4", "failed_payments", None, {"period": ("2026-10-01", "2026-12-31")}),
    (
        "payments that didn't go through yesterday",
        "failed_payments",
        None,
        {"period": ("2027-02-14", "2027-02-14")},
    ),
    (
        "failed payments in the last 90 days",
        "failed_payments",
        None,
        {"period": ("2026-11-17", "2027-02-15")},
    ),
    ("failed payments ytd", "failed_payments", None, {"period": ("2027-01-01", "2027-02-15")}),
    (
        "declined payments between November and January",
        "failed_payments",
        None,
        {"period": ("2026-11-01", "2027-01-31")},
    ),
    ("failed payments today", "failed_payments", None, {"period": ("2027-02-15", "2027-02-15")}),
]

RISK: list[Case] = [
    ("ARR at risk", "arr_at_risk", None, {}),
    ("how much revenue is at risk?", "arr_at_risk", None, {}),
    (
        "revenue at-risk from failed payments this month",
        "arr_at_risk",
        None,
        {"period": THIS_MONTH},
    ),
    ("what's our exposure from failing cards", "arr_at_risk", None, {}),
    ("arr in jeopardy last month", "arr_at_risk", None, {"period": LAST_MONTH}),
    ("how much MRR could we lose to payment failures", "arr_at_risk", None, {}),
    ("at risk revenue", "arr_at_risk", None, {}),
    ("risky accounts by ARR", "arr_at_risk", None, {}),
    ("annual revenue at risk in January", "arr_at_risk", None, {"period": LAST_MONTH}),
    ("what ARR is in danger?", "arr_at_risk", None, {}),
]

SUMMARY: list[Case] = [
    ("how is Northwind Traders doing?", "account_summary", "Northwind Traders", {}),
    ("tell me about Zorblax Robotics", "account_summary", "Zorblax Robotics", {}),
    ("Quasar Dynamics summary", "account_summary", "Quasar Dynamics", {}),
    ("overview of pemberton & sons", "account_summary", "Pemberton & Sons Ltd", {}),
    ("what's up with Saffron Kitchen", "account_summary", "Saffron Kitchen", {}),
    ("lighthouse dental group?", "account_summary", "Lighthouse Dental Group", {}),
    ("Bluebird Analytics", "account_summary", "Bluebird Analytics", {}),
    ("status of bluebird.ai", "account_summary", "Bluebird Analytics", {}),
    ("check on https://www.copperleaf.io please", "account_summary", "Copperleaf Systems", {}),
    ("<https://zorblax.io|zorblax.io> overview", "account_summary", "Zorblax Robotics", {}),
    (
        "how are things with <mailto:ap@quasardynamics.com|ap@quasardynamics.com>",
        "account_summary",
        "Quasar Dynamics",
        {},
    ),
    ("snapshot for credit riviere", "account_summary", "Crédit Rivière", {}),
    ("CRÉDIT RIVIÈRE account details", "account_summary", "Crédit Rivière", {}),
    ("muller werkzeug summary", "account_summary", "Müller Werkzeug GmbH", {}),
    ("Zorblax's MRR", "account_summary", "Zorblax Robotics", {}),
    ("what is Northwind's ARR", "account_summary", "Northwind Traders", {}),
    ("what plan is Harper Lane Studio on?", "account_summary", "Harper Lane Studio", {}),
    ("when does Kingfisher Architects renew?", "account_summary", "Kingfisher Architects", {}),
    ("quick check on Zorblx Robotics", "account_summary", "Zorblax Robotics", {}),
    ("how's Quasr Dynamics doing", "account_summary", "Quasar Dynamics", {}),
    ("summary for Lighthose Dental", "account_summary", "Lighthouse Dental Group", {}),
    ("Tidewater summary", "account_summary", "Tidewater Labs", {}),
    ("tell me about Tidewater Logistics", "account_summary", "Tidewater Logistics", {}),
    ("how is Marigold Vet doing", "account_summary", "Marigold Veterinary", {}),
    ("Obsidian Security rundown", "account_summary", "Obsidian Security Inc.", {}),
    (
        "give me the profile of Wavecrest Surf School",
        "account_summary",
        "Wavecrest Surf School",
        {},
    ),
    ("*Granola Gear* :eyes: how are they doing", "account_summary", "Granola Gear Co", {}),
    ("how is the revenue collective doing", "account_summary", "The Revenue Collective", {}),
    ("info on Dr. Patel's Clinic", "account_summary", "Dr. Patel's Clinic", {}),
    ("O’Brien Consulting overview", "account_summary", "O'Brien Consulting", {}),
    ("fjord and fell summary", "account_summary", "Fjord & Fell", {}),
    ("Fjord &amp; Fell status", "account_summary", "Fjord & Fell", {}),
    ("what do we know about Apex", "account_summary", "Apex", {}),
    ("how is copperleaf", "account_summary", "Copperleaf Systems", {}),
    (
        "is Kingfisher Architects scheduled to cancel?",
        "account_summary",
        "Kingfisher Architects",
        {},
    ),
    ("<@U024BE7LH> how's Northwind doing today?", "account_summary", "Northwind Traders", {}),
    ("summary of Zorblax Robotics, thanks!", "account_summary", "Zorblax Robotics", {}),
    ("Northwind Traders MRR", "account_summary", "Northwind Traders", {}),
    ("how much MRR does Saffron Kitchen bring in", "account_summary", "Saffron Kitchen", {}),
    ("saffron kitchen's arr?", "account_summary", "Saffron Kitchen", {}),
]

ACCOUNT_TREND: list[Case] = [
    ("Northwind MRR trend", "account_mrr_trend", "Northwind Traders", {}),
    (
        "how has Zorblax Robotics' MRR changed over time",
        "account_mrr_trend",
        "Zorblax Robotics",
        {},
    ),
    (
        "Quasar Dynamics MRR over the last 6 months",
        "account_mrr_trend",
        "Quasar Dynamics",
        {"period": ("2026-08-15", "2027-02-15")},
    ),
    ("chart of Bluebird Analytics revenue", "account_mrr_trend", "Bluebird Analytics", {}),
    ("saffron kitchen mrr history", "account_mrr_trend", "Saffron Kitchen", {}),
    (
        "MRR of Harper Lane Studio since September",
        "account_mrr_trend",
        "Harper Lane Studio",
        {"period": ("2026-09-01", "2027-02-15")},
    ),
    ("graph copperleaf's mrr by month", "account_mrr_trend", "Copperleaf Systems", {}),
    (
        "Lighthouse Dental Group revenue this year month by month",
        "account_mrr_trend",
        "Lighthouse Dental Group",
        {"period": ("2027-01-01", "2027-02-15")},
    ),
    (
        "Marigold Veterinary MRR in 2026 by month",
        "account_mrr_trend",
        "Marigold Veterinary",
        {"period": ("2026-01-01", "2026-12-31")},
    ),
    ("trend for zorblax.io", "account_mrr_trend", "Zorblax Robotics", {}),
    (
        "Kingfisher Architects mrr growth over the past year",
        "account_mrr_trend",
        "Kingfisher Architects",
        {"period": ("2026-02-15", "2027-02-15")},
    ),
    (
        "plot Wavecrest Surf School MRR for the last 12 months",
        "account_mrr_trend",
        "Wavecrest Surf School",
        {"period": ("2026-02-15", "2027-02-15")},
    ),
    ("Apex revenue trajectory", "account_mrr_trend", "Apex", {}),
    (
        "Obsidian Security MRR between March and October",
        "account_mrr_trend",
        "Obsidian Security Inc.",
        {"period": ("2026-03-01", "2026-10-31")},
    ),
    (
        "Quasar's monthly MRR ytd",
        "account_mrr_trend",
        "Quasar Dynamics",
        {"period": ("2027-01-01", "2027-02-15")},
    ),
]

MRR_TOTAL: list[Case] = [
    ("what's our MRR?", "mrr_total", None, {}),
    ("current ARR", "mrr_total", None, {}),
    ("total monthly recurring revenue", "mrr_total", None, {}),
    ("run rate", "mrr_total", None, {}),
    ("how much are we making per month", "mrr_total", None, {}),
    ("MRR in euros", "mrr_total", None, {"currency": "EUR"}),
    ("ARR per currency", "mrr_total", None, {}),
    ("what was MRR at the end of last month", "mrr_total", None, {"at": "2027-01-31"}),
    ("MRR on 2026-12-31", "mrr_total", None, {"at": "2026-12-31"}),
    ("MRR as of Dec 31", "mrr_total", None, {"at": "2026-12-31"}),
    ("what was the mrr at the end of Q3", "mrr_total", None, {"at": "2026-09-30"}),
    ("revenue right now", "mrr_total", None, {}),
    ("annual recurring revenue?", "mrr_total", None, {}),
    ("MRR yesterday", "mrr_total", None, {"at": "2027-02-14"}),
    ("how much recurring revenue do we have in GBP", "mrr_total", None, {"currency": "GBP"}),
    ("mrr", "mrr_total", None, {}),
]

MRR_TREND: list[Case] = [
    ("MRR trend", "mrr_trend", None, {}),
    (
        "how has our MRR grown over the last year",
        "mrr_trend",
        None,
        {"period": ("2026-02-15", "2027-02-15")},
    ),
    ("mrr by month since August", "mrr_trend", None, {"period": ("2026-08-01", "2027-02-15")}),
    (
        "chart MRR for the last 6 months",
        "mrr_trend",
        None,
        {"period": ("2026-08-15", "2027-02-15")},
    ),
    ("revenue history", "mrr_trend", None, {}),
    ("ARR over time", "mrr_trend", None, {}),
    ("month over month MRR in 2026", "mrr_trend", None, {"period": ("2026-01-01", "2026-12-31")}),
    ("MRR growth this year", "mrr_trend", None, {"period": ("2027-01-01", "2027-02-15")}),
    (
        "mrr evolution between June and December",
        "mrr_trend",
        None,
        {"period": ("2026-06-01", "2026-12-31")},
    ),
    ("graph of monthly recurring revenue", "mrr_trend", None, {}),
    ("MRR over the last 3 months", "mrr_trend", None, {"period": ("2026-11-15", "2027-02-15")}),
    (
        "weekly MRR trend for the past quarter",
        "mrr_trend",
        None,
        {"period": ("2026-11-17", "2027-02-15")},
    ),
]

MOVEMENTS: list[Case] = [
    ("MRR movements last month", "mrr_movements", None, {"period": LAST_MONTH}),
    ("new vs expansion vs churn in January", "mrr_movements", None, {"period": LAST_MONTH}),
    ("MRR breakdown for December", "mrr_movements", None, {"period": ("2026-12-01", "2026-12-31")}),
    ("net new MRR this month", "mrr_movements", None, {"period": THIS_MONTH}),
    (
        "expansion and contraction in Q4",
        "mrr_movements",
        None,
        {"period": ("2026-10-01", "2026-12-31")},
    ),
    ("what drove MRR changes last month", "mrr_movements", None, {"period": LAST_MONTH}),
    ("mrr bridge for november", "mrr_movements", None, {"period": ("2026-11-01", "2026-11-30")}),
    ("reactivations this year", "mrr_movements", None, {"period": ("2027-01-01", "2027-02-15")}),
    ("expansion MRR in the last 30 days", "mrr_movements", None, {"period": LAST_30}),
    ("who upgraded last month", "mrr_movements", None, {"period": LAST_MONTH}),
    ("MRR waterfall", "mrr_movements", None, {}),
    (
        "upgrades and downgrades since October",
        "mrr_movements",
        None,
        {"period": ("2026-10-01", "2027-02-15")},
    ),
]

CHURN: list[Case] = [
    ("churn rate", "churn_rate", None, {}),
    ("what was our churn last month", "churn_rate", None, {"period": LAST_MONTH}),
    ("MRR churn in December", "churn_rate", None, {"period": ("2026-12-01", "2026-12-31")}),
    ("revenue churn % for Q4", "churn_rate", None, {"period": ("2026-10-01", "2026-12-31")}),
    ("who churned in January", "churn_rate", None, {"period": LAST_MONTH}),
    ("how much MRR did we lose last month", "churn_rate", None, {"period": LAST_MONTH}),
    ("churned accounts this year", "churn_rate", None, {"period": ("2027-01-01", "2027-02-15")}),
    ("attrition rate last quarter", "churn_rate", None, {"period": ("2026-10-01", "2026-12-31")}),
    ("lost revenue in november", "churn_rate", None, {"period": ("2026-11-01", "2026-11-30")}),
    ("chrun rate last month", "churn_rate", None, {"period": LAST_MONTH}),
    (
        "logo churn over the past 90 days",
        "churn_rate",
        None,
        {"period": ("2026-11-17", "2027-02-15")},
    ),
]

TOP: list[Case] = [
    ("top 5 accounts", "top_accounts", None, {"limit": 5}),
    ("our ten biggest customers", "top_accounts", None, {"limit": 10}),
    ("largest clients by MRR", "top_accounts", None, {}),
    ("top customer", "top_accounts", None, {"limit": 1}),
    ("who is our biggest client?", "top_accounts", None, {"limit": 1}),
    ("highest-paying accounts", "top_accounts", None, {}),
    ("rank accounts by MRR", "top_accounts", None, {}),
    ("top 3 by ARR", "top_accounts", None, {"limit": 3}),
    ("show the 20 largest accounts", "top_accounts", None, {"limit": 20}),
    ("best customers", "top_accounts", None, {}),
    ("top twelve clients", "top_accounts", None, {"limit": 12}),
    ("who pays us the most", "top_accounts", None, {}),
    ("top-10 accounts by revenue", "top_accounts", None, {"limit": 10}),
    ("biggest 7 customers in EUR", "top_accounts", None, {"limit": 7, "currency": "EUR"}),
    ("leaderboard", "top_accounts", None, {}),
]

LIFETIME: list[Case] = [
    ("lifetime revenue of Northwind Traders", "lifetime_revenue", "Northwind Traders", {}),
    ("how much has Zorblax paid us", "lifetime_revenue", "Zorblax Robotics", {}),
    ("total paid by Quasar Dynamics", "lifetime_revenue", "Quasar Dynamics", {}),
    ("LTV of saffron kitchen", "lifetime_revenue", "Saffron Kitchen", {}),
    (
        "how much money have we made from Bluebird Analytics",
        "lifetime_revenue",
        "Bluebird Analytics",
        {},
    ),
    ("total collected from Copperleaf", "lifetime_revenue", "Copperleaf Systems", {}),
    ("Harper Lane Studio all-time revenue", "lifetime_revenue", "Harper Lane Studio", {}),
    (
        "how much did Kingfisher Architects spend in total",
        "lifetime_revenue",
        "Kingfisher Architects",
        {},
    ),
    ("lifetime value by account", "lifetime_revenue", None, {}),
    ("top 5 accounts by lifetime revenue", "lifetime_revenue", None, {"limit": 5}),
    ("which clients have paid us the most in total", "lifetime_revenue", None, {}),
    ("LTV ranking", "lifetime_revenue", None, {}),
    (
        "how much has pembertonsons.co.uk paid so far",
        "lifetime_revenue",
        "Pemberton & Sons Ltd",
        {},
    ),
    ("Marigold Veterinary lifetime value", "lifetime_revenue", "Marigold Veterinary", {}),
    ("total revenue received from Apex", "lifetime_revenue", "Apex", {}),
]

INVOICES: list[Case] = [
    ("invoices for Northwind Traders", "account_invoices", "Northwind Traders", {}),
    ("show Zorblax Robotics' recent invoices", "account_invoices", "Zorblax Robotics", {}),
    ("Quasar Dynamics billing history", "account_invoices", "Quasar Dynamics", {}),
    ("bills sent to Saffron Kitchen", "account_invoices", "Saffron Kitchen", {}),
    ("last invoice of Bluebird Analytics", "account_invoices", "Bluebird Analytics", {}),
    ("copperleaf.io invoices", "account_invoices", "Copperleaf Systems", {}),
    ("payment history for Harper Lane Studio", "account_invoices", "Harper Lane Studio", {}),
    (
        "Kingfisher Architects invoices last quarter",
        "account_invoices",
        "Kingfisher Architects",
        {"period": ("2026-10-01", "2026-12-31")},
    ),
    ("receipts for Marigold Veterinary", "account_invoices", "Marigold Veterinary", {}),
    ("latest 5 invoices of Apex", "account_invoices", "Apex", {}),
    (
        "list Granola Gear invoices since November",
        "account_invoices",
        "Granola Gear Co",
        {"period": ("2026-11-01", "2027-02-15")},
    ),
    ("invoices of Obsidian Security", "account_invoices", "Obsidian Security Inc.", {}),
]

PAYMENT_STATUS: list[Case] = [
    ("is Northwind Traders up to date on payments?", "payment_status", "Northwind Traders", {}),
    ("has Zorblax Robotics paid?", "payment_status", "Zorblax Robotics", {}),
    ("is Quasar Dynamics paying us", "payment_status", "Quasar Dynamics", {}),
    ("payment status of Saffron Kitchen", "payment_status", "Saffron Kitchen", {}),
    ("is Bluebird Analytics overdue?", "payment_status", "Bluebird Analytics", {}),
    ("did Copperleaf's payment fail", "payment_status", "Copperleaf Systems", {}),
    ("does Harper Lane Studio owe us anything", "payment_status", "Harper Lane Studio", {}),
    (
        "is kingfisher-arch.com current on their bills",
        "payment_status",
        "Kingfisher Architects",
        {},
    ),
    ("is Marigold Veterinary in good standing", "payment_status", "Marigold Veterinary", {}),
    ("did Apex pay", "payment_status", "Apex", {}),
    ("any failed payments for Granola Gear?", "payment_status", "Granola Gear Co", {}),
    ("is Obsidian Security behind on payments", "payment_status", "Obsidian Security Inc.", {}),
    ("Wavecrest Surf School payment status", "payment_status", "Wavecrest Surf School", {}),
    ("is lighthouse dental late?", "payment_status", "Lighthouse Dental Group", {}),
]

CANCELLATIONS: list[Case] = [
    ("cancellations last month", "cancellations", None, {"period": LAST_MONTH}),
    ("who cancelled this week", "cancellations", None, {"period": ("2027-02-15", "2027-02-15")}),
    (
        "which customers canceled in December?",
        "cancellations",
        None,
        {"period": ("2026-12-01", "2026-12-31")},
    ),
    (
        "cancelled subscriptions in the last 60 days",
        "cancellations",
        None,
        {"period": ("2026-12-17", "2027-02-15")},
    ),
    ("who left us last quarter", "cancellations", None, {"period": ("2026-10-01", "2026-12-31")}),
    (
        "subscriptions that ended since November",
        "cancellations",
        None,
        {"period": ("2026-11-01", "2027-02-15")},
    ),
    ("cancellations", "cancellations", None, {}),
    ("who quit in January", "cancellations", None, {"period": LAST_MONTH}),
    (
        "clients that cancelled between Oct 1 and Dec 15",
        "cancellations",
        None,
        {"period": ("2026-10-01", "2026-12-15")},
    ),
    ("cancellations ytd", "cancellations", None, {"period": ("2027-01-01", "2027-02-15")}),
    (
        "who cancelled in the past two weeks",
        "cancellations",
        None,
        {"period": ("2027-02-01", "2027-02-15")},
    ),
]

SCHEDULED: list[Case] = [
    ("who is quietly cancelling?", "scheduled_cancellations", None, {}),
    ("accounts set to cancel", "scheduled_cancellations", None, {}),
    ("scheduled cancellations", "scheduled_cancellations", None, {}),
    (
        "who is going to cancel at the end of their billing period",
        "scheduled_cancellations",
        None,
        {},
    ),
    ("customers not renewing", "scheduled_cancellations", None, {}),
    ("who's leaving us?", "scheduled_cancellations", None, {}),
    ("upcoming cancellations", "scheduled_cancellations", None, {}),
    ("who turned off auto-renew", "scheduled_cancellations", None, {}),
    ("which subscriptions will cancel at period end", "scheduled_cancellations", None, {}),
    ("clients planning to quit", "scheduled_cancellations", None, {}),
    ("who has given notice", "scheduled_cancellations", None, {}),
    ("pending churn", "scheduled_cancellations", None, {}),
]

DOWNGRADES: list[Case] = [
    ("downgrades last month", "downgrades", None, {"period": LAST_MONTH}),
    ("who downgraded this month", "downgrades", None, {"period": THIS_MONTH}),
    ("contraction in Q4", "downgrades", None, {"period": ("2026-10-01", "2026-12-31")}),
    ("customers who reduced their plan", "downgrades", None, {}),
    (
        "who moved to a cheaper plan since December",
        "downgrades",
        None,
        {"period": ("2026-12-01", "2027-02-15")},
    ),
    ("accounts that cut back seats in the last 30 days", "downgrades", None, {"period": LAST_30}),
    ("downgraded subscriptions", "downgrades", None, {}),
    ("who is paying less than before", "downgrades", None, {}),
    ("contractions this year", "downgrades", None, {"period": ("2027-01-01", "2027-02-15")}),
    ("any downgrades in January?", "downgrades", None, {"period": LAST_MONTH}),
]

UPSELL: list[Case] = [
    ("upsell opportunities", "upsell_candidates", None, {}),
    ("who could we upsell?", "upsell_candidates", None, {}),
    ("expansion opportunities", "upsell_candidates", None, {}),
    ("which accounts are ripe for an upgrade", "upsell_candidates", None, {}),
    ("who should we pitch an upgrade to", "upsell_candidates", None, {}),
    ("accounts ready to expand", "upsell_candidates", None, {}),
    ("cross-sell targets", "upsell_candidates", None, {}),
    ("upgrade candidates", "upsell_candidates", None, {}),
    ("top 5 upsell candidates", "upsell_candidates", None, {"limit": 5}),
    ("which clients have room to grow", "upsell_candidates", None, {}),
    ("Who can we up-sell this quarter?", "upsell_candidates", None, {}),
]

RENEWALS: list[Case] = [
    ("upcoming renewals", "renewals", None, {}),
    ("renewals in the next 30 days", "renewals", None, {"period": ("2027-02-15", "2027-03-17")}),
    ("who renews next week", "renewals", None, {"period": ("2027-02-22", "2027-02-28")}),
    (
        "who is up for renewal this month",
        "renewals",
        None,
        {"period": ("2027-02-15", "2027-02-28")},
    ),
    (
        "renewals due in the next fortnight",
        "renewals",
        None,
        {"period": ("2027-02-15", "2027-03-01")},
    ),
    ("contracts renewing in March", "renewals", None, {"period": ("2027-03-01", "2027-03-31")}),
    (
        "which subscriptions renew within 7 days",
        "renewals",
        None,
        {"period": ("2027-02-15", "2027-02-22")},
    ),
    (
        "renewals coming up in the next 2 months",
        "renewals",
        None,
        {"period": ("2027-02-15", "2027-04-15")},
    ),
    ("who's renewing soon", "renewals", None, {}),
    ("renewal pipeline next month", "renewals", None, {"period": ("2027-03-01", "2027-03-31")}),
]

TRIALS: list[Case] = [
    ("trials", "trials", None, {}),
    ("who is on a free trial", "trials", None, {}),
    ("trials ending this week", "trials", None, {}),
    (
        "which trials end in the next 7 days",
        "trials",
        None,
        {"period": ("2027-02-15", "2027-02-22")},
    ),
    ("accounts trialing", "trials", None, {}),
    ("active trials and when they expire", "trials", None, {}),
    ("how many trials do we have", "trials", None, {}),
    ("trial accounts", "trials", None, {}),
    ("who's trialling right now?", "trials", None, {}),
]

NEW: list[Case] = [
    ("new customers this month", "new_customers", None, {"period": THIS_MONTH}),
    ("new clients last month", "new_customers", None, {"period": LAST_MONTH}),
    ("who signed up in January", "new_customers", None, {"period": LAST_MONTH}),
    ("new logos in Q4", "new_customers", None, {"period": ("2026-10-01", "2026-12-31")}),
    ("signups in the last 30 days", "new_customers", None, {"period": LAST_30}),
    (
        "which accounts did we win this year",
        "new_customers",
        None,
        {"period": ("2027-01-01", "2027-02-15")},
    ),
    (
        "new paying accounts since December",
        "new_customers",
        None,
        {"period": ("2026-12-01", "2027-02-15")},
    ),
    (
        "who started paying last week",
        "new_customers",
        None,
        {"period": ("2027-02-08", "2027-02-14")},
    ),
    ("new business in November", "new_customers", None, {"period": ("2026-11-01", "2026-11-30")}),
    ("customers acquired in 2026", "new_customers", None, {"period": ("2026-01-01", "2026-12-31")}),
]

HELP: list[Case] = [
    ("help", "help", None, {}),
    ("what can you do?", "help", None, {}),
    ("what can I ask you", "help", None, {}),
    ("how do I use this bot", "help", None, {}),
    ("commands", "help", None, {}),
    ("hi", "help", None, {}),
    ("<@U0BOT> help", "help", None, {}),
    ("show me some examples", "help", None, {}),
]

UNKNOWN: list[Case] = [
    ("tell me a joke", "unknown", None, {}),
    ("what's the weather in Paris", "unknown", None, {}),
    ("", "unknown", None, {}),
    ("   ", "unknown", None, {}),
    ("asdfghjkl", "unknown", None, {}),
    ("who won the game last night", "unknown", None, {}),
    ("DROP TABLE accounts; --", "unknown", None, {}),
    ("😀😀😀", "unknown", None, {}),
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
)
