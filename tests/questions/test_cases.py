"""The question tables (cases_intents.py) over the invented world."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from questions.parse import parse
from questions.query import Intent
from tests.questions.cases_intents import ALL_CASES
from tests.questions.invented_world import AS_OF, invented_index

INDEX = invented_index()


@pytest.mark.parametrize(("question", "intent", "account", "expect"), ALL_CASES)
def test_case(question: str, intent: str, account: str | None, expect: dict[str, Any]) -> None:
    query = parse(question, INDEX, AS_OF)
    assert query.intent.value == intent
    assert (query.account.name if query.account else None) == account
    if "period" in expect:
        assert query.period is not None, "expected a period"
        assert (query.period.start.isoformat(), query.period.end.isoformat()) == expect["period"]
    if expect.get("no_period"):
        assert query.period is None
    if "limit" in expect:
        assert query.limit == expect["limit"]
    if "min_days" in expect:
        assert query.filters.min_days == expect["min_days"]
    if "min_amount" in expect:
        assert query.filters.min_amount == Decimal(expect["min_amount"])
    if "currency" in expect:
        assert query.filters.currency == expect["currency"]
    if "at" in expect:
        assert query.at is not None and query.at.isoformat() == expect["at"]


def test_tables_cover_every_intent_and_are_large() -> None:
    covered = {intent for _, intent, _, _ in ALL_CASES}
    assert covered >= {i.value for i in Intent} - {"account_mrr_trend"} | {"account_mrr_trend"}
    assert len(ALL_CASES) >= 300


def test_no_sample_world_names_in_invented_world() -> None:
    from tests.questions.world_accounts import world_accounts

    sample = {a.name for a in world_accounts()}
    assert not sample & {a.name for a in INDEX.accounts}
