"""The typed query: SPEC §8 entities JSON, intent names, hostile input, unknown suggestions."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime

import pytest

from questions import Intent, parse
from tests.questions.invented_world import AS_OF, invented_index

INDEX = invented_index()

SPEC_INTENTS = {
    "overdue_accounts", "failed_payments", "arr_at_risk", "account_summary", "account_mrr_trend",
    "mrr_total", "mrr_trend", "mrr_movements", "churn_rate", "top_accounts", "lifetime_revenue",
    "account_invoices", "payment_status", "cancellations", "scheduled_cancellations",
    "downgrades", "upsell_candidates", "renewals", "trials", "new_customers", "help", "unknown",
}  # fmt: skip


def test_intent_names_are_the_contract() -> None:
    assert {i.value for i in Intent} == SPEC_INTENTS


def test_entities_json_shape() -> None:
    query = parse("Zorblax invoices over $1,500.50 in the last 30 days", INDEX, AS_OF)
    entities = query.to_json()
    assert {"account", "period", "limit", "filters"} <= set(entities)
    assert (entities["measure"], entities["subject"], entities["shape"]) == (
        "invoices",
        "account",
        "list",
    )
    assert entities["time"] == {"kind": "period"}
    assert entities["account"] == {
        "id": "inv-01",
        "name": "Zorblax Robotics",
        "domain": "zorblax.io",
    }
    assert entities["period"] == {"start": "2027-01-16", "end": "2027-02-15"}
    assert entities["filters"]["min_amount"] == {"amount": "1500.50", "currency": "USD"}
    assert entities["filters"]["min_amount_minor"] == 150050
    json.dumps(entities)  # serialisable as is


def test_empty_entities() -> None:
    assert parse("upsell candidates", INDEX, AS_OF).to_json() == {
        "account": None,
        "period": None,
        "limit": None,
        "filters": {},
        "measure": "upsell",
        "subject": "workspace",
        "shape": "list",
        "time": {"kind": "now"},
        "comparison": None,
        "unsupported": [],
    }


def test_as_of_datetime_uses_workspace_time_zone() -> None:
    late_evening_utc = datetime(2027, 2, 15, 23, 30, tzinfo=UTC)
    tokyo = parse("failed payments today", INDEX, late_evening_utc, tz="Asia/Tokyo")
    assert tokyo.as_of == date(2027, 2, 16)
    assert tokyo.period is not None and tokyo.period.start == date(2027, 2, 16)


def test_unknown_has_suggestions() -> None:
    query = parse("tell me a joke", INDEX, AS_OF)
    assert query.intent is Intent.UNKNOWN
    assert query.suggestions


@pytest.mark.parametrize(
    "hostile",
    [
        "overdue " * 2000,
        "A" * 10_000,
        "'; DROP TABLE invoices; -- who is overdue",
        "\x00\x1b[31m overdue \x7f",
        "<" * 5000 + "@U1>" * 100,
        ":" * 10_000,
        "🙂" * 5000,
        "Northwind " * 1500,
        "SELECT * FROM accounts WHERE 1=1",
        "{{7*7}} ${jndi:ldap://x} %s%s%n",
    ],
)
def test_hostile_input_is_safe_and_fast(hostile: str) -> None:
    start = time.perf_counter()
    query = parse(hostile, INDEX, AS_OF)
    assert (time.perf_counter() - start) < 0.5
    assert isinstance(query.intent, Intent)
    assert len(query.text) <= 1000
    json.dumps(query.to_json())


def test_sql_looking_text_keeps_its_real_question() -> None:
    assert parse("'; DROP TABLE invoices; -- who is overdue", INDEX, AS_OF).intent is (
        Intent.OVERDUE_ACCOUNTS
    )
    assert parse("SELECT * FROM accounts WHERE 1=1", INDEX, AS_OF).account is None
