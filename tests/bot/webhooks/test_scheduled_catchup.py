"""The timed Events catch-up: a missed webhook is recovered, and its signal still alerts once."""

from __future__ import annotations

from sqlalchemy import update

from storage.connections import set_events_cursor
from storage.models import StripeConnection
from sync.client import StripeReadClient
from sync.readers import ts
from sync.scheduled import catch_up_all
from testkit.stripe_server import StripeTestServer, StripeWorld
from tests.bot.webhooks.conftest import NOW, TEAM_A, TEAM_B, Hooks
from tests.bot.webhooks.test_alerts import failed_invoice, posts, signals_of
from tests.sync.event_builders import client_for, customer, event


def _with_keys_and_cursor(hooks: Hooks, cursor: dict[str, object]) -> None:
    """Both workspaces finished a backfill with a stored key; A's events cursor is ``cursor``."""
    with hooks.db.session() as session:
        session.execute(update(StripeConnection).values(key_encrypted=hooks.box.encrypt("k")))
        set_events_cursor(session, TEAM_A, str(cursor["id"]), ts(cursor["created"]), NOW)


def test_a_missed_payment_failure_is_caught_up_and_alerted_once(hooks: Hooks) -> None:
    cursor = event("customer.updated", customer(), -50, eid="evt_cursor")
    missed = event("invoice.payment_failed", failed_invoice(), 10, eid="evt_missed")
    _with_keys_and_cursor(hooks, cursor)
    alerted: list[tuple[str, int]] = []

    def after(workspace_id: str, new_ids: list[int]) -> None:
        alerted.append((workspace_id, len(new_ids)))
        assert hooks.service.post_alerts is not None
        hooks.service.post_alerts(workspace_id)

    with StripeTestServer(StripeWorld(events=[missed, cursor])) as server:
        clients = {TEAM_A: client_for(server)}  # B's key resolves to no client: skipped
        ran = catch_up_all(hooks.db, hooks.settings, clients.get, lambda: NOW, after)
        again = catch_up_all(hooks.db, hooks.settings, clients.get, lambda: NOW, after)
    assert ran == {TEAM_A: "catchup", TEAM_B: "no_key"}
    assert again == ran
    assert [s.kind for s in signals_of(hooks.db, TEAM_A)] == ["payment_failed"]
    assert alerted == [(TEAM_A, 1)]  # the second round found nothing new
    [call] = posts(hooks)
    assert "Payment failed" in str(call.params["text"]) and "Acme Corp" in str(call.params["text"])
    assert signals_of(hooks.db, TEAM_B) == []


def test_a_failing_workspace_does_not_stop_the_round(hooks: Hooks) -> None:
    cursor = event("customer.updated", customer(), -50, eid="evt_cursor")
    _with_keys_and_cursor(hooks, cursor)
    with StripeTestServer(StripeWorld(events=[cursor])) as server:

        def client(workspace_id: str) -> StripeReadClient:
            if workspace_id == TEAM_A:
                raise RuntimeError("the stored key could not be decrypted")
            return client_for(server)

        ran = catch_up_all(hooks.db, hooks.settings, client, lambda: NOW)
    assert ran == {TEAM_A: "failed", TEAM_B: "catchup"}
