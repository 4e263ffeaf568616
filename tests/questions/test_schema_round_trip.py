"""The typed query survives a round trip through JSON for every question of the held-out sets
(what a thread's stored context relies on)."""

from __future__ import annotations

import json

from questions.query import Query
from questions.schema import dump_query, load_query
from tests.questions.heldout import held_out_sets, understood


def _queries() -> list[Query]:
    return [understood(held, line) for held in held_out_sets() for line in held.lines]


QUERIES = _queries()


def test_every_understood_question_round_trips_through_json_text() -> None:
    assert len(QUERIES) > 900
    for query in QUERIES:
        text = json.dumps(dump_query(query))  # plain JSON: no dates or decimals left
        assert load_query(json.loads(text)) == query, query.text


def test_the_round_trip_covers_accounts_periods_points_and_filters() -> None:
    def covered(attribute: str) -> bool:
        return any(getattr(q, attribute) for q in QUERIES)

    assert all(
        covered(a) for a in ("account", "account_candidates", "period", "at", "versus", "limit")
    )
    assert any(not q.filters.is_empty() for q in QUERIES)
