"""Entry point of the ``revbot`` console script: one Typer app, one module per command."""

from __future__ import annotations

import sys
from importlib.metadata import version as package_version

import typer

from bot.cli import accounts_commands, db_commands, fx_commands
from bot.cli.ask_command import ask
from bot.cli.brief_command import brief
from bot.cli.connect_command import connect
from bot.cli.demo_command import demo
from bot.cli.help_style import Command, Group
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
    cls=Group,
)
# Help lists commands by panel, in the order a newcomer meets them: try the demo, bring in
# your own data, ask, then run the Slack app.
TRY, DATA, ASK, RUN = "Try it", "Your Stripe data", "Answers", "Run the Slack app"
app.command("demo", cls=Command, rich_help_panel=TRY)(demo)
app.command("connect", cls=Command, rich_help_panel=DATA)(connect)
app.command("sync", cls=Command, rich_help_panel=DATA)(sync)
app.command("status", cls=Command, rich_help_panel=DATA)(status)
app.add_typer(accounts_commands.app, name="accounts", rich_help_panel=DATA)
app.command("ask", cls=Command, rich_help_panel=ASK)(ask)
app.command("brief", cls=Command, rich_help_panel=ASK)(brief)
app.add_typer(fx_commands.app, name="fx", rich_help_panel=ASK)
app.command("serve", cls=Command, rich_help_panel=RUN)(serve)
app.command("manifest", cls=Command, rich_help_panel=RUN)(manifest)
app.add_typer(db_commands.app, name="db", rich_help_panel=RUN)


def _print_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"revbot {package_version('revbot')}\n")
        raise typer.Exit()


@app.callback()
def _configure(
    _version: bool = typer.Option(
        False,
        "--version",
        callback=_print_version,
        is_eager=True,
        help="Print revbot's version and exit.",
    ),
) -> None:
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
