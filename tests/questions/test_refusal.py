"""Honest refusal: requests that are not billing questions are ``unknown`` with suggestions,
never a confident billing answer, even when they hold billing words or an account name."""

from __future__ import annotations

import pytest

from questions import parse
from questions.query import Intent, Measure
from tests.questions.invented_world import AS_OF, invented_index

INDEX = invented_index()

NOT_BILLING = [
    "translate 'overdue' into German",
    "translate this to spanish: your invoice is overdue",
    "write an email to Northwind reminding them to pay",
    "can you draft a dunning email for the overdue clients",
    "pls write me a polite payment reminder",
    "rewrite this invoice reminder to sound friendlier",
    "send a reminder to Zorblax about their invoice",
    "email Quasar Dynamics about the failed charge",
    "book a call with Tidewater Labs on thursday",
    "remind me to chase Apex tomorrow",
    "tell me a joke about invoices lol",
    "write a haiku about churn",
    "who is the CEO of Northwind?",
    "who founded Stripe?",
    "what's the weather in Lisbon",
    "what time is it in Tokyo?",
    "summarize this thread pls",
    "write a SQL query for overdue invoices",
    "who's the account manager for Zorblax Robotics?",
    "Quasar Dynamics' main contact",
    "who is the point of contact at Northwind",
    "is anyone's card expiring",
]


@pytest.mark.parametrize("question", NOT_BILLING)
def test_a_request_that_is_not_a_billing_question_is_unknown(question: str) -> None:
    query = parse(question, INDEX, AS_OF)
    assert query.intent is Intent.UNKNOWN
    assert query.measure is Measure.NONE
    assert query.account is None  # no account answered about
    assert query.suggestions


BILLING = [
    ("send me the overdue list", Intent.OVERDUE_ACCOUNTS),
    ("did we send Zorblax an invoice this month", Intent.ACCOUNT_INVOICES),
    ("which accounts should we email about overdue invoices", Intent.OVERDUE_ACCOUNTS),
    ("is Northwind paying on time", Intent.PAYMENT_STATUS),
    ("make me a list of the top accounts", Intent.TOP_ACCOUNTS),
    ("how is Apex doing", Intent.ACCOUNT_SUMMARY),
    ("did MRR fall last month?", Intent.MRR_TOTAL),
    ("why is Quasar Dynamics flagged", Intent.PAYMENT_STATUS),
    ("why's Zorblax Robotics in the red", Intent.PAYMENT_STATUS),
    ("what's wrong with Northwind", Intent.PAYMENT_STATUS),
    ("who pays us in GBP", Intent.TOP_ACCOUNTS),
    ("which customers pay in euros", Intent.TOP_ACCOUNTS),
    ("list all customers", Intent.TOP_ACCOUNTS),
    ("renewals expiring soon", Intent.RENEWALS),
    ("who's gonna churn", Intent.SCHEDULED_CANCELLATIONS),
    ("which clients are about to cancel", Intent.SCHEDULED_CANCELLATIONS),
    ("who's likely to churn", Intent.ARR_AT_RISK),
    ("which accounts might cancel", Intent.ARR_AT_RISK),
    ("who churned last month", Intent.CHURN_RATE),
]


@pytest.mark.parametrize(("question", "intent"), BILLING)
def test_billing_questions_with_the_same_words_are_answered(question: str, intent: Intent) -> None:
    assert parse(question, INDEX, AS_OF).intent is intent


@pytest.mark.parametrize(
    ("question", "intent", "other"),
    [
        ("who is overdue? then draft them an email", Intent.OVERDUE_ACCOUNTS,
         "draft them an email"),
        ("top 5 accounts by MRR and also tell me a joke", Intent.TOP_ACCOUNTS, "tell me a joke"),
        ("what is our MRR? also what is the weather in Paris", Intent.MRR_TOTAL,
         "what is the weather in Paris"),
    ],
)  # fmt: skip
def test_a_billing_question_beside_another_request_is_answered_and_the_rest_named(
    question: str, intent: Intent, other: str
) -> None:
    query = parse(question, INDEX, AS_OF)
    assert query.intent is intent
    assert query.unsupported == (f"the request “{other}” (not a billing question)",)
