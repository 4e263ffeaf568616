"""One ``/revbot`` invocation as the subcommand modules see it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from bot.listeners.runtime import Runtime
from usecases.backend import Backend


@dataclass
class CommandRequest:
    runtime: Runtime
    client: WebClient
    respond: Callable[..., Any]
    team: str
    user: str
    channel: str
    args: str
    trigger_id: str
    body: dict[str, Any]

    @property
    def backend(self) -> Backend:
        return self.runtime.backend

    def tell(self, text: str, blocks: list[dict[str, Any]] | None = None) -> None:
        """An ephemeral answer to the person who ran the command."""
        if blocks:
            self.respond(text=text, blocks=blocks, response_type="ephemeral")
        else:
            self.respond(text=text, response_type="ephemeral")
