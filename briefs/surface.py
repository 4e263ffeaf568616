"""How the brief names revbot's commands on the surface it is read on: Slack or the CLI.

A brief previewed in a terminal must not send its reader to a slash command, nor a brief
posted in Slack to a shell command.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Surface:
    connect: str  # how to connect Stripe there
    sync: str  # how to load the billing data
    ask: str  # an example question
    help: str  # where the example questions are
    who_connects: str  # who may connect ("An admin can" in Slack)

    def no_data(self) -> str:
        return (
            "No billing data is synced yet, so there is nothing to report. "
            f"{self.who_connects} connect Stripe with {self.connect}, then run {self.sync}."
        )

    def footer(self) -> str:
        return f"Ask me anything about billing: {self.ask} · {self.help}"


SLACK = Surface(
    connect="`/revbot connect`",
    sync="`/revbot resync`",
    ask="`/revbot ask who is overdue?`",
    help="`/revbot help`",
    who_connects="An admin can",
)
CLI = Surface(
    connect="`revbot connect --key rk_…`",
    sync="`revbot sync`",
    ask='`revbot ask "who is overdue?"`',
    help="`revbot ask help`",
    who_connects="You can",
)
