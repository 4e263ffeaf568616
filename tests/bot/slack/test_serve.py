"""``serve``: mode selection, and a real process that migrates, starts and answers /healthz."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from bot.app import build_app, mode_of
from core.settings import SettingsError
from storage.db import Database
from tests.bot.slack.conftest import BOT_TOKEN, make_settings
from tests.bot.slack.serve_process import ServeProcess, http_env
from tests.slack_server import SlackServer


def test_mode_selection(slack: SlackServer) -> None:
    assert mode_of(make_settings(slack, SLACK_BOT_TOKEN=BOT_TOKEN)) == "http"
    oauth = make_settings(slack, SLACK_CLIENT_ID="1.2", SLACK_CLIENT_SECRET="s")
    assert mode_of(oauth) == "oauth"
    socket_mode = make_settings(slack, SLACK_APP_TOKEN="xapp-1-A-1-abc", SLACK_BOT_TOKEN=BOT_TOKEN)
    assert mode_of(socket_mode) == "socket"


@pytest.mark.parametrize(
    ("values", "variable"),
    [
        ({"SLACK_APP_TOKEN": "xapp-1-A-1-abc"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_SIGNING_SECRET": None, "SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_SIGNING_SECRET"),
        ({}, "SLACK_BOT_TOKEN"),
        ({"SLACK_CLIENT_ID": "1.2"}, "SLACK_CLIENT_SECRET"),
    ],
)
def test_missing_settings_name_the_variable(
    slack: SlackServer, values: dict[str, str | None], variable: str
) -> None:
    with pytest.raises(SettingsError, match=variable):
        mode_of(make_settings(slack, **values))


def test_socket_mode_app_checks_its_token_on_the_configured_api(
    slack: SlackServer, slack_db: Database
) -> None:
    settings = make_settings(slack, SLACK_APP_TOKEN="xapp-1-A-1-abc", SLACK_BOT_TOKEN=BOT_TOKEN)
    app = build_app(settings, slack_db)
    assert app.client.base_url == slack.api_url
    [check] = slack.calls_to("auth.test")
    assert check.token == BOT_TOKEN


def test_serve_migrates_and_answers_healthz(slack: SlackServer, tmp_path: Path) -> None:
    serve = ServeProcess(http_env(slack, tmp_path / "data"), tmp_path).start()
    try:
        assert httpx.get(f"{serve.url}/healthz", timeout=5).status_code == 200
        assert (tmp_path / "data" / "revbot.db").exists()
        unsigned = httpx.post(f"{serve.url}/slack/events", content=b"{}", timeout=5)
        assert unsigned.status_code == 401
    finally:
        serve.stop()


def test_nothing_configured_names_the_variables_of_both_modes(slack: SlackServer) -> None:
    with pytest.raises(SettingsError) as raised:
        mode_of(make_settings(slack, SLACK_SIGNING_SECRET=None))
    message = str(raised.value)
    for variable in (
        "SLACK_APP_TOKEN",
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_CLIENT_ID",
        "SLACK_CLIENT_SECRET",
    ):
        assert variable in message
    assert "Socket Mode" in message and "HTTP mode" in message
