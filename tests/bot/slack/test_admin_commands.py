"""Admin subcommands: confirmations, match review, fx, alerts, admins, brief, webhooks, audit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.blocks.modals import (
    BRIEF_SETTINGS,
    CONFIRM_ACTION,
    CONFIRM_BLOCK,
    DISCONNECT,
    PURGE,
    SECRET_ACTION,
    SECRET_BLOCK,
    WEBHOOKS,
)
from storage.connections import get_connection
from storage.models import AccountFigure, AccountRow, AuditEntry, FxRate, ManualMapping, Workspace
from tests.bot.slack.blockkit import all_text, assert_valid_blocks, assert_valid_view
from tests.bot.slack.conftest import ADMIN, MEMBER, NOW, TEAM, SlackApp
from tests.bot.slack.harness import text_input
from tests.bot.slack.seed import seed_connection, seed_figures, seed_review
from usecases import workspace


def audit_actions(app: SlackApp) -> list[tuple[str, str]]:
    with app.db.session() as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.workspace_id == TEAM)).all()
        return [(r.actor, r.action) for r in rows]


def reply_text(app: SlackApp, needle: str) -> str:
    [reply] = app.server.wait_for("response", lambda c: needle in c.params.get("text", ""))
    return str(reply.params["text"])


def confirm(app: SlackApp, callback: str, word: str, user: str = ADMIN) -> dict[str, Any]:
    values = text_input(CONFIRM_BLOCK, CONFIRM_ACTION, word)
    return app.http.submit_view(callback, values, user=user, team=TEAM).json()


def test_disconnect_needs_the_confirmation_word(app: SlackApp) -> None:
    seed_connection(app.db, TEAM, NOW)
    app.http.command("disconnect", user=ADMIN, team=TEAM)
    [opened] = app.server.wait_for("views.open")
    assert opened.json_param("view")["callback_id"] == DISCONNECT
    assert_valid_view(opened.json_param("view"))
    assert confirm(app, DISCONNECT, "yes")["response_action"] == "errors"
    with app.db.session() as session:
        assert get_connection(session, TEAM).status == "connected"
    body = confirm(app, DISCONNECT, "disconnect")
    assert body["response_action"] == "update"
    with app.db.session() as session:
        connection = get_connection(session, TEAM)
        assert connection.status == "disconnected" and connection.key_encrypted is None
    assert (ADMIN, "stripe.disconnect") in audit_actions(app)


def test_members_cannot_confirm_a_disconnect(app: SlackApp) -> None:
    seed_connection(app.db, TEAM, NOW)
    body = confirm(app, DISCONNECT, "disconnect", user=MEMBER)
    assert "only Slack workspace admins" in all_text(body["view"]["blocks"])
    with app.db.session() as session:
        assert get_connection(session, TEAM).status == "connected"


def test_purge_deletes_billing_data_only(app: SlackApp) -> None:
    seed_connection(app.db, TEAM, NOW)
    seed_figures(app.db, TEAM, NOW, [{"id": "acc_1", "name": "Acme", "mrr": "10.00"}])
    seed_figures(app.db, "TOTHER01", NOW, [{"id": "acc_1", "name": "Acme", "mrr": "10.00"}])
    app.http.command("purge", user=MEMBER, team=TEAM)
    assert "only Slack workspace admins" in reply_text(app, "admins")
    body = confirm(app, PURGE, "purge")
    assert body["response_action"] == "update"
    with app.db.session() as session:
        assert (
            session.scalars(select(AccountRow).where(AccountRow.workspace_id == TEAM)).all() == []
        )
        assert (
            session.scalars(select(AccountFigure).where(AccountFigure.workspace_id == TEAM)).all()
            == []
        )
        assert session.get(Workspace, TEAM) is not None
        assert (
            len(
                session.scalars(
                    select(AccountRow).where(AccountRow.workspace_id == "TOTHER01")
                ).all()
            )
            == 1
        )
        assert get_connection(session, TEAM).record_counts == {}
    assert (ADMIN, "stripe.purge") in audit_actions(app)


def test_match_review_maps_a_customer_with_the_picker(app: SlackApp) -> None:
    seed_figures(
        app.db,
        TEAM,
        NOW,
        [
            {"id": "acc_g1", "name": "Globex Corp"},
            {"id": "acc_g2", "name": "Globex Ltd"},
        ],
    )
    seed_review(app.db, TEAM, NOW)
    app.http.command("match", user=ADMIN, team=TEAM)
    [reply] = app.server.wait_for("response")
    blocks = reply.json_param("blocks")
    assert_valid_blocks(blocks)
    shown = all_text(blocks)
    assert "Jane Doe" in shown and "Globex" in shown and "ambiguous" in shown
    pickers = [b for b in blocks if b.get("accessory", {}).get("type") == "static_select"]
    assert {b["block_id"] for b in pickers} == {"match:cus_A1", "match:cus_B2"}
    options = {o["value"] for o in pickers[0]["accessory"]["options"]}
    assert options == {"acc_g1", "acc_g2"}
    app.http.block_action(
        {
            "type": "static_select",
            "action_id": "match_pick",
            "block_id": "match:cus_B2",
            "selected_option": {
                "text": {"type": "plain_text", "text": "Globex Ltd"},
                "value": "acc_g2",
            },
        },
        user=ADMIN,
        team=TEAM,
        container={"type": "message", "channel_id": "C0GENERAL", "message_ts": "1.2"},
        message={"ts": "1.2", "text": "review"},
    )
    reply_text(app, "now belongs to Globex Ltd")
    with app.db.session() as session:
        mapping = session.get(ManualMapping, (TEAM, "cus_B2"))
        assert mapping is not None and mapping.account_id == "acc_g2"
    assert (ADMIN, "match.set") in audit_actions(app)


def test_match_picker_refuses_members(app: SlackApp) -> None:
    seed_figures(app.db, TEAM, NOW, [{"id": "acc_g1", "name": "Globex Corp"}])
    seed_review(app.db, TEAM, NOW)
    app.http.block_action(
        {
            "type": "static_select",
            "action_id": "match_pick",
            "block_id": "match:cus_A1",
            "selected_option": {"text": {"type": "plain_text", "text": "G"}, "value": "acc_g1"},
        },
        user=MEMBER,
        team=TEAM,
        container={"type": "message", "channel_id": "C0GENERAL", "message_ts": "1.2"},
        message={"ts": "1.2", "text": "review"},
    )
    reply_text(app, "only Slack workspace admins")
    with app.db.session() as session:
        assert session.get(ManualMapping, (TEAM, "cus_A1")) is None


def test_fx_set_and_show(app: SlackApp) -> None:
    app.http.command("fx set EUR 1.08", user=MEMBER, team=TEAM)
    reply_text(app, "only Slack workspace admins")
    app.http.command("fx set EUR 1.08", user=ADMIN, team=TEAM)
    reply_text(app, "1 EUR = 1.08 USD")
    with app.db.session() as session:
        [rate] = session.scalars(select(FxRate).where(FxRate.workspace_id == TEAM)).all()
        assert (rate.currency, rate.rate) == ("EUR", "1.08")
    app.http.command("fx", user=MEMBER, team=TEAM)
    assert "1 EUR = 1.08 USD" in reply_text(app, "Reporting currency USD:")
    app.http.command("fx set EUR -3", user=ADMIN, team=TEAM)
    reply_text(app, "positive number")
    assert (ADMIN, "fx.set") in audit_actions(app)


def test_alerts_channel(app: SlackApp) -> None:
    app.http.command("alerts <#C0ALERTS|billing-alerts>", user=ADMIN, team=TEAM)
    reply_text(app, "<#C0ALERTS>")
    with app.db.session() as session:
        assert session.get(Workspace, TEAM).alerts_channel == "C0ALERTS"
    app.http.command("alerts somewhere", user=ADMIN, team=TEAM)
    reply_text(app, "Usage: `/revbot alerts #channel`")
    assert (ADMIN, "alerts.channel") in audit_actions(app)


def test_admins_add_makes_a_member_an_admin(app: SlackApp) -> None:
    app.http.command("alerts <#C0X|x>", user=MEMBER, team=TEAM)
    reply_text(app, "only Slack workspace admins")
    app.http.command(f"admins add <@{MEMBER}|mo>", user=ADMIN, team=TEAM)
    reply_text(app, "is now a revbot admin")
    app.http.command("admins", user=MEMBER, team=TEAM)
    assert f"<@{MEMBER}>" in reply_text(app, "revbot admins:")
    app.http.command("alerts <#C0X|x>", user=MEMBER, team=TEAM)
    reply_text(app, "Payment alerts will be posted in <#C0X>")
    assert (ADMIN, "admins.add") in audit_actions(app)


def test_brief_settings_modal_saves_the_schedule(app: SlackApp) -> None:
    app.http.command("brief settings", user=ADMIN, team=TEAM)
    [opened] = app.server.wait_for("views.open")
    assert_valid_view(opened.json_param("view"))
    values = {
        "brief_channel": {
            "channel_input": {"type": "conversations_select", "selected_conversation": "C0BRIEF"}
        },
        "brief_day": {"day_input": {"type": "static_select", "selected_option": {"value": "2"}}},
        "brief_time": {"time_input": {"type": "timepicker", "selected_time": "08:30"}},
    }
    body = app.http.submit_view(BRIEF_SETTINGS, values, user=ADMIN, team=TEAM).json()
    assert body["response_action"] == "update"
    with app.db.session() as session:
        workspace = session.get(Workspace, TEAM)
        assert (workspace.brief_channel, workspace.brief_weekday, workspace.brief_time) == (
            "C0BRIEF",
            2,
            "08:30",
        )
    app.http.command("brief", user=MEMBER, team=TEAM)
    # NOW is Monday 2027-02-15 12:00 UTC: the next Wednesday 08:30 is Feb 17.
    assert "Feb 17, 08:30" in reply_text(app, "next Monday Brief")


def test_webhooks_modal_stores_the_secret_encrypted(app: SlackApp) -> None:
    seed_connection(app.db, TEAM, NOW)
    app.http.command("webhooks", user=ADMIN, team=TEAM)
    [opened] = app.server.wait_for("views.open")
    view = opened.json_param("view")
    assert_valid_view(view)
    with app.db.session() as session:
        public_id = session.get(Workspace, TEAM).public_id
    assert f"/stripe/webhooks/{public_id}" in all_text(view["blocks"])
    secret = "whsec_testsecretvalue0000wxyz"
    body = app.http.submit_view(
        WEBHOOKS, text_input(SECRET_BLOCK, SECRET_ACTION, secret), user=ADMIN, team=TEAM
    ).json()
    assert body["response_action"] == "update" and "…wxyz" in all_text(body["view"]["blocks"])
    assert secret not in str(body)
    with app.db.session() as session:
        stored = get_connection(session, TEAM).webhook_secret_encrypted
    assert stored and app.backend.box().decrypt(stored) == secret


def test_an_unexpected_error_still_answers_the_user(app: SlackApp, monkeypatch: Any) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("database exploded near rk_live_abcdefghijklmnop1234")

    monkeypatch.setattr(workspace, "set_alerts_channel", broken)
    app.http.command("alerts <#C0X|x>", user=ADMIN, team=TEAM)
    text = reply_text(app, "something went wrong")
    assert "rk_live_" not in text and "exploded" not in text
