"""questions/reading.py: when the rules are unsure, what a reader is shown, how its reply
becomes a typed query (pure: no server, no database)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from questions import AccountRef, Intent, Query, index_for, parse
from questions.reading import (
    MAX_NAMES,
    Reading,
    ReadingRejected,
    names_for,
    period_label,
    query_from_reply,
    reading_of,
    reading_request,
    reading_schema,
    rules_unsure,
)
from questions.schema import dump
from tests.questions.invented_world import AS_OF, invented_index


def reply(**parts: Any) -> str:
    data = dump(Reading, reading_of(Query.of(Intent.MRR_TOTAL, AS_OF)))
    data.update(parts)
    return json.dumps(data)


@pytest.mark.parametrize(
    ("text", "unsure"),
    [
        ("who is overdue?", False),
        ("help", False),
        ("translate 'overdue' into German", False),  # refused on purpose: no second reader
        ("what's our NRR", False),  # a metric revbot does not compute: no other figure
        ("gimme the skinny on who's stiffing us", True),
        ("is Qwertyzzz Holdings paying?", True),  # an account that matches none
    ],
)
def test_the_rules_are_unsure_of_unknown_questions_and_unmatched_accounts(
    text: str, unsure: bool
) -> None:
    assert rules_unsure(parse(text, invented_index(), AS_OF)) is unsure


def test_every_reading_round_trips_through_a_reply() -> None:
    index = invented_index()
    for text in [
        "Zorblax invoices over $1,500 last month vs this month",
        "MRR now vs three months ago",
        "top 5 accounts by MRR",
        "renewals in the next 14 days",
    ]:
        query = parse(text, index, AS_OF)
        back = query_from_reply(json.dumps(dump(Reading, reading_of(query))), index, text, AS_OF)
        assert back.intent is query.intent, text
        parts = (back.account, back.limit, back.filters, back.ascending)
        assert parts == (query.account, query.limit, query.filters, query.ascending), text
        assert back.time_kind == query.time_kind
        if query.period:
            assert back.period and (back.period.start, back.period.end) == (
                query.period.start,
                query.period.end,
            )


def test_the_schema_is_closed_and_names_every_key() -> None:
    schema = reading_schema()
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == set(schema["properties"])
    assert "default" not in json.dumps(schema)


def test_a_reply_has_no_say_in_what_people_read() -> None:
    """Labels are made from the dates; the account is the workspace's own record."""
    index = invented_index()
    account = index.accounts[0]
    query = query_from_reply(
        reply(
            measure="payment_status",
            subject="account",
            accounts=[account.name.upper()],
            period={"start": "2026-10-01", "end": "2026-12-31"},
        ),
        index,
        "q",
        AS_OF,
    )
    assert query.account == account and query.period is not None
    assert query.period.label == "Q4 2026"


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        (date(2026, 3, 1), date(2026, 3, 31), "March 2026"),
        (date(2026, 1, 1), date(2026, 12, 31), "2026"),
        (date(2026, 4, 1), date(2026, 6, 30), "Q2 2026"),
        (date(2026, 6, 21), date(2026, 9, 22), "Jun 21, 2026 – Sep 22, 2026"),
    ],
)
def test_period_labels_come_from_the_dates(start: date, end: date, label: str) -> None:
    assert period_label(start, end) == label


def test_a_comparison_is_put_in_order_and_a_follow_up_keeps_the_account() -> None:
    index = invented_index()
    previous = parse("how is Zorblax doing", index, AS_OF)
    assert previous.account is not None
    query = query_from_reply(
        reply(
            subject="account",
            versus={
                "after": {"start": "2027-02-15", "end": "2027-02-15", "point": True},
                "before": {"start": "2026-11-30", "end": "2026-11-30", "point": True},
            },
        ),
        index,
        "and vs november?",
        AS_OF,
        previous,
    )
    assert query.account == previous.account
    assert query.versus is not None
    assert (query.versus.before.end, query.versus.after.end) == (date(2026, 11, 30), AS_OF)


def test_a_large_workspace_shows_the_names_nearest_the_question() -> None:
    refs = [AccountRef(f"a{i}", f"Company {i:05d} Ltd") for i in range(2_000)]
    index = index_for((*refs, AccountRef("z", "Zephyr Aviation")))
    names = names_for(index, "how is zephyr aviation doing?")
    assert len(names) == MAX_NAMES and "Zephyr Aviation" in names
    small = invented_index()
    assert names_for(small, "anything") == tuple(sorted({r.name for r in small.accounts}))


def test_the_request_holds_only_the_question_its_date_the_previous_query_and_names() -> None:
    previous = parse("failed payments this month", invented_index(), AS_OF)
    request = reading_request("<@U1> who's  stiffing us\x07?", AS_OF, previous, ("Acme",))
    assert set(request) == {"question", "today", "previous", "accounts"}
    assert "\x07" not in request["question"] and "<@U1>" not in request["question"]
    assert request["previous"]["measure"] == "failed_payments"
    withheld = reading_request("who?", AS_OF, previous, None)
    assert "accounts" not in withheld


@pytest.mark.parametrize(
    "content",
    [
        reply(accounts=["Nobody Inc"], subject="account"),
        reply(granularity="hourly"),
        reply(at="2027-02-30"),
        reply(limit=0),
        reply(filters={**json.loads(reply())["filters"], "movement": "exfiltrate"}),
        "null",
        "",
    ],
)
def test_bad_replies_are_rejected(content: str) -> None:
    with pytest.raises(ReadingRejected):
        query_from_reply(content, invented_index(), "q", AS_OF)
