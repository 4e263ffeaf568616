"""Thread follow-ups live in the database: real ``revbot serve`` processes, signed Slack requests.

A conversation is started on one process and continued after that process
restarts, or on a second replica sharing the PostgreSQL database (SPEC §12).
Each posted answer (recorded by the local Slack server) must equal what one
uninterrupted conversation answers: the rules' follow-up of the earlier
question, answered by the engine in-process — and must differ from the answer
the reply gets without context, so the context really was used.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from answers import answer
from answers.index import account_index
from bot.blocks.common import clip
from bot.listeners.answering import MAX_FALLBACK
from questions import Intent, Query, follow_up, parse
from questions.reading import Reading, query_from_reply, reading_of
from questions.schema import dump
from storage.db import Database
from tests.bot.slack.conftest import BOT_TOKEN, FERNET_KEY, MEMBER, NOW, TEAM
from tests.bot.slack.harness import SIGNING_SECRET, SlackHarness
from tests.bot.slack.serve_process import ServeProcess
from tests.bot.slack.world import sync_world
from tests.conftest import PG_URL
from tests.llm_server import LLMServer, Scripted
from tests.slack_server import SlackServer


@pytest.fixture
def world_db(slack_db: Database, stripe_server: Any) -> Database:
    sync_world(slack_db, TEAM, stripe_server)
    return slack_db


Spawn = Callable[..., ServeProcess]


@pytest.fixture
def spawn(
    slack: SlackServer, world_db: Database, database_url: str, tmp_path: Path
) -> Iterator[Spawn]:
    """Start another ``revbot serve`` on the test database (stopped when the test ends);
    keyword arguments are more environment variables."""
    env = {
        "REVBOT_DATABASE_URL": database_url,
        "REVBOT_DATA_DIR": str(tmp_path / "data"),
        "REVBOT_ENCRYPTION_KEY": FERNET_KEY,
        "REVBOT_SLACK_API_URL": slack.api_url,
        "REVBOT_STRIPE_API_BASE": "http://127.0.0.1:9",
        "REVBOT_NOW": NOW.isoformat(),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
    }
    started: list[ServeProcess] = []

    def start(**extra: str) -> ServeProcess:
        process = ServeProcess({**env, **extra}, tmp_path / f"replica{len(started)}")
        started.append(process)
        return process.start()

    yield start
    for process in started:
        process.stop()


class Conversation:
    """One DM thread; each message may go to a different process."""

    def __init__(self, slack: SlackServer, db: Database) -> None:
        self.slack, self.db = slack, db
        self.ids = itertools.count(1)
        self.thread: str | None = None
        self.previous: Query | None = None
        self.replies = 0

    def say(self, process: ServeProcess, text: str) -> str:
        """Send ``text`` to ``process``; the posted answer's text."""
        with process.client() as client:
            harness = SlackHarness(client, self.slack, _ids=self.ids)  # type: ignore[arg-type]
            ts = harness.dm(text, user=MEMBER, team=TEAM, thread_ts=self.thread)
        self.thread = self.thread or ts
        self.replies += 1
        posted = self.slack.wait_for(
            "chat.postMessage",
            lambda c: c.params.get("thread_ts") == self.thread,
            count=self.replies,
            timeout=20,
        )
        return str(posted[self.replies - 1].params["text"])

    def expected(self, text: str) -> tuple[str, str]:
        """The uninterrupted conversation's answer to ``text``, and its answer without context."""
        with self.db.session() as session:
            index = account_index(session, TEAM)
            alone = parse(text, index, NOW.date())
            query = follow_up(self.previous, text, index, NOW.date()) if self.previous else alone
            produced = answer(session, TEAM, query, NOW)
            without = answer(session, TEAM, alone, NOW)
        self.previous = produced.query
        return clip(produced.text, MAX_FALLBACK), clip(without.text, MAX_FALLBACK)


def _check(conversation: Conversation, process: ServeProcess, text: str, context: bool) -> str:
    posted = conversation.say(process, text)
    expected, without_context = conversation.expected(text)
    assert posted == expected, process.log()[-3000:]
    if context:
        assert posted != without_context
    return posted


def test_a_follow_up_is_understood_after_a_restart(
    spawn: Spawn, slack: SlackServer, world_db: Database
) -> None:
    conversation = Conversation(slack, world_db)
    first = spawn()
    _check(conversation, first, "failed payments this month", context=False)
    first.stop()

    restarted = spawn()
    posted = _check(conversation, restarted, "and last month?", context=True)
    assert "Failed payments" in posted or "failed" in posted.lower()
    posted = _check(conversation, restarted, "what about Zephyr Aviation?", context=True)
    assert "Zephyr Aviation" in posted


@pytest.mark.skipif(
    not PG_URL,
    reason="two replicas share one PostgreSQL database (SPEC §12); "
    "set REVBOT_TEST_DATABASE_URL to run this part (the restart part runs on SQLite too)",
)
def test_a_follow_up_is_answered_by_another_replica(
    spawn: Spawn, slack: SlackServer, world_db: Database
) -> None:
    conversation = Conversation(slack, world_db)
    one = spawn()
    two = spawn()
    _check(conversation, one, "which accounts are overdue?", context=False)
    posted = _check(conversation, two, "what about Sterling Wealth?", context=True)
    assert "Sterling Wealth" in posted
    _check(conversation, one, "and their invoices?", context=True)
    _check(conversation, two, "and last month?", context=True)


LLM_KEY = "llm-replica-key-5c1e9b7d2a40f863"


@pytest.fixture
def llm() -> Iterator[LLMServer]:
    with LLMServer(LLM_KEY, "replica-model") as server:
        yield server


@pytest.mark.skipif(
    not PG_URL,
    reason="two replicas share one PostgreSQL database (SPEC §12); "
    "set REVBOT_TEST_DATABASE_URL to run it",
)
def test_the_llm_readers_question_is_followed_up_on_another_replica(
    spawn: Spawn, slack: SlackServer, world_db: Database, llm: LLMServer
) -> None:
    """Slack gets the LLM reader too: a question the rules miss is answered through it by
    one replica (figures by the rules), and the other replica continues from its reading."""
    env = {
        "REVBOT_LLM_BASE_URL": llm.base_url,
        "REVBOT_LLM_MODEL": "replica-model",
        "REVBOT_LLM_API_KEY": LLM_KEY,
        "REVBOT_LLM_TIMEOUT_SECONDS": "20",  # the machine running the suite may be busy
    }
    one, two = spawn(**env), spawn(**env)
    question = "gimme the skinny on who's stiffing us"
    reply = {
        **dump(Reading, reading_of(Query.of(Intent.MRR_TOTAL, NOW.date()))),
        "measure": "overdue",
        "shape": "list",
    }
    llm.script(Scripted.json(reply))
    conversation = Conversation(slack, world_db)
    posted = conversation.say(one, question)
    with world_db.session() as session:
        index = account_index(session, TEAM)
        rules = answer(session, TEAM, parse(question, index, NOW.date()), NOW)
        plain = answer(session, TEAM, parse("which accounts are overdue?", index, NOW), NOW)
        read = query_from_reply(json.dumps(reply), index, question, NOW.date())
    assert rules.intent == "unknown" and plain.intent == "overdue_accounts"
    assert posted == clip(plain.text, MAX_FALLBACK), one.log()[-3000:]
    assert len(llm.requests) == 1 and llm.requests[0].user_message()["question"] == question

    conversation.previous = read
    _check(conversation, two, "and more than 40 days?", context=True)
    assert len(llm.requests) == 1  # the rules read the follow-up
    for process in (one, two):
        assert LLM_KEY not in process.log()
