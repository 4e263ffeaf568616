"""manifest.yml covers every Web API method the bot calls, and matches SPEC §9."""

from __future__ import annotations

import re
from pathlib import Path

from bot.app import BOT_SCOPES

ROOT = Path(__file__).resolve().parents[3]
MANIFEST = ROOT / "manifest.yml"

# Web API method (slack_sdk name) -> the bot scopes it needs (empty: none).
METHOD_SCOPES: dict[str, set[str]] = {
    "auth_test": set(),
    "chat_postMessage": {"chat:write"},
    "chat_update": {"chat:write"},
    "chat_postEphemeral": {"chat:write"},
    "views_open": set(),
    "views_update": set(),
    "views_push": set(),
    "views_publish": set(),
    "users_info": {"users:read"},
    "files_upload_v2": {"files:write"},
    "files_getUploadURLExternal": {"files:write"},
    "files_completeUploadExternal": {"files:write"},
    "conversations_info": {"channels:read", "groups:read", "im:read", "mpim:read"},
    "team_info": {"team:read"},
    "oauth_v2_access": set(),
}
CALL = re.compile(r"\bclient\.([A-Za-z0-9_]+)\(")


def manifest_list(key_path: tuple[str, ...]) -> list[str]:
    """The ``- item`` list under a nested key of the (simple, block-style) manifest."""
    lines = MANIFEST.read_text().splitlines()
    depth, indent, inside, items = 0, -1, False, []
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        current = len(line) - len(line.lstrip())
        if inside:
            if current <= indent:
                break
            if line.strip().startswith("- "):
                items.append(line.strip()[2:].strip())
            continue
        if line.strip() == f"{key_path[depth]}:" and current > indent:
            depth, indent = depth + 1, current
            if depth == len(key_path):
                inside = True
    return items


def called_methods() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in (ROOT / "bot").rglob("*.py"):
        for method in CALL.findall(path.read_text()):
            found.setdefault(method, []).append(str(path.relative_to(ROOT)))
    return found


def test_every_called_method_is_covered_by_a_manifest_scope() -> None:
    scopes = set(manifest_list(("oauth_config", "scopes", "bot")))
    calls = called_methods()
    assert {"chat_postMessage", "views_open", "views_publish", "users_info"} <= set(calls)
    for method, files in calls.items():
        assert method in METHOD_SCOPES, f"{method} (in {files}) has no known scope: add it"
        missing = METHOD_SCOPES[method] - scopes
        assert not missing, f"{method} needs {missing} in manifest.yml"


def test_oauth_install_asks_for_the_manifest_scopes() -> None:
    assert sorted(manifest_list(("oauth_config", "scopes", "bot"))) == sorted(BOT_SCOPES)


def test_manifest_events_and_features_match_the_spec() -> None:
    events = manifest_list(("settings", "event_subscriptions", "bot_events"))
    assert sorted(events) == sorted(
        ["app_mention", "message.im", "app_home_opened", "app_uninstalled", "tokens_revoked"]
    )
    text = MANIFEST.read_text()
    assert "command: /revbot" in text
    assert "socket_mode_enabled: true" in text
    assert "home_tab_enabled: true" in text
    assert re.search(r"interactivity:\n\s+is_enabled: true", text)
    # message.im and app_mention need their read scopes
    scopes = set(manifest_list(("oauth_config", "scopes", "bot")))
    assert {"im:history", "app_mentions:read", "commands"} <= scopes
