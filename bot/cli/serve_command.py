"""``revbot serve``: run the Slack app (Socket Mode or HTTP) and its web routes."""

from __future__ import annotations

import typer

from bot.cli.context import fail
from core.settings import SettingsError


def serve(
    host: str = typer.Option("0.0.0.0", "--host", help="Interface to listen on (HTTP mode)."),
    port: int = typer.Option(3000, "--port", help="Port to listen on."),
) -> None:
    """Run revbot: Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP mode."""
    # lazy: the web stack (Bolt, Starlette, uvicorn) would add about a second to the
    # start-up of every other `revbot` command.
    from bot.serve import serve as run_server

    try:
        run_server(host, port)
    except SettingsError as exc:
        fail(str(exc))
