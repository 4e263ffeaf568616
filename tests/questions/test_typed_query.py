"""The typed query composes: every intent is a measure × subject × shape and back, and the
whole query survives a JSON round trip checked against its schema."""

from __future__ import annotations

import itertools
import json
from datetime import date

import pytest
from pydantic import ValidationError

from questions import parse
from questions.query import Intent, Measure, Query, Shape, Subject, intent_of, typed_for
from questions.schema import dump_query, load_query, query_schema
from tests.questions.invented_world import AS_OF, invented_index

INDEX = invented_index()


@pytest.mark.parametrize("intent", list(Intent))
@pytest.mark.parametrize("one_account", [False, True])
def test_every_intent_is_a_typed_query_and_back(intent: Intent, one_account: bool) -> None:
    measure, subject, shape = typed_for(intent, one_account)
    assert intent_of(measure, subject, shape) is intent


def test_every_combination_derives_a_contract_intent() -> None:
    for measure, subject, shape in itertools.product(Measure, Subject, Shape):
        assert isinstance(intent_of(measure, subject, shape), Intent)


def test_one_measure_reads_per_subject_and_shape() -> None:
    assert intent_of(Measure.MRR, Subject.WORKSPACE, Shape.TOTAL) is Intent.MRR_TOTAL
    assert intent_of(Measure.MRR, Subject.WORKSPACE, Shape.TREND) is Intent.MRR_TREND
    assert intent_of(Measure.MRR, Subject.WORKSPACE, Shape.TOP) is Intent.TOP_ACCOUNTS
    assert intent_of(Measure.MRR, Subject.ACCOUNT, Shape.TOTAL) is Intent.ACCOUNT_SUMMARY
    assert intent_of(Measure.MRR, Subject.ACCOUNT, Shape.TREND) is Intent.ACCOUNT_MRR_TREND
    assert intent_of(Measure.OVERDUE, Subject.WORKSPACE, Shape.LIST) is Intent.OVERDUE_ACCOUNTS
    assert intent_of(Measure.OVERDUE, Subject.ACCOUNT, Shape.TOTAL) is Intent.PAYMENT_STATUS
    assert intent_of(Measure.REVENUE, Subject.WORKSPACE, Shape.TOP) is Intent.LIFETIME_REVENUE
    assert intent_of(Measure.NONE, Subject.ACCOUNT, Shape.TOTAL) is Intent.UNKNOWN


QUESTIONS = [
    "MRR now vs three months ago?",
    "Zorblax: end-of-September MRR vs today's?",
    "which clients owe us more than three grand?",
    "upcoming renewals 14d",
    "top five accounts by lifetime revenue",
    "what did MRR do over the summer?",
    "translate 'overdue' into German",
    "Northwind invoices over $1,500.50 in the last 30 days",
    "summarize Tidewater",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_parsed_queries_round_trip_through_json(question: str) -> None:
    query = parse(question, INDEX, AS_OF)
    data = json.loads(json.dumps(dump_query(query)))
    assert load_query(data) == query
    assert load_query(data).intent is query.intent


def test_the_schema_names_every_part_and_rejects_what_is_not_one() -> None:
    schema = query_schema()
    assert {"measure", "subject", "shape", "period", "at", "versus", "filters", "limit"} <= set(
        schema["properties"]
    )
    assert set(schema["$defs"]["Measure"]["enum"]) == {m.value for m in Measure}
    with pytest.raises(ValidationError):
        load_query({"measure": "vibes", "as_of": "2027-02-15"})
    with pytest.raises(ValidationError):
        load_query({"measure": "mrr", "as_of": "not a date"})


def test_a_query_made_from_an_intent_keeps_it() -> None:
    for intent in Intent:
        assert Query.of(intent, date(2027, 2, 15)).intent is intent
