"""HTTP mode with OAuth: install two teams, keep their data apart, uninstall removes tokens."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from storage.db import Database
from tests.bot.slack.blockkit import all_text
from tests.bot.slack.conftest import NOW, OTHER_TEAM, TEAM, SlackApp, make_settings, start_app
from tests.bot.slack.seed import seed_connection, seed_figures
from tests.slack_server import SlackServer

TOKENS = {TEAM: "xoxb-oauth-team-one-000001", OTHER_TEAM: "xoxb-oauth-team-two-000002"}


@pytest.fixture
def oauth_app(slack: SlackServer, slack_db: Database) -> Iterator[SlackApp]:
    settings = make_settings(
        slack, SLACK_CLIENT_ID="111.222", SLACK_CLIENT_SECRET="client-secret-value"
    )
    harness, client = start_app(slack, slack_db, settings)
    with client:
        yield harness


def install(app: SlackApp, team: str) -> None:
    app.server.state.oauth_team, app.server.state.oauth_token = team, TOKENS[team]
    page = app.http.client.get("/slack/install")
    assert page.status_code == 200
    state = re.search(r"state=([0-9a-f-]+)", page.text)
    assert state, page.text
    assert "slack.com/oauth/v2/authorize" in page.text and "scope=app_mentions" in page.text
    done = app.http.client.get(f"/slack/oauth_redirect?code=code-{team}&state={state.group(1)}")
    assert done.status_code == 200, done.text


def bot_tokens(db: Database) -> dict[str, str]:
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT team_id, bot_token FROM slack_bots"))
        return {team: token for team, token in rows}


def test_install_exchanges_the_code_on_the_configured_api(oauth_app: SlackApp) -> None:
    install(oauth_app, TEAM)
    [exchange] = oauth_app.server.calls_to("oauth.v2.access")
    assert exchange.params["code"] == f"code-{TEAM}"
    assert exchange.token == "basic:111.222:client-secret-value" or (
        exchange.params.get("client_id") == "111.222"
    )
    assert bot_tokens(oauth_app.db) == {TEAM: TOKENS[TEAM]}


def test_a_forged_state_is_refused(oauth_app: SlackApp) -> None:
    response = oauth_app.http.client.get("/slack/oauth_redirect?code=x&state=forged")
    assert response.status_code >= 400
    assert oauth_app.server.calls_to("oauth.v2.access") == []


def _home(app: SlackApp, team: str, user: str) -> tuple[str, str]:
    app.http.event(
        {"type": "app_home_opened", "user": user, "tab": "home", "event_ts": "1.1"}, team=team
    )
    [call] = app.server.wait_for("views.publish", lambda c: c.params["user_id"] == user)
    return call.token or "", all_text(call.json_param("view")["blocks"])


def test_two_teams_never_see_each_others_data(oauth_app: SlackApp) -> None:
    install(oauth_app, TEAM)
    install(oauth_app, OTHER_TEAM)
    oauth_app.server.state.users.update({"UONE": {"is_admin": False}, "UTWO": {"is_admin": False}})
    seed_connection(oauth_app.db, TEAM, NOW, last4="1111", name="One Billing")
    seed_connection(oauth_app.db, OTHER_TEAM, NOW, last4="2222", name="Two Billing")
    # Overlapping account ids and names, different figures.
    seed_figures(oauth_app.db, TEAM, NOW, [{"id": "acc_1", "name": "Acme", "mrr": "100.00"}])
    seed_figures(oauth_app.db, OTHER_TEAM, NOW, [{"id": "acc_1", "name": "Acme", "mrr": "900.00"}])

    token_one, home_one = _home(oauth_app, TEAM, "UONE")
    token_two, home_two = _home(oauth_app, OTHER_TEAM, "UTWO")
    assert token_one == TOKENS[TEAM] and token_two == TOKENS[OTHER_TEAM]
    assert "…1111" in home_one and "$100.00" in home_one
    assert "…2222" not in home_one and "$900.00" not in home_one and "Two Billing" not in home_one
    assert "…2222" in home_two and "$900.00" in home_two
    assert "…1111" not in home_two and "$100.00" not in home_two and "One Billing" not in home_two


def test_uninstall_removes_only_that_teams_tokens(oauth_app: SlackApp) -> None:
    install(oauth_app, TEAM)
    install(oauth_app, OTHER_TEAM)
    response = oauth_app.http.event({"type": "app_uninstalled", "event_ts": "1.1"}, team=TEAM)
    assert response.status_code == 200
    deadline_ok = False
    import time

    for _ in range(100):
        if set(bot_tokens(oauth_app.db)) == {OTHER_TEAM}:
            deadline_ok = True
            break
        time.sleep(0.05)
    assert deadline_ok, bot_tokens(oauth_app.db)
    with oauth_app.db.engine.connect() as conn:
        teams = {r[0] for r in conn.execute(text("SELECT team_id FROM slack_installations"))}
    assert teams == {OTHER_TEAM}


def test_tokens_revoked_removes_tokens(oauth_app: SlackApp) -> None:
    install(oauth_app, TEAM)
    oauth_app.http.event(
        {"type": "tokens_revoked", "tokens": {"bot": ["UREVBOT01"]}, "event_ts": "1.1"}, team=TEAM
    )
    import time

    for _ in range(100):
        if not bot_tokens(oauth_app.db):
            break
        time.sleep(0.05)
    assert bot_tokens(oauth_app.db) == {}
