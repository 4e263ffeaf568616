"""Numbers and time the way people type them in Slack: '30+', '2k+', 'year-end', 'EOY',
'churn rate 2026', 'over the holidays', and client names made of time or number words."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from questions import parse
from questions.accounts import AccountIndex
from questions.query import AccountRef
from tests.questions.invented_world import AS_OF, invented_index

INDEX = invented_index()  # AS_OF is Monday 2027-02-15


@pytest.mark.parametrize(
    ("question", "start", "end", "at"),
    [
        ("year-end ARR?", "2026-01-01", "2026-12-31", "2026-12-31"),
        ("MRR at close of 2025", "2025-01-01", "2025-12-31", "2025-12-31"),
        ("arr at year end 2025", "2025-01-01", "2025-12-31", "2025-12-31"),
        ("eoy mrr", "2026-01-01", "2026-12-31", "2026-12-31"),
        ("MRR at quarter end", "2026-10-01", "2026-12-31", "2026-12-31"),
        ("mrr end of year", "2026-01-01", "2026-12-31", "2026-12-31"),
        ("churn rate 2026", "2026-01-01", "2026-12-31", None),
        ("cancellations 2026?", "2026-01-01", "2026-12-31", None),
        ("cancellations over the holidays", "2026-12-24", "2027-01-01", None),
    ],
)
def test_time_shorthand(question: str, start: str, end: str, at: str | None) -> None:
    query = parse(question, INDEX, AS_OF)
    assert query.period is not None
    assert (query.period.start.isoformat(), query.period.end.isoformat()) == (start, end)
    assert (query.at.isoformat() if query.at else None) == at


def test_quarter_end_on_the_last_day_of_a_quarter_is_today() -> None:
    query = parse("MRR at quarter end", INDEX, date(2027, 3, 31))
    assert query.at == date(2027, 3, 31)


@pytest.mark.parametrize("question", ["happy holidays! what's MRR at?", "top 2025 accounts"])
def test_greetings_and_ranks_are_no_period(question: str) -> None:
    assert parse(question, INDEX, AS_OF).period is None


@pytest.mark.parametrize(
    ("question", "field", "value"),
    [
        ("overdue 30+", "min_days", 30),
        ("late 60+?", "min_days", 60),
        ("overdue 2k+", "min_amount", Decimal(2000)),
        ("accounts paying $2k+ a month", "min_amount", Decimal(2000)),
        ("who owes 1,000 dollars or more", "min_amount", Decimal(1000)),
        ("overdue invoices 5k and up", "min_amount", Decimal(5000)),
    ],
)
def test_lower_bounds_said_after_the_number(question: str, field: str, value: object) -> None:
    filters = parse(question, INDEX, AS_OF).filters
    assert getattr(filters, field) == value
    assert getattr(filters, f"{field}_strict") is False


def test_top_ten_plus_is_a_limit_not_an_amount() -> None:
    query = parse("top 10+", INDEX, AS_OF)
    assert query.limit == 10 and query.filters.min_amount is None


NAMED = AccountIndex(
    [
        AccountRef("a1", "Sunday Solar", "sundaysolar.com"),
        AccountRef("a2", "August Analytics", "augustanalytics.io"),
        AccountRef("a3", "Five Star Fitness Studio", "fivestar.com", ("Five Star Fitness",)),
        AccountRef("a4", "Last Mile Couriers", "lastmile.com"),
        AccountRef("a5", "Redpoint Ventures", "redpoint.vc"),
    ]
)


@pytest.mark.parametrize(
    ("question", "account", "intent", "period"),
    [
        ("sunday solar mrr", "Sunday Solar", "account_summary", None),
        ("How much does August Analytics pay per month?", "August Analytics", "account_summary",
         None),
        ("Five Star Fitness invoices", "Five Star Fitness Studio", "account_invoices", None),
        ("last mile couriers invoices last month", "Last Mile Couriers", "account_invoices",
         ("2027-01-01", "2027-01-31")),
        ("charges for Redpoint Ventures this year", "Redpoint Ventures", "account_invoices",
         ("2027-01-01", "2027-02-15")),
    ],
)  # fmt: skip
def test_a_name_made_of_time_or_number_words_is_the_name(
    question: str, account: str, intent: str, period: tuple[str, str] | None
) -> None:
    query = parse(question, NAMED, AS_OF)
    assert query.account is not None and query.account.name == account
    assert query.intent.value == intent
    assert query.limit is None
    got = (query.period.start.isoformat(), query.period.end.isoformat()) if query.period else None
    assert got == period


@pytest.mark.parametrize(
    "question",
    [
        "has <mailto:billing@sundaysolar.com|billing@sundaysolar.com> paid?",
        "did billing@sundaysolar.com pay",
    ],
)
def test_an_email_address_is_the_account_mention(question: str) -> None:
    query = parse(question, NAMED, AS_OF)
    assert query.account is not None and query.account.name == "Sunday Solar"
    assert query.intent.value == "payment_status"


@pytest.mark.parametrize(
    ("question", "intent", "excluded"),
    [
        ("what's MRR excluding EUR", "mrr_total", "excluding EUR"),
        ("overdue accounts except Sunday Solar", "overdue_accounts", "except Sunday Solar"),
        ("top 5 other than August Analytics", "top_accounts", "other than August Analytics"),
    ],
)
def test_an_exclusion_is_named_as_not_applied_and_its_account_is_not_the_subject(
    question: str, intent: str, excluded: str
) -> None:
    query = parse(question, NAMED, AS_OF)
    assert query.intent.value == intent
    assert query.account is None
    assert query.unsupported == (f"the exclusion “{excluded}”",)
