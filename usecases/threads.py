"""Follow-up context: the last understood query of each Slack thread, kept in the database.

Keyed by team + channel + thread root ts, so a follow-up ("what about last
month?") reuses the previous question's intent and entities, and two teams
can never see each other's context. Stored in the database (not in process
memory) so the follow-up works after a restart and on any replica; expiry runs
on the wall clock (a conversation's age is real time even when ``REVBOT_NOW``
fixes the billing "now").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError

from core.clock import wall_now
from questions.query import Query
from questions.schema import dump_query, load_query
from storage.db import Database
from storage.thread_context import forget_threads, load_thread_query, save_thread_query


class ThreadContexts:
    """``(team, channel, thread_ts) -> previous query``, shared by every process on ``db``."""

    def __init__(
        self,
        db: Database,
        ttl: timedelta = timedelta(days=7),
        clock: Callable[[], datetime] = wall_now,
    ) -> None:
        self._db = db
        self._ttl = ttl
        self._clock = clock

    def get(self, team: str, channel: str, thread_ts: str) -> Query | None:
        with self._db.session() as session:
            data = load_thread_query(session, team, channel, thread_ts, self._clock())
        return stored_query(data)

    def put(self, team: str, channel: str, thread_ts: str, query: Query) -> None:
        data = dump_query(query)
        with self._db.session() as session:
            save_thread_query(session, team, channel, thread_ts, data, self._clock(), self._ttl)

    def forget_team(self, team: str) -> None:
        """Drop a team's contexts (uninstall)."""
        with self._db.session() as session:
            forget_threads(session, team)


def stored_query(data: Any) -> Query | None:
    """A stored query, or None when there is none or it no longer fits the query type
    (written by an older version: the thread then starts afresh)."""
    if data is None:
        return None
    try:
        return load_query(data)
    except ValidationError:
        return None
