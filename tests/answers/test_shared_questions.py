"""Every shared question (questions.jsonl) answered over the sample world meets its facts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from answers import answer
from answers.output import ask_json
from questions import parse
from storage.db import Database
from tests.answers.checker import check
from tests.answers.conftest import shared_questions
from tests.support.world import truth


def test_every_shared_question_is_answered_correctly(
    world_db: Database, world_ws: str, world_now: datetime, world_index: Any
) -> None:
    failures: dict[str, list[str]] = {}
    with world_db.session() as session:
        for spec in shared_questions():
            query = parse(spec["q"], world_index, world_now, "UTC")
            result = answer(session, world_ws, query, world_now)
            problems = check(ask_json(spec["q"], result, world_now), spec)
            if problems:
                failures[f"{spec['id']} {spec['q']}"] = problems
    assert failures == {}


def test_last_n_months_trends_end_with_the_current_month(
    world_db: Database, world_ws: str, world_now: datetime, world_index: Any
) -> None:
    current = world_now.strftime("%Y-%m")
    asked = {
        "what's our MRR trend over the last 6 months?": 6,
        "MRR over the last 12 months": 12,
        "Firefly Studios mrr over the last 3 months": 3,
    }
    with world_db.session() as session:
        for question, points in asked.items():
            query = parse(question, world_index, world_now, "UTC")
            months = [
                r["month"] for r in answer(session, world_ws, query, world_now).result["rows"]
            ]
            assert len(months) == points and months[-1] == current, question


def test_naming_two_accounts_asks_which_one(
    world_db: Database, world_ws: str, world_now: datetime, world_index: Any
) -> None:
    query = parse("summarize Firefly Studios and Vertex Cloud", world_index, world_now, "UTC")
    with world_db.session() as session:
        result = answer(session, world_ws, query, world_now)
    assert result.text == "Which one: Firefly Studios or Vertex Cloud?"


def test_paying_customer_count_matches_the_truth(
    world_db: Database, world_ws: str, world_now: datetime, world_index: Any
) -> None:
    paying = sum(1 for figures in truth()["accounts"].values() if figures["mrr"])
    query = parse("how many paying customers do we have?", world_index, world_now, "UTC")
    assert query.intent.value == "mrr_total"
    with world_db.session() as session:
        result = answer(session, world_ws, query, world_now)
    assert result.result["count"] == result.result["paying_accounts"] == paying
