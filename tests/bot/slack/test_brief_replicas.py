"""Two ``revbot serve`` replicas on one database; the one posting the Monday Brief is killed
with SIGKILL while its post is in flight (Slack has the message, the replica never hears
back): exactly one brief in the channel, then and after a restart (issue 10)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from storage.db import Database
from storage.models import BriefDelivery
from storage.workspaces import ensure_workspace
from tests.bot.slack.conftest import NOW, TEAM
from tests.bot.slack.serve_process import ServeProcess, http_env
from tests.slack_server import SlackServer

CHANNEL = "C0BRIEF"


def _wait(what: str, check: Callable[[], bool], timeout: float, *logs: ServeProcess) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            shown = "\n\n".join(p.log() for p in logs)
            raise AssertionError(f"{what} did not happen within {timeout} s:\n{shown}")
        time.sleep(0.1)


def _row(db: Database) -> BriefDelivery | None:
    with db.session() as session:
        row = session.scalars(select(BriefDelivery)).one_or_none()
        if row is not None:
            session.expunge(row)
        return row


def test_a_replica_killed_while_posting_the_brief_leaves_exactly_one(
    db: Database, database_url: str, slack: SlackServer, tmp_path: Path
) -> None:
    with db.session() as session:
        workspace = ensure_workspace(session, TEAM, NOW)
        workspace.brief_channel, workspace.timezone = CHANNEL, "UTC"  # Monday 09:00 UTC
    slack.state.members.add(CHANNEL)  # invited: the bot can read the channel's history
    # Slack takes the post, and its answer is held back far longer than the test runs.
    slack.state.delays["chat.postMessage"] = 120.0

    def replica(name: str) -> ServeProcess:
        env = http_env(
            slack,
            tmp_path / f"data-{name}",
            REVBOT_DATABASE_URL=database_url,
            # Each process's clock starts a little before nine on the brief's Monday and runs.
            REVBOT_NOW="2027-02-15T08:59:55Z+running",
            REVBOT_BRIEF_CHECK_SECONDS="0.3",
            REVBOT_BRIEF_CLAIM_SECONDS="5",
        )
        return ServeProcess(env, tmp_path / name)

    replicas = {"a": replica("a"), "b": replica("b")}
    restarted: ServeProcess | None = None
    try:
        for process in replicas.values():
            process.launch()
        for process in replicas.values():
            process.wait_ready()
        _wait("a replica's post", lambda: bool(slack.history(CHANNEL)), 90, *replicas.values())
        row = _row(db)
        assert row is not None and row.status == "claimed" and row.claimed_by
        holder = row.claimed_by
        pid = int(holder.split(":")[1])
        [name] = [n for n, p in replicas.items() if p.process and p.process.pid == pid]
        posting, other = replicas[name], replicas["b" if name == "a" else "a"]
        assert f"claimed by replica {holder}" in posting.log()
        assert posting.process is not None
        posting.process.kill()  # SIGKILL while the post is in flight
        posting.process.wait(timeout=10)
        posting.process = None
        slack.state.delays.clear()  # a second post would now go through at once

        def settled() -> bool:
            found = _row(db)
            return found is not None and found.status != "claimed"

        _wait("the takeover", settled, 90, other)
        row = _row(db)
        assert row is not None
        assert (row.status, row.message_ts) == ("sent", slack.history(CHANNEL)[0]["ts"])
        assert row.claimed_by != holder
        log = other.log()
        assert f"took over the claim abandoned by replica {holder}" in log
        assert "recorded as sent by replica" in log

        # The killed replica comes back: several checks later, still one brief.
        restarted = replica(f"{name}2").start()
        time.sleep(2.0)  # about six brief checks of the restarted replica
        after = _row(db)
        assert after is not None
        assert (after.status, after.message_ts, after.claimed_by) == (
            "sent",
            row.message_ts,
            row.claimed_by,
        )
    finally:
        for process in (*replicas.values(), restarted):
            if process is not None:
                process.stop()
    messages = slack.history(CHANNEL)
    assert len(messages) == 1
    assert messages[0]["metadata"] == {
        "event_type": "revbot_brief",
        "event_payload": {"workspace_id": TEAM, "week": "2027-W07"},
    }
    assert len(slack.calls_to("chat.postMessage")) == 1
    assert [c.params.get("include_all_metadata") for c in slack.calls_to("conversations.history")]
