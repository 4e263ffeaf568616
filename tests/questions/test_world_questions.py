"""Every public sample question is understood: intent, account, period, limit, filters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from questions.parse import parse
from tests.questions.world_accounts import world_accounts, world_questions

AS_OF = date(2027, 2, 15)
QUESTIONS = world_questions()


def _numbers(value: Any) -> list[Decimal]:
    """Every number (or numeric string) under a JSON value."""
    if isinstance(value, dict):
        return [n for v in value.values() for n in _numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in _numbers(v)]
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [Decimal(str(value))]
    if isinstance(value, str):
        try:
            return [Decimal(value)]
        except ArithmeticError:
            return []
    return []


def _close(got: str | None, want: str) -> bool:
    return got is not None and abs((date.fromisoformat(got) - date.fromisoformat(want)).days) <= 1


@pytest.mark.parametrize("item", QUESTIONS, ids=[q["id"] for q in QUESTIONS])
def test_public_question(item: dict[str, Any]) -> None:
    query = parse(item["q"], world_accounts(), AS_OF)
    entities = query.to_json()
    assert query.intent.value == item["intent"]
    assert (entities["account"] or {}).get("name") == item["account"]
    expect = item["expect"]
    if "period" in expect:
        assert entities["period"] is not None
        assert _close(entities["period"]["start"], expect["period"]["start"])
        assert _close(entities["period"]["end"], expect["period"]["end"])
    if "limit" in expect:
        assert entities["limit"] == expect["limit"]
    if "filter_number" in expect:
        wanted = Decimal(str(expect["filter_number"]))
        found = _numbers(entities["filters"])
        assert wanted in found or wanted * 100 in found


def test_there_are_public_questions() -> None:
    assert len(QUESTIONS) >= 40


def test_world_accounts_include_aliases_and_customer_names() -> None:
    by_name = {a.name: a for a in world_accounts()}
    assert "Blue Harbor" in by_name["Blue Harbor Capital"].aliases
    assert "Initech AP" in by_name["Initech"].aliases
    assert by_name["Contoso Trading"].domain == "contosotrading.com"
