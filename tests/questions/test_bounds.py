"""Upper bounds and ranges in ``Filters``, new time phrases, and account-matching slips."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from questions import parse
from questions.intents import correct_typos, unsupported_metric
from questions.numbers import find_numbers
from questions.periods import find_period
from questions.query import Filters, Intent
from tests.questions.heldout import held_out, world_index

AS_OF = held_out("held-out").as_of
INDEX = world_index("heldout")


def test_range_sets_both_day_bounds_inclusive_in_json() -> None:
    filters = find_numbers("overdue between 30 and 60 days", []).filters
    assert filters.to_json() == {
        "min_days": 30,
        "min_days_strict": False,
        "max_days": 60,
        "max_days_strict": False,
    }
    assert filters.days_ok(30) and filters.days_ok(60)
    assert not filters.days_ok(29) and not filters.days_ok(61)


def test_upper_amount_bound_json_has_money_and_minor_units() -> None:
    filters = find_numbers("overdue under $500", []).filters
    out = filters.to_json()
    assert out["max_amount"] == {"amount": "500.00", "currency": "USD"}
    assert out["max_amount_minor"] == 50000
    assert out["max_amount_strict"] is True
    assert "min_amount" not in out
    assert filters.amount_ok(Decimal("499.99")) and not filters.amount_ok(Decimal("500"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("overdue 10 days or less", {"max_days": 10}),
        ("at most 2 weeks late", {"max_days": 14}),
        ("more than 30 days but less than 90 days", {"min_days": 30, "max_days": 90}),
        ("over $1k and under $5k", {"min_amount": Decimal(1000), "max_amount": Decimal(5000)}),
        ("between 1,000 and 5,000 euros", {"min_amount": Decimal(1000), "currency": "EUR"}),
        ("overdue 2-4 weeks", {"min_days": 14, "max_days": 28}),
        ("overdue 30 to 60 days", {"min_days": 30, "max_days": 60}),
    ],
)
def test_bounds_grammar(text: str, expected: dict[str, object]) -> None:
    filters = find_numbers(text, []).filters
    for key, value in expected.items():
        assert getattr(filters, key) == value, key


def test_merged_takes_newer_upper_bounds_and_keeps_older_lower_ones() -> None:
    old = Filters(min_days=30)
    new = Filters(max_days=60, max_days_strict=False)
    merged = old.merged(new)
    assert (merged.min_days, merged.max_days, merged.max_days_strict) == (30, 60, False)


def test_old_filters_json_is_unchanged_when_no_upper_bound() -> None:
    assert Filters(min_days=40).to_json() == {"min_days": 40, "min_days_strict": True}


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("since monday", "2026-08-10", "2026-08-12"),
        ("since last wednesday", "2026-08-05", "2026-08-12"),
        ("in h1", "2026-01-01", "2026-06-30"),
        ("h2 2025", "2025-07-01", "2025-12-31"),
        ("first half of last year", "2025-01-01", "2025-06-30"),
        ("since the start of the year", "2026-01-01", "2026-08-12"),
        ("since the beginning of the quarter", "2026-07-01", "2026-08-12"),
        ("last wk", "2026-08-03", "2026-08-09"),
        ("this qtr", "2026-07-01", "2026-08-12"),
        ("the last twenty-one days", "2026-07-22", "2026-08-12"),
    ],
)
def test_new_time_phrases(text: str, start: str, end: str) -> None:
    match = find_period(text, AS_OF)
    assert match is not None
    assert (match.period.start.isoformat(), match.period.end.isoformat()) == (start, end)


def test_this_time_last_year_is_a_point() -> None:
    match = find_period("mrr this time last year", AS_OF)
    assert match is not None and match.at == date(2025, 8, 12)


def test_weekday_looks_forward_for_forward_questions() -> None:
    match = find_period("renewals on friday", AS_OF, forward=True)
    assert match is not None and match.period.start == date(2026, 8, 14)


def test_typo_correction_keeps_cue_words_and_inflections() -> None:
    assert correct_typos("whale customers") == "whale customers"
    assert correct_typos("who expanded") == "who expanded"
    assert correct_typos("renwals") == "renewals"


def test_unsupported_metrics_give_unknown_with_nearby_suggestions() -> None:
    assert unsupported_metric("what is our nrr") == "nrr"
    query = parse("NRR?", INDEX, AS_OF)
    assert query.intent is Intent.UNKNOWN and query.account_text is None
    assert Intent.CHURN_RATE in query.suggestions
    # A clear question that also names such a metric is still answered.
    assert parse("churn rate and NRR last month", INDEX, AS_OF).intent is Intent.CHURN_RATE


def test_scrambled_letters_pick_the_right_near_duplicate() -> None:
    query = parse("Nimbus Hlaeth summary", INDEX, AS_OF)
    assert query.account is not None and query.account.name == "Nimbus Health"


def test_misspelt_longer_name_beats_exact_shorter_one() -> None:
    query = parse("Acme Logistcs invoices", INDEX, AS_OF)
    assert query.account is not None and query.account.name == "Acme Logistics"
    assert parse("Acme invoices", INDEX, AS_OF).account.name == "Acme"  # type: ignore[union-attr]


def test_two_named_accounts_become_candidates() -> None:
    query = parse("compare Acme and Blue Sky", INDEX, AS_OF)
    assert query.account is None and query.is_ambiguous
    assert {a.name for a in query.account_candidates} == {"Acme", "Blue Sky"}
