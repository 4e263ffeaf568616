"""Block Kit within Slack's limits (validated by slack_sdk), text formatting, hostile input."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from answers import Answer, answer
from answers.blocks import MAX_BLOCKS, MAX_SECTION, answer_blocks
from answers.format import bullet_list, human_date, money_text, relative_days
from billing.money import Money
from questions import parse
from questions.query import Intent, Query
from storage.db import Database
from tests.answers.conftest import shared_questions


def validate(blocks: list[dict[str, Any]]) -> None:
    assert 0 < len(blocks) <= MAX_BLOCKS
    for data in blocks:
        block = Block.parse(data)
        assert block is not None
        block.validate_json()
        text = data.get("text", {}).get("text", "")
        assert len(text) <= MAX_SECTION
        assert len(data.get("fields", [])) <= 10


def test_every_shared_answer_has_valid_blocks_with_links(
    world_db: Database, world_ws: str, world_now: datetime, world_index: Any
) -> None:
    with world_db.session() as session:
        for spec in shared_questions():
            query = parse(spec["q"], world_index, world_now, "UTC")
            result = answer(session, world_ws, query, world_now)
            validate(result.blocks)
            rows = result.result.get("rows") or []
            if rows and isinstance(rows[0], dict) and "account" in rows[0]:
                flat = "".join(b.get("text", {}).get("text", "") for b in result.blocks)
                assert "https://dashboard.stripe.com/test/customers/cus_" in flat, spec["q"]


def test_long_lists_stay_within_limits() -> None:
    rows = [
        {"account": {"id": f"a{i}", "name": f"Account {i}", "domain": None}} for i in range(500)
    ]
    lines = [f"Account {i} — {'x' * 200}" for i in range(500)]
    text = "Many:\n" + "\n".join(f"• {line}" for line in lines)
    big = Answer(Query.of(Intent.OVERDUE_ACCOUNTS, date(2027, 2, 15)), {"rows": rows}, text)
    big.links = {f"a{i}": f"https://dashboard.stripe.com/customers/cus_{i}" for i in range(500)}
    blocks = answer_blocks(big)
    validate(blocks)


def test_names_with_markup_are_escaped() -> None:
    rows = [{"account": {"id": "a1", "name": "Bramble & Birch <b>", "domain": None}}]
    ans = Answer(
        Query.of(Intent.TRIALS, date(2027, 2, 15)),
        {"rows": rows},
        "1 trial:\n• Bramble & Birch <b> — ends soon",
    )
    ans.links = {"a1": "https://dashboard.stripe.com/customers/cus_1"}
    blocks = answer_blocks(ans)
    validate(blocks)
    assert (
        "<https://dashboard.stripe.com/customers/cus_1|Bramble &amp; Birch &lt;b&gt;>"
        in (blocks[1]["text"]["text"])
    )


def test_text_formatting_helpers() -> None:
    today = date(2027, 2, 15)
    assert human_date(date(2027, 11, 3), today) == "Nov 3"
    assert human_date(date(2026, 11, 3), today) == "Nov 3, 2026"
    assert relative_days(date(2027, 2, 20), today) == "in 5 days"
    assert relative_days(date(2027, 2, 16), today) == "tomorrow"
    assert relative_days(date(2027, 2, 10), today) == "5 days ago"
    assert money_text([Money(140000, "USD"), Money(85000, "EUR"), Money(0, "GBP")]) == (
        "$1,400.00 + €850.00"
    )
    assert bullet_list([str(i) for i in range(13)], limit=10).endswith("…and 3 more")


@pytest.mark.parametrize(
    "text",
    [
        "x" * 20000,
        "'; DROP TABLE accounts; -- overdue",
        "\x00\x01\x1b[31m who is overdue \u202e",
        "<!channel> <script>alert(1)</script> *bold* `code` ```block```",
        "SELECT * FROM stripe_invoices WHERE 1=1",
        "",
    ],
)
def test_hostile_questions_are_answered_safely(
    world_db: Database, world_ws: str, world_now: datetime, world_index: Any, text: str
) -> None:
    with world_db.session() as session:
        query = parse(text, world_index, world_now, "UTC")
        result = answer(session, world_ws, query, world_now)
    assert isinstance(result.text, str) and len(result.text) < 5000
    validate(result.blocks)
    with world_db.session() as session:
        still = answer(session, world_ws, Query.of(Intent.MRR_TOTAL, world_now.date()), world_now)
    assert still.result["mrr"]
