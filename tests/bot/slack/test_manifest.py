"""manifest.yml asks for exactly the scopes the code needs, lists every subcommand, and is
what ``revbot manifest`` prints; the HTTP-mode variant needs no hand edit.

The Web API methods called are derived from the code (every call of a slack_sdk WebClient
method, on any receiver, in every runtime package), the events from the listeners
registered, and their scopes from ``slack_scopes`` (a table citing Slack's docs). A scope
the manifest lacks fails, and so does one nothing uses.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml
from slack_sdk import WebClient

from bot.app import BOT_SCOPES
from bot.blocks.help import SUBCOMMANDS as HELP_SUBCOMMANDS
from bot.listeners.commands import SUBCOMMANDS
from bot.manifest import ManifestError, manifest, manifest_yaml, usage_hint
from tests.bot.cli.helpers import run_cli
from tests.bot.slack.slack_scopes import (
    EVENTS,
    FRAMEWORK_METHODS,
    METHODS,
    SLASH_COMMAND,
    Needs,
)

ROOT = Path(__file__).resolve().parents[3]
MANIFEST = ROOT / "manifest.yml"
PACKAGES = ("core", "billing", "storage", "sync", "questions", "answers", "bot", "briefs", "demo")
WEB_API_METHODS = frozenset(
    name for name, value in vars(WebClient).items() if callable(value) and name[0] != "_"
)


def _trees() -> list[tuple[Path, ast.Module]]:
    return [
        (path, ast.parse(path.read_text(), str(path)))
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def called_methods() -> dict[str, set[str]]:
    """slack_sdk method name -> files calling it (``x.chat_postMessage(...)`` on any
    receiver, or ``x.api_call("chat.postMessage")``)."""
    found: dict[str, set[str]] = {}
    for path, tree in _trees():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            name = node.func.attr
            if name == "api_call" and node.args and isinstance(node.args[0], ast.Constant):
                name = str(node.args[0].value).replace(".", "_")
            elif name not in WEB_API_METHODS:
                continue
            found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


def listened_events() -> set[str]:
    """Events the code registers a Bolt listener for: ``app.event("name")``."""
    events = set()
    for _path, tree in _trees():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "event"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                events.add(str(node.args[0].value))
    return events


def uses(called: set[str], events: list[str], slash_command: bool) -> dict[str, Needs]:
    """Each use (method, event, feature) of the app and what it needs."""
    unknown = sorted(called - set(METHODS))
    assert not unknown, f"{unknown}: add their scopes (from Slack's docs) to slack_scopes.py"
    needs = {f"method {m}": METHODS[m] for m in sorted(called | set(FRAMEWORK_METHODS))}
    for event in events:
        assert event in EVENTS, f"event {event}: add its scopes to slack_scopes.py"
        needs[f"event {event}"] = EVENTS[event]
    if slash_command:
        needs["slash command"] = SLASH_COMMAND
    return needs


def check_scopes(scopes: set[str], needs: dict[str, Needs]) -> list[str]:
    """Problems: a scope a use needs but the manifest lacks, or one no use needs."""
    problems = [
        f"{use} needs {sorted(need.all_of - scopes)} ({need.doc})"
        for use, need in needs.items()
        if need.all_of - scopes
    ]
    usable = set().union(*(need.all_of | need.also for need in needs.values()))
    problems += [f"{scope} is requested but nothing uses it" for scope in sorted(scopes - usable)]
    return problems


def _loaded() -> dict:
    return yaml.safe_load(MANIFEST.read_text())


def test_manifest_scopes_are_exactly_what_the_code_uses() -> None:
    data = _loaded()
    called = called_methods()
    # The derivation sees the calls the bot is known to make (a dead scanner finds nothing).
    assert {"chat_postMessage", "views_open", "users_info", "files_upload_v2"} <= set(called)
    needs = uses(
        set(called),
        data["settings"]["event_subscriptions"]["bot_events"],
        bool(data["features"]["slash_commands"]),
    )
    scopes = set(data["oauth_config"]["scopes"]["bot"])
    assert check_scopes(scopes, needs) == []
    assert sorted(scopes) == sorted(BOT_SCOPES)  # the OAuth install asks for the same


def test_the_scope_check_fails_both_ways() -> None:
    needs = uses({"chat_postMessage", "users_info"}, ["app_mention"], True)
    exact = {"chat:write", "chat:write.public", "users:read", "app_mentions:read", "commands"}
    assert check_scopes(exact, needs) == []
    [missing] = check_scopes(exact - {"users:read"}, needs)
    assert "users_info needs ['users:read']" in missing
    [unused] = check_scopes(exact | {"team:read"}, needs)
    assert unused == "team:read is requested but nothing uses it"
    # A per-conversation-type scope is accepted only while its method is called.
    history = uses({"chat_postMessage", "conversations_history"}, [], False)
    assert check_scopes({"chat:write", "chat:write.public", "channels:history"}, history) == []
    with_private = {"chat:write", "chat:write.public", "channels:history", "groups:history"}
    assert check_scopes(with_private, history) == []
    assert check_scopes(with_private, uses({"chat_postMessage"}, [], False)) == [
        "channels:history is requested but nothing uses it",
        "groups:history is requested but nothing uses it",
    ]
    with pytest.raises(AssertionError, match=r"slack_scopes\.py"):
        uses({"reactions_add"}, [], False)


def test_subscribed_events_are_the_listened_ones_and_the_specs() -> None:
    events = _loaded()["settings"]["event_subscriptions"]["bot_events"]
    assert sorted(events) == sorted(
        ["app_mention", "message.im", "app_home_opened", "app_uninstalled", "tokens_revoked"]
    )
    assert {event.split(".")[0] for event in events} == listened_events()


def test_usage_hint_lists_every_subcommand() -> None:
    hint = _loaded()["features"]["slash_commands"][0]["usage_hint"]
    assert hint == usage_hint()
    named = [part.split()[0] for part in hint.split(" | ")]
    assert named == list(SUBCOMMANDS)  # every subcommand the dispatcher routes, in order
    assert [name.split()[0] for name, _ in HELP_SUBCOMMANDS] == list(SUBCOMMANDS)


def test_manifest_yml_is_what_revbot_manifest_prints() -> None:
    assert MANIFEST.read_text() == manifest_yaml()
    result = run_cli("manifest")
    assert result.exit_code == 0 and result.stdout == MANIFEST.read_text()
    data = _loaded()
    assert data == manifest()
    assert data["settings"]["socket_mode_enabled"] is True
    assert data["features"]["app_home"]["home_tab_enabled"] is True
    assert data["settings"]["interactivity"]["is_enabled"] is True
    assert data["features"]["slash_commands"][0]["command"] == "/revbot"
    # The header points at documents that exist.
    assert "docs/slack-app.md" not in MANIFEST.read_text()
    assert "## Create the Slack app" in (ROOT / "README.md").read_text()


def test_http_manifest_needs_no_hand_edit() -> None:
    result = run_cli("manifest", "--http", "https://revbot.example.com/")
    assert result.exit_code == 0, result.stderr
    data = yaml.safe_load(result.stdout)
    events = "https://revbot.example.com/slack/events"
    assert data["settings"]["socket_mode_enabled"] is False
    assert data["features"]["slash_commands"][0]["url"] == events
    assert data["settings"]["event_subscriptions"]["request_url"] == events
    assert data["settings"]["interactivity"]["request_url"] == events
    assert data["oauth_config"]["redirect_urls"] == [
        "https://revbot.example.com/slack/oauth_redirect"
    ]
    assert data["oauth_config"]["scopes"] == _loaded()["oauth_config"]["scopes"]
    for bad in ("http://revbot.example.com", "revbot.example.com", "https://x y"):
        with pytest.raises(ManifestError):
            manifest(bad)
    refused = run_cli("manifest", "--http", "http://revbot.example.com")
    assert refused.exit_code == 1 and "https://" in refused.stderr


def test_readme_explains_exactly_the_requested_scopes() -> None:
    readme = (ROOT / "README.md").read_text()
    table = readme.split("| scope | why |", 1)[1].split("\n\n", 1)[0]
    explained = {row.split("`")[1] for row in table.splitlines() if row.startswith("| `")}
    assert explained == set(BOT_SCOPES)
