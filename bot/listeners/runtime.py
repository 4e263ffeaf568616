"""What every listener needs, reachable from Bolt's context as ``context["revbot"]``."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from usecases.backend import Backend


@dataclass
class HomeViewers:
    """Users who opened the App Home, per team, so a finished sync can refresh it."""

    _by_team: dict[str, set[str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, team: str, user: str) -> None:
        with self._lock:
            self._by_team.setdefault(team, set()).add(user)

    def of(self, team: str) -> list[str]:
        with self._lock:
            return sorted(self._by_team.get(team, ()))

    def forget_team(self, team: str) -> None:
        with self._lock:
            self._by_team.pop(team, None)


@dataclass
class Runtime:
    backend: Backend
    home_viewers: HomeViewers = field(default_factory=HomeViewers)
    # Called with a team id when its tokens must go (uninstall); None in single-team mode.
    remove_tokens: Callable[[str], None] | None = None


def runtime_of(context: Any) -> Runtime:
    runtime = context.get("revbot")
    if not isinstance(runtime, Runtime):
        raise RuntimeError("revbot runtime missing from the Bolt context")
    return runtime
