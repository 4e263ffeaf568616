"""Follow-up context: the last understood query of each Slack thread.

Keyed by team + channel + thread root ts, so a follow-up ("what about last
month?") reuses the previous question's intent and entities, and two teams
can never see each other's context. Kept in memory, bounded (LRU) and
expiring: a thread's context is conversational, not data worth migrating.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

ThreadKey = tuple[str, str, str]


class ThreadMemory:
    """A small thread-safe LRU of ``(team, channel, thread_ts) -> previous query``."""

    def __init__(self, capacity: int = 10_000, ttl_seconds: float = 7 * 86400) -> None:
        self._items: OrderedDict[ThreadKey, tuple[float, Any]] = OrderedDict()
        self._capacity = capacity
        self._ttl = ttl_seconds
        self._lock = threading.Lock()

    def get(self, team: str, channel: str, thread_ts: str) -> Any | None:
        key = (team, channel, thread_ts)
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            stored_at, query = found
            if time.monotonic() - stored_at > self._ttl:
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return query

    def put(self, team: str, channel: str, thread_ts: str, query: Any) -> None:
        key = (team, channel, thread_ts)
        with self._lock:
            self._items[key] = (time.monotonic(), query)
            self._items.move_to_end(key)
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)

    def forget_team(self, team: str) -> None:
        """Drop a team's contexts (uninstall)."""
        with self._lock:
            for key in [k for k in self._items if k[0] == team]:
                del self._items[key]

    def __len__(self) -> int:
        return len(self._items)
