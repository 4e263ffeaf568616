"""A new customer is matched inside the batch that brings it: its ``new_customer`` alert (and
every other signal of a new account) fires once, from the webhook or the events catch-up,
whichever comes first, and its figures are current as soon as the batch is drained."""

from __future__ import annotations

from typing import Any

from storage.models import AccountRow
from sync.scheduled import catch_up_all
from testkit.stripe_server import StripeTestServer, StripeWorld
from tests.bot.webhooks.conftest import NOW, SECRET_B, TEAM_A, TEAM_B, Hooks
from tests.bot.webhooks.test_alerts import posts, signals_of
from tests.bot.webhooks.test_scheduled_catchup import _with_keys_and_cursor
from tests.sync.event_builders import client_for, customer, event, subscription
from usecases.accounts import account_list
from usecases.backend import Backend


def _globex(hooks: Hooks) -> None:
    """An imported client, Globex (globex.com), with no Stripe customer yet."""
    with hooks.db.session() as session:
        session.add(
            AccountRow(
                workspace_id=TEAM_A,
                id="acc_globex",
                name="Globex",
                domain="globex.com",
                aliases=[],
                source="import",
                created_at=NOW,
            )
        )


def _new_customer_events() -> list[dict[str, Any]]:
    """Globex's customer and its first paid subscription (two seats of Pro, $100.00/month)."""
    return [
        event(
            "customer.created", customer("cus_9", "Globex Inc", "ap@globex.com"), 20, eid="evt_c9"
        ),
        event(
            "customer.subscription.created",
            subscription("sub_9", customer_id="cus_9", quantity=2),
            21,
            eid="evt_s9",
        ),
    ]


def _catch_up(hooks: Hooks, events: list[dict[str, Any]]) -> dict[str, str]:
    cursor = event("customer.updated", customer(), -50, eid="evt_cursor")
    _with_keys_and_cursor(hooks, cursor)

    def after(workspace_id: str, new_ids: list[int]) -> None:
        assert hooks.service.post_alerts is not None
        hooks.service.post_alerts(workspace_id)

    newest_first = sorted([*events, cursor], key=lambda e: -e["created"])
    with StripeTestServer(StripeWorld(events=newest_first)) as server:
        clients = {TEAM_A: client_for(server)}
        return catch_up_all(hooks.db, hooks.settings, clients.get, lambda: NOW, after)


def _new_customer_alerts(hooks: Hooks) -> list[str]:
    return [
        str(c.params["text"])
        for c in posts(hooks)
        if "new customer" in str(c.params["text"]).lower()
    ]


def _kinds(hooks: Hooks, team: str = TEAM_A) -> list[tuple[str, str | None]]:
    return [(s.kind, s.account_id) for s in signals_of(hooks.db, team)]


def test_a_new_customer_by_webhook_alerts_once_naming_its_account_and_catch_up_adds_nothing(
    hooks: Hooks,
) -> None:
    _globex(hooks)
    for ev in _new_customer_events():
        assert hooks.deliver(ev).status_code == 200
    hooks.drain()
    assert _kinds(hooks) == [("new_customer", "acc_globex")]
    [alert] = _new_customer_alerts(hooks)
    assert "Globex" in alert
    # The timed catch-up later reads the same events from Stripe: nothing new.
    assert _catch_up(hooks, _new_customer_events())[TEAM_A] == "catchup"
    assert _kinds(hooks) == [("new_customer", "acc_globex")]
    assert len(_new_customer_alerts(hooks)) == 1


def test_a_new_customer_recovered_by_catch_up_alerts_once_and_late_webhooks_add_nothing(
    hooks: Hooks,
) -> None:
    _globex(hooks)
    assert _catch_up(hooks, _new_customer_events())[TEAM_A] == "catchup"
    assert _kinds(hooks) == [("new_customer", "acc_globex")]
    [alert] = _new_customer_alerts(hooks)
    assert "Globex" in alert
    # Stripe's deliveries arrive late (retried): duplicates of what the catch-up applied.
    for ev in _new_customer_events():
        assert hooks.deliver(ev).status_code == 200
    hooks.drain()
    assert _kinds(hooks) == [("new_customer", "acc_globex")]
    assert len(_new_customer_alerts(hooks)) == 1


def test_a_subscription_before_its_customer_alerts_once_the_customer_arrives(hooks: Hooks) -> None:
    _globex(hooks)
    created, subscribed = _new_customer_events()
    hooks.deliver(subscribed)  # Stripe does not promise order; no key here to read the customer
    hooks.drain()
    assert _kinds(hooks) == []
    hooks.deliver(created)
    hooks.drain()
    assert _kinds(hooks) == [("new_customer", "acc_globex")]
    assert len(_new_customer_alerts(hooks)) == 1


def test_automatic_accounts_get_their_new_customer_signal_from_the_batch(hooks: Hooks) -> None:
    # Workspace B has no imported client list: accounts are made from customers' domains.
    for ev in _new_customer_events():
        response = hooks.deliver(ev, public_id=hooks.public_b, secret=SECRET_B)
        assert response.status_code == 200
    hooks.drain()
    [(kind, account_id)] = _kinds(hooks, TEAM_B)
    assert kind == "new_customer" and account_id
    backend = Backend(hooks.settings, hooks.db, clock=lambda: NOW)
    [row] = [r for r in account_list(backend, TEAM_B) if "cus_9" in r["stripe_customer_ids"]]
    assert row["account"]["id"] == account_id and row["account"]["domain"] == "globex.com"


def test_figures_are_current_as_soon_as_the_batch_is_drained(hooks: Hooks) -> None:
    """MRR, plan, renewal and the cancel flag of the accounts a batch touched, right after the
    drain and its figures refresh (what the worker runs as soon as the queue is idle)."""
    _globex(hooks)
    backend = Backend(hooks.settings, hooks.db, clock=lambda: NOW)
    worker = hooks.service.worker
    assert worker is not None

    def globex() -> dict[str, Any]:
        [row] = [r for r in account_list(backend, TEAM_A) if r["account"]["id"] == "acc_globex"]
        return row

    for ev in _new_customer_events():
        hooks.deliver(ev)
    worker.run_round()
    worker.refresh_figures()
    row = globex()
    assert row["stripe_customer_ids"] == ["cus_9"]
    assert row["mrr"] == [{"amount": "100.00", "currency": "USD"}]
    assert row["plan"] and row["renewal_date"] == "2027-02-14"
    assert (row["lifecycle"], row["scheduled_to_cancel"]) == ("customer", False)

    # A seat removed, then a cancellation scheduled at period end: each current after its drain.
    fewer = subscription("sub_9", customer_id="cus_9", quantity=1)
    hooks.deliver(event("customer.subscription.updated", fewer, 40, eid="evt_s9_seat"))
    worker.run_round()
    worker.refresh_figures()
    row = globex()
    assert row["mrr"] == [{"amount": "50.00", "currency": "USD"}]
    assert row["scheduled_to_cancel"] is False
    end = subscription("sub_9", customer_id="cus_9", quantity=1, cancel_at_period_end=True)
    hooks.deliver(event("customer.subscription.updated", end, 41, eid="evt_s9_end"))
    worker.run_round()
    worker.refresh_figures()
    row = globex()
    assert row["mrr"] == [{"amount": "50.00", "currency": "USD"}]  # kept until it ends
    assert row["scheduled_to_cancel"] is True and row["renewal_date"] == "2027-02-14"
    kinds = [kind for kind, account in _kinds(hooks) if account == "acc_globex"]
    assert kinds == ["new_customer", "subscription_downgraded", "subscription_canceled"]
