"""Entry point of the ``revbot`` console script: one Typer app, one module per command."""

from __future__ import annotations

import typer

from bot.cli import accounts_commands, db_commands, fx_commands
from bot.cli.ask_command import ask
from bot.cli.brief_command import brief
from bot.cli.connect_command import connect
from bot.cli.demo_command import demo
from bot.cli.manifest_command import manifest
from bot.cli.serve_command import serve
from bot.cli.status_command import status
from bot.cli.sync_command import sync
from core.redaction import install as install_logging
from core.settings import SettingsError, get_settings

app = typer.Typer(
    name="revbot",
    help="revbot: answers questions about your Stripe billing data (read-only).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(db_commands.app, name="db")
app.add_typer(fx_commands.app, name="fx")
app.add_typer(accounts_commands.app, name="accounts")
app.command("status")(status)
app.command("demo")(demo)
app.command("sync")(sync)
app.command("connect")(connect)
app.command("serve")(serve)
app.command("brief")(brief)
app.command("ask")(ask)
app.command("manifest")(manifest)


@app.callback()
def _configure() -> None:
    try:
        current = get_settings()
    except SettingsError:
        return  # each command reports the bad variable itself
    # Commands print their own results; log lines (a migration, say) would only clutter
    # them, so the CLI logs warnings unless REVBOT_LOG_LEVEL asks for more. `serve`
    # installs REVBOT_LOG_LEVEL (default INFO) itself.
    level = current.log_level if "log_level" in current.model_fields_set else "WARNING"
    install_logging(level, current.log_format)


def run() -> None:
    app()
