"""``/revbot brief preview`` (ephemeral, real brief) and the settings modal's time zone."""

from __future__ import annotations

from typing import Any

from bot.blocks.modals import BRIEF_SETTINGS
from storage.models import AuditEntry, Workspace
from testkit.ledger_db import store_ledger
from tests.bot.slack.blockkit import all_text, assert_valid_blocks, assert_valid_view
from tests.bot.slack.conftest import ADMIN, MEMBER, NOW, TEAM, SlackApp
from tests.support.world import as_of, load_world_ledger


def settings_values(zone: str | None) -> dict[str, Any]:
    values: dict[str, Any] = {
        "brief_channel": {
            "channel_input": {"type": "conversations_select", "selected_conversation": "C0BRIEF"}
        },
        "brief_day": {"day_input": {"type": "static_select", "selected_option": {"value": "0"}}},
        "brief_time": {"time_input": {"type": "timepicker", "selected_time": "09:00"}},
    }
    if zone is not None:
        values["brief_zone"] = {"zone_input": {"type": "plain_text_input", "value": zone}}
    return values


def test_preview_is_the_real_brief_shown_to_the_asker_only(app: SlackApp) -> None:
    with app.db.session() as session:
        store_ledger(session, TEAM, load_world_ledger(), as_of())
    app.http.command("brief preview", user=MEMBER, team=TEAM)
    [reply] = app.server.wait_for("response", lambda c: "Monday Brief" in c.params.get("text", ""))
    assert reply.params["response_type"] == "ephemeral"
    blocks = reply.json_param("blocks")
    assert_valid_blocks(blocks)
    text = all_text(blocks)
    assert "Overdue invoices" in text and "Mosaic Marketing" in text
    assert not app.server.calls_to("chat.postMessage")  # nothing went to a channel


def test_settings_modal_saves_the_time_zone_and_refuses_unknown_ones(app: SlackApp) -> None:
    app.http.command("brief settings", user=ADMIN, team=TEAM)
    [opened] = app.server.wait_for("views.open")
    view = opened.json_param("view")
    assert_valid_view(view)
    assert "brief_zone" in [b.get("block_id") for b in view["blocks"]]
    bad = app.http.submit_view(
        BRIEF_SETTINGS, settings_values("Mars/Olympus"), user=ADMIN, team=TEAM
    )
    assert bad.json()["response_action"] == "errors" and "brief_zone" in bad.json()["errors"]
    good = app.http.submit_view(
        BRIEF_SETTINGS, settings_values("America/New_York"), user=ADMIN, team=TEAM
    ).json()
    assert good["response_action"] == "update"
    assert "(America/New_York)" in all_text(good["view"]["blocks"])
    with app.db.session() as session:
        workspace = session.get(Workspace, TEAM)
        assert (workspace.brief_channel, workspace.timezone) == ("C0BRIEF", "America/New_York")
        actions = [a.action for a in session.query(AuditEntry).filter_by(workspace_id=TEAM)]
        assert "brief.settings" in actions
    # NOW is Monday 12:00 UTC = 07:00 in New York: today's 09:00 brief is still ahead
    app.http.command("brief", user=MEMBER, team=TEAM)
    [told] = app.server.wait_for("response", lambda c: "next Monday Brief" in c.params["text"])
    assert "Feb 15, 09:00" in told.params["text"]
    assert NOW.hour == 12


def test_settings_without_a_zone_keep_the_current_one(app: SlackApp) -> None:
    with app.db.session() as session:
        from storage.workspaces import ensure_workspace

        ensure_workspace(session, TEAM, NOW).timezone = "Europe/Paris"
    body = app.http.submit_view(BRIEF_SETTINGS, settings_values(None), user=ADMIN, team=TEAM)
    assert body.json()["response_action"] == "update"
    with app.db.session() as session:
        assert session.get(Workspace, TEAM).timezone == "Europe/Paris"
