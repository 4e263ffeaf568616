"""``revbot brief --preview [--as-of DATE] [--json]``: print the Monday Brief without sending it.

Plain text by default; ``--json`` prints the brief's sections as data (SPEC §10b).
Briefs are sent on schedule by ``revbot serve``; this command never posts to Slack.
"""

from __future__ import annotations

import sys

import typer

from bot.cli.context import (
    JsonOption,
    WorkspaceOption,
    fail,
    open_backend,
    parse_as_of,
    print_json,
)
from briefs.render import render_text
from usecases import briefing

PreviewOption = typer.Option(False, "--preview", help="Print the brief instead of sending it.")
AsOfOption = typer.Option(None, "--as-of", help="The brief as of this date (YYYY-MM-DD).")


def brief(
    preview: bool = PreviewOption,
    as_of: str | None = AsOfOption,
    as_json: bool = JsonOption,
    workspace: str = WorkspaceOption,
) -> None:
    """Show the Monday Brief: overdue invoices, failed payments, churn, renewals, …"""
    if not preview:
        fail("only --preview is supported here: `revbot serve` sends the brief on schedule")
    instant = parse_as_of(as_of)
    built = briefing.preview(open_backend(), workspace, instant)
    if as_json:
        print_json(built.to_json())
    else:
        sys.stdout.write(render_text(built))
