"""The typed query survives a round trip through JSON, for every question of the held-out sets."""

from __future__ import annotations

import json

import pytest

from questions import follow_up, parse
from questions.codec import query_from_json, query_json_schema, query_to_json, stored_query
from questions.query import Query
from tests.questions.test_heldout import SETS


def _queries() -> list[Query]:
    found = []
    for held in SETS:
        found += [parse(case[0], held.index, held.as_of) for case in held.cases]
        for first, reply, *_ in held.follow_ups:
            previous = parse(first, held.index, held.as_of)
            found.append(follow_up(previous, reply, held.index, held.as_of))
    return found


QUERIES = _queries()


def test_every_understood_question_round_trips_through_json_text() -> None:
    assert len(QUERIES) > 900
    for query in QUERIES:
        text = json.dumps(query_to_json(query))  # plain JSON: no dates or decimals left
        assert query_from_json(json.loads(text)) == query, query.text


def test_the_round_trip_covers_accounts_periods_points_and_filters() -> None:
    def covered(attribute: str) -> bool:
        return any(getattr(q, attribute) for q in QUERIES)

    assert all(covered(a) for a in ("account", "account_candidates", "period", "at", "limit"))
    assert any(not q.filters.is_empty() for q in QUERIES)


@pytest.mark.parametrize(
    "data", [None, {}, {"intent": "no_such_intent"}, {"intent": "mrr_total", "as_of": "soon"}, []]
)
def test_a_stored_value_that_no_longer_fits_reads_as_no_context(data: object) -> None:
    assert stored_query(data) is None


def test_the_schema_describes_exactly_what_a_query_serialises_to() -> None:
    schema = query_json_schema()
    keys = {key for query in QUERIES for key in query_to_json(query)}
    assert keys == set(schema["properties"])
    assert set(schema["required"]) <= keys
