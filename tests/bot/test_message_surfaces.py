"""Messages speak to the surface they are read on (issue 12): the CLI never sends its user to
a slash command, and Slack names a shell command only as one to run on revbot's server (where
Slack has no equivalent, e.g. importing a client list).

Read from the code: every string literal of the CLI's and the Slack app's modules.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from briefs.surface import CLI, SLACK

ROOT = Path(__file__).resolve().parents[2]
CLI_MODULES = sorted((ROOT / "bot" / "cli").glob("*.py"))
SLACK_MODULES = sorted(
    path
    for folder in ("bot/listeners", "bot/blocks")
    for path in (ROOT / folder).rglob("*.py")
    if "__pycache__" not in path.parts
)
SHELL_COMMAND = re.compile(r"(?<![/\w])`revbot [a-z]")
ON_THE_SERVER = "command line on revbot's server"


def _messages(path: Path) -> list[str]:
    """String literals (f-string parts included), docstrings left out."""
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if id(node) not in docstrings
    ]


def _joined(path: Path) -> str:
    """Adjacent literals are one message; join each module's literals to read them whole."""
    return " ".join(_messages(path))


def test_the_cli_never_names_a_slash_command() -> None:
    assert CLI_MODULES, "the CLI modules were found"
    offending = {
        path.name: text for path in CLI_MODULES for text in _messages(path) if "/revbot" in text
    }
    assert offending == {}


def test_slack_names_a_shell_command_only_as_one_for_the_server() -> None:
    assert len(SLACK_MODULES) > 10
    seen = 0
    for path in SLACK_MODULES:
        text = _joined(path)
        for found in SHELL_COMMAND.finditer(text):
            seen += 1
            before = text[max(0, found.start() - 80) : found.start()]
            assert ON_THE_SERVER in before, (path.name, text[found.start() - 80 : found.end()])
    assert seen >= 1  # the client list is imported from the command line


def test_the_surfaces_name_their_own_commands() -> None:
    for surface, own, other in ((SLACK, "`/revbot", "`revbot "), (CLI, "`revbot ", "`/revbot")):
        for message in (surface.no_data(), surface.footer()):
            assert own in message and other not in message, message
