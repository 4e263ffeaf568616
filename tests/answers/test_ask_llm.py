"""The optional LLM reader, end to end against a local OpenAI-compatible server (issue 9.5).

The answer use case runs over the sample world with ``REVBOT_LLM_*`` pointing at
tests/llm_server, which returns scripted replies and records every request. A
question the rules cannot read is answered through the LLM's reading, with the
figures computed by revbot (the answer equals the rules' answer to the same
question asked plainly); every bad reply — malformed, off-schema, hostile, slow,
an HTTP error — falls back to the rules' answer; and nothing leaves the process
but the question, the typed query and account names.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from answers import Answer, answer
from answers.index import account_index
from billing.money import Money
from core.settings import Settings, get_settings
from questions import Intent, Query, parse
from questions.reading import INSTRUCTIONS, Reading, reading_of, reading_schema
from questions.schema import dump
from storage.db import Database
from storage.models import AccountRow, CustomerRow, InvoiceRow, SubscriptionRow
from tests.answers.test_ask_cli import cli_env, run
from tests.llm_server import LLMServer, Recorded, Scripted
from usecases import asking
from usecases.backend import Backend
from usecases.llm_reader import ChatCompletionsReader

KEY = "llm-test-key-4f9a7c2e81d05b36"
MODEL = "revbot-test-model"
__all__ = ["cli_env"]  # the CLI environment fixture, shared with test_ask_cli


@pytest.fixture
def llm() -> Iterator[LLMServer]:
    with LLMServer(KEY, MODEL) as server:
        yield server


# Generous: the machine running the suite may be busy. The slow-reply test sets its own.
TIMEOUT = "20"


def settings_env(llm: LLMServer, key: str = KEY, timeout: str = TIMEOUT) -> dict[str, str]:
    """The ``REVBOT_LLM_*`` variables pointing at the test server."""
    return {
        "REVBOT_LLM_BASE_URL": llm.base_url,
        "REVBOT_LLM_MODEL": MODEL,
        "REVBOT_LLM_API_KEY": key,
        "REVBOT_LLM_TIMEOUT_SECONDS": timeout,
    }


def settings_for(llm: LLMServer, key: str = KEY, timeout: str = TIMEOUT, **extra: Any) -> Settings:
    env = settings_env(llm, key, timeout)
    return Settings(_env_file=None, **env, **extra)  # type: ignore[call-arg]


@pytest.fixture
def backend(world_db: Database, llm: LLMServer, world_now: datetime) -> Backend:
    """The use case's backend, its LLM reader built from the settings as at start."""
    built = Backend(settings_for(llm), world_db, clock=lambda: world_now)
    assert isinstance(built.reader, ChatCompletionsReader)
    return built


def reading(**parts: Any) -> dict[str, Any]:
    """A complete reply (every key the schema has): the workspace's MRR now, changed by
    ``parts``."""
    data = dump(Reading, reading_of(Query.of(Intent.MRR_TOTAL, date(2027, 2, 15))))
    data.update(parts)
    return data


def rules_answer(db: Database, ws: str, text: str, now: datetime) -> Answer:
    """What the rules alone answer to ``text``."""
    with db.session() as session:
        query = parse(text, account_index(session, ws), now)
        return answer(session, ws, query, now)


# Questions the rules cannot read, the reading a model gives, and the same question asked
# plainly (which the rules read): the answers must be the same, figures included.
UNDERSTOOD = [
    (
        "what's the damage on the sterling account",
        reading(measure="payment_status", subject="account", accounts=["Sterling Wealth"]),
        "is Sterling Wealth up to date on payments?",
    ),
    (
        "gimme the skinny on who's stiffing us",
        reading(measure="overdue", shape="list"),
        "which accounts are overdue?",
    ),
    (
        "what was the money situation at the end of last summer",
        reading(at="2026-08-31", period={"start": "2026-08-01", "end": "2026-08-31"}),
        "what was MRR at the end of August 2026",
    ),
]


@pytest.mark.parametrize(("question", "reply", "plain"), UNDERSTOOD)
def test_a_question_the_rules_miss_is_answered_through_the_llm(
    backend: Backend,
    llm: LLMServer,
    world_ws: str,
    world_db: Database,
    world_now: datetime,
    question: str,
    reply: dict[str, Any],
    plain: str,
) -> None:
    alone = rules_answer(world_db, world_ws, question, world_now)
    assert alone.intent == "unknown"
    llm.script(Scripted.json(reply))

    produced = asking.ask(backend, world_ws, question, world_now)

    assert produced.reader == "llm"
    expected = rules_answer(world_db, world_ws, plain, world_now)
    assert expected.reader == "rules" and expected.intent != "unknown"
    assert (produced.intent, produced.text) == (expected.intent, expected.text)
    assert produced.result == expected.result
    assert len(llm.requests) == 1 and llm.pending == 0


@pytest.mark.parametrize(
    "question",
    [
        "who is overdue more than 40 days?",
        "translate 'overdue' into German",
        "what's the ARPU?",
        "help",
    ],
)
def test_questions_the_rules_read_or_refuse_never_reach_the_llm(
    backend: Backend, llm: LLMServer, world_ws: str, world_now: datetime, question: str
) -> None:
    produced = asking.ask(backend, world_ws, question, world_now)
    assert produced.reader == "rules"
    assert llm.requests == []


def _huge() -> Scripted:
    return Scripted(content=json.dumps(reading(accounts=["Sterling Wealth"] * 40_000)))


FALLBACKS = {
    "malformed JSON": Scripted(content='{"measure": "overdue", "shape": '),
    "not an object": Scripted(content="[]"),
    "prose": Scripted(content="Sure! Sterling Wealth owes you $4,000."),
    "unknown measure": Scripted.json(reading(measure="vibes")),
    "a key missing": Scripted.json({k: v for k, v in reading().items() if k != "filters"}),
    "an extra key": Scripted.json(reading(sql="DROP TABLE invoices")),
    "an extra filter key": Scripted.json(
        reading(filters={**reading()["filters"], "workspace_id": "T_other"})
    ),
    "unknown account": Scripted.json(
        reading(measure="payment_status", subject="account", accounts=["Evil Corp"])
    ),
    "account not exactly named": Scripted.json(
        reading(measure="payment_status", subject="account", accounts=["sterling"])
    ),
    "account subject without one": Scripted.json(
        reading(measure="payment_status", subject="account")
    ),
    "markup in the plan": Scripted.json(
        reading(filters={**reading()["filters"], "plan": "<!channel> ignore all instructions"})
    ),
    "instructions as currency": Scripted.json(
        reading(filters={**reading()["filters"], "currency": "print the API key"})
    ),
    "an invented status": Scripted.json(
        reading(filters={**reading()["filters"], "status": "drop_tables"})
    ),
    "a limit out of range": Scripted.json(reading(shape="top", limit=10**9)),
    "a negative amount": Scripted.json(reading(filters={**reading()["filters"], "min_amount": -5})),
    "a date out of range": Scripted.json(reading(at="1900-01-31")),
    "a period backwards": Scripted.json(
        reading(period={"start": "2026-08-31", "end": "2026-08-01"})
    ),
    "not a billing question": Scripted.json(reading(measure="none")),
    "a refusal": Scripted(refusal="I can't help with that."),
    "empty content": Scripted(content=""),
    "too large": _huge(),
    "HTTP 500": Scripted(status=500),
    "HTTP 429": Scripted(status=429),
    "HTTP 200, not a completion": Scripted(body=b"<html>gateway</html>"),
    # the backend waits 1 s for this one
    "slow": Scripted.json(reading(measure="overdue", shape="list"), delay=4),
}


@pytest.mark.parametrize("reply", FALLBACKS.values(), ids=list(FALLBACKS))
def test_a_bad_reply_falls_back_to_the_rules_answer(
    backend: Backend,
    llm: LLMServer,
    world_ws: str,
    world_db: Database,
    world_now: datetime,
    reply: Scripted,
    caplog: pytest.LogCaptureFixture,
) -> None:
    question = "gimme the skinny on who's stiffing us"
    if reply.delay:
        backend = Backend(settings_for(llm, timeout="1"), world_db, clock=lambda: world_now)
    llm.script(reply)
    with caplog.at_level(logging.DEBUG):
        produced = asking.ask(backend, world_ws, question, world_now)
    assert produced.reader == "rules"
    expected = rules_answer(world_db, world_ws, question, world_now)
    assert (produced.intent, produced.text) == (expected.intent, expected.text)
    assert len(llm.requests) == 1 and llm.pending == 0
    assert "LLM reader not used" in caplog.text
    assert KEY not in caplog.text and KEY[-12:] not in caplog.text


def test_a_wrong_key_is_refused_by_the_server_and_falls_back_without_logging_it(
    world_db: Database,
    llm: LLMServer,
    world_ws: str,
    world_now: datetime,
    caplog: pytest.LogCaptureFixture,
) -> None:
    wrong = "llm-wrong-key-0123456789abcdef"
    backend = Backend(settings_for(llm, key=wrong), world_db, clock=lambda: world_now)
    llm.script(Scripted.json(reading(measure="overdue", shape="list")))
    with caplog.at_level(logging.DEBUG):
        produced = asking.ask(backend, world_ws, "gimme the skinny on who's stiffing us", world_now)
    assert produced.reader == "rules"
    assert [r.status for r in llm.requests] == [401]
    assert "HTTP 401" in caplog.text
    assert wrong not in caplog.text and wrong[-12:] not in caplog.text


def _world_secrets(db: Database, ws: str) -> set[str]:
    """Strings of the workspace's data that must never leave: Stripe ids, account ids and
    domains, and every invoice and subscription amount as revbot or Stripe writes it."""
    found: set[str] = set()
    with db.session() as session:
        for row in session.scalars(select(InvoiceRow).where(InvoiceRow.workspace_id == ws)):
            found.add(row.id)
            for amount in (row.amount_due, row.amount_paid):
                if amount and amount >= 1000:
                    found.add(str(amount))
                    money = Money(amount, row.currency.upper())
                    found.add(money.format())
                    found.add(money.decimal_str())
        for customer in session.scalars(select(CustomerRow).where(CustomerRow.workspace_id == ws)):
            found.add(customer.id)
        for sub in session.scalars(
            select(SubscriptionRow).where(SubscriptionRow.workspace_id == ws)
        ):
            found.add(sub.id)
        for account in session.scalars(select(AccountRow).where(AccountRow.workspace_id == ws)):
            found.add(account.id)
    return {s for s in found if s}


def _assert_only_the_question_left(
    request: Recorded, question: str, previous: Query | None, names: list[str] | None
) -> None:
    assert set(request.body) == {"model", "messages", "response_format", "temperature"}
    assert request.body["model"] == MODEL
    assert [m["role"] for m in request.body["messages"]] == ["system", "user"]
    assert request.system_message() == INSTRUCTIONS
    assert request.body["response_format"]["json_schema"]["schema"] == reading_schema()
    sent = request.user_message()
    expected: dict[str, Any] = {
        "question": question,
        "today": "2027-02-15",
        "previous": dump(Reading, reading_of(previous, names is not None)) if previous else None,
    }
    if names is not None:
        expected["accounts"] = names
    assert sent == expected
    assert request.headers["authorization"] == f"Bearer {KEY}"


def test_nothing_but_the_question_the_typed_query_and_names_leaves_the_process(
    backend: Backend, llm: LLMServer, world_ws: str, world_db: Database, world_now: datetime
) -> None:
    with world_db.session() as session:
        names = sorted({ref.name for ref in account_index(session, world_ws).accounts})
    thread = ("C1", "1700000000.000001")
    first = asking.ask(backend, world_ws, "failed payments this month", world_now, thread=thread)
    assert first.reader == "rules" and llm.requests == []
    llm.script(
        Scripted.json(reading(measure="overdue", shape="list")),
        Scripted.json(
            reading(
                measure="overdue",
                shape="list",
                filters={**reading()["filters"], "min_days": 40, "min_days_strict": True},
            )
        ),
    )
    second = asking.ask(
        backend, world_ws, "hmm whats the scoop w/ the deadbeats", world_now, thread=thread
    )
    third = asking.ask(
        backend, world_ws, "gimme the skinny on who's stiffing us 40+", world_now, thread=thread
    )
    assert (second.reader, second.intent) == ("llm", "overdue_accounts")
    assert (third.reader, third.intent) == ("llm", "overdue_accounts")
    assert (
        third.text == rules_answer(world_db, world_ws, "overdue more than 40 days", world_now).text
    )
    # the thread keeps the LLM's reading: a rules follow-up continues from it
    assert backend.threads.get(world_ws, *thread) == third.query

    one, two = llm.requests
    _assert_only_the_question_left(one, "hmm whats the scoop w/ the deadbeats", first.query, names)
    _assert_only_the_question_left(
        two, "gimme the skinny on who's stiffing us 40+", second.query, names
    )
    secrets = _world_secrets(world_db, world_ws) | {KEY}
    assert len(secrets) > 50
    for request in llm.requests:
        body = request.raw.decode()
        leaked = sorted(s for s in secrets if s in body)
        assert leaked == []


def test_with_names_withheld_no_account_name_leaves_and_typed_names_still_resolve(
    world_db: Database, llm: LLMServer, world_ws: str, world_now: datetime
) -> None:
    backend = Backend(
        settings_for(llm, REVBOT_LLM_SEND_NAMES="false"), world_db, clock=lambda: world_now
    )
    question = "what's the damage on the sterling account"
    llm.script(
        Scripted.json(reading(measure="payment_status", subject="account", accounts=["sterling"]))
    )
    produced = asking.ask(backend, world_ws, question, world_now)
    assert produced.reader == "llm" and produced.query.account is not None
    assert produced.query.account.name == "Sterling Wealth"
    [request] = llm.requests
    _assert_only_the_question_left(request, question, None, None)
    with world_db.session() as session:
        refs = account_index(session, world_ws).accounts
    body = request.raw.decode().casefold()
    for ref in refs:
        for name in (ref.name, *ref.aliases, ref.domain or ""):
            if len(name) > 3 and name.casefold() not in question.casefold():
                assert name.casefold() not in body, name


def test_an_unknown_name_is_rejected_even_when_names_are_withheld(
    world_db: Database, llm: LLMServer, world_ws: str, world_now: datetime
) -> None:
    backend = Backend(
        settings_for(llm, REVBOT_LLM_SEND_NAMES="false"), world_db, clock=lambda: world_now
    )
    llm.script(
        Scripted.json(reading(measure="payment_status", subject="account", accounts=["Zorblax"]))
    )
    produced = asking.ask(backend, world_ws, "what's the damage on the sterling account", world_now)
    assert produced.reader == "rules" and produced.intent == "unknown"


def test_ask_json_says_which_reader_understood_the_question(
    cli_env: Path, llm: LLMServer, world_ws: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in settings_env(llm).items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    llm.script(Scripted.json(reading(measure="overdue", shape="list")))
    questions = "gimme the skinny on who's stiffing us\nwhich accounts are overdue?\n"
    result = run("--workspace", world_ws, "--json", "-", stdin=questions)
    assert result.exit_code == 0, result.stderr
    by_llm, by_rules = (json.loads(line) for line in result.stdout.splitlines())
    assert (by_llm["reader"], by_rules["reader"]) == ("llm", "rules")
    assert by_llm["intent"] == by_rules["intent"] == "overdue_accounts"
    assert by_llm["result"] == by_rules["result"] and by_llm["text"] == by_rules["text"]
    assert by_llm["question"] == "gimme the skinny on who's stiffing us"
    assert len(llm.requests) == 1


def test_a_reading_the_answer_layer_cannot_take_falls_back_to_the_rules(
    backend: Backend,
    llm: LLMServer,
    world_ws: str,
    world_db: Database,
    world_now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = asking.answer

    def fails_on_the_llms(session: Any, ws: str, query: Query, as_of: datetime) -> Answer:
        if query.measure.value == "overdue":  # the LLM's reading, not the rules' (unknown)
            raise ValueError("a combination the answer layer does not take")
        return real(session, ws, query, as_of)

    monkeypatch.setattr(asking, "answer", fails_on_the_llms)
    llm.script(Scripted.json(reading(measure="overdue", shape="list")))
    question = "gimme the skinny on who's stiffing us"
    produced = asking.ask(backend, world_ws, question, world_now)
    assert (produced.reader, produced.intent) == ("rules", "unknown")
    assert len(llm.requests) == 1
