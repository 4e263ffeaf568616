"""``/revbot help``."""

from __future__ import annotations

from bot.blocks.help import help_blocks, help_text
from bot.listeners.commands.request import CommandRequest


def needs_admin(request: CommandRequest) -> bool:
    return False


def run(request: CommandRequest) -> None:
    request.tell(help_text(), help_blocks())
