"""``revbot brief [--preview] [--as-of DATE] [--json]``: print the Monday Brief, never send it.

Plain text by default; ``--json`` prints the brief's sections as data (SPEC §10b).
Printing is the only thing the CLI does with a brief (``revbot serve`` sends it on
schedule), so ``--preview`` is accepted but not needed.
"""

from __future__ import annotations

import sys

import typer

from bot.cli.context import (
    JsonOption,
    WorkspaceOption,
    open_backend,
    parse_as_of,
    print_json,
    shown_workspace,
)
from briefs.render import render_text
from briefs.surface import CLI
from usecases import briefing

PreviewOption = typer.Option(
    True,
    "--preview",
    hidden=True,  # the CLI only ever previews; kept for SPEC §10b's `revbot brief --preview`
    help="Print the brief (the default; the CLI never sends it).",
)
AsOfOption = typer.Option(
    None, "--as-of", metavar="YYYY-MM-DD", help="The brief as it would be on this date."
)


def brief(
    preview: bool = PreviewOption,
    as_of: str | None = AsOfOption,
    as_json: bool = JsonOption,
    workspace: str | None = WorkspaceOption,
) -> None:
    """Print the Monday Brief as it would be sent (`revbot serve` sends it on schedule)."""
    instant = parse_as_of(as_of)
    backend = open_backend()
    built = briefing.preview(backend, shown_workspace(backend, workspace), instant, CLI)
    if as_json:
        print_json(built.to_json())
    else:
        sys.stdout.write(render_text(built, CLI))
