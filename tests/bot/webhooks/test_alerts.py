"""Signals from applied webhooks, stored once and posted once to the alerts channel."""

from __future__ import annotations

from sqlalchemy import select

from storage.db import Database
from storage.models import InvoiceRow, SignalRow, StripeEvent
from tests.bot.webhooks.conftest import ALERTS, BOT_TOKEN, SECRET_B, TEAM_A, TEAM_B, Hooks
from tests.slack_server.server import Call
from tests.sync.event_builders import customer, event, invoice, subscription


def signals_of(db: Database, team: str) -> list[SignalRow]:
    with db.session() as session:
        query = select(SignalRow).where(SignalRow.workspace_id == team).order_by(SignalRow.id)
        return list(session.scalars(query))


def failed_invoice(attempts: int = 1, **kw: object) -> dict[str, object]:
    return invoice(status="open", attempted=True, attempt_count=attempts, **kw)


def posts(hooks: Hooks) -> list[Call]:
    return hooks.slack.calls_to("chat.postMessage")


def all_text(call: Call) -> str:
    blocks = call.json_param("blocks") or []
    return str(call.params.get("text")) + " " + str(blocks)


def test_payment_failed_posts_one_alert_with_amount_plan_and_links(hooks: Hooks) -> None:
    ev = event("invoice.payment_failed", failed_invoice(), 10, eid="evt_fail")
    assert hooks.deliver(ev).status_code == 200
    hooks.drain()
    [call] = posts(hooks)
    assert call.token == BOT_TOKEN and call.params["channel"] == ALERTS
    text = str(call.params["text"])
    assert "Payment failed" in text and "Acme Corp" in text
    assert "$50.00" in text and "Pro" in text
    blocks = call.json_param("blocks")
    assert blocks and blocks[0]["type"] == "section"
    rendered = all_text(call)
    assert "https://dashboard.stripe.com/test/invoices/in_1" in rendered
    assert "https://dashboard.stripe.com/test/customers/cus_1" in rendered
    [signal] = signals_of(hooks.db, TEAM_A)
    assert (signal.kind, signal.account_id, signal.amount, signal.currency, signal.plan) == (
        "payment_failed",
        "acc_acme",
        5000,
        "USD",
        "Pro",
    )
    assert signal.posted_at is not None and signal.data["channel"] == ALERTS

    # Redelivery, and a later event carrying the same state, post nothing new.
    assert hooks.deliver(ev).json()["message"] == "duplicate"
    same = event("invoice.updated", failed_invoice(), 11, eid="evt_same")
    assert hooks.deliver(same).status_code == 200
    hooks.drain()
    assert len(posts(hooks)) == 1 and len(signals_of(hooks.db, TEAM_A)) == 1

    # A restart (new process, same database) does not post it again.
    service = hooks.new_process(start_worker=False)
    assert service.worker is not None
    service.worker.run_round()
    assert len(posts(hooks)) == 1


def test_a_second_failed_attempt_is_a_new_alert_and_recovery_too(hooks: Hooks) -> None:
    hooks.deliver(event("invoice.payment_failed", failed_invoice(1), 10))
    hooks.drain()
    hooks.deliver(event("invoice.payment_failed", failed_invoice(2), 20))
    hooks.drain()
    paid = invoice(status="paid", attempted=True, attempt_count=3, amount_remaining=0)
    hooks.deliver(event("invoice.paid", paid, 30))
    hooks.drain()
    kinds = [s.kind for s in signals_of(hooks.db, TEAM_A)]
    assert kinds == ["payment_failed", "payment_failed", "payment_recovered"]
    texts = [str(c.params["text"]) for c in posts(hooks)]
    assert len(texts) == 3 and "Payment recovered" in texts[2] and "$50.00" in texts[2]


def test_out_of_order_events_neither_regress_state_nor_alert(hooks: Hooks) -> None:
    paid = invoice(status="paid", attempted=True, attempt_count=1, amount_remaining=0)
    hooks.deliver(event("invoice.paid", paid, 90, eid="evt_paid"))
    hooks.drain()
    late = event("invoice.payment_failed", failed_invoice(1), 50, eid="evt_late")
    assert hooks.deliver(late).status_code == 200
    hooks.drain()
    with hooks.db.session() as session:
        row = session.get(InvoiceRow, (TEAM_A, "in_1"))
        assert row is not None and row.status == "paid"
        late_row = session.get(StripeEvent, (TEAM_A, "evt_late"))
        assert late_row is not None and late_row.status == "applied"  # recorded, skipped
    assert not [s for s in signals_of(hooks.db, TEAM_A) if s.kind == "payment_failed"]
    assert not posts(hooks)


def test_cancellation_alert_names_the_mrr_lost(hooks: Hooks) -> None:
    ended = subscription(status="canceled", ended_at=1_800_000_500, canceled_at=1_800_000_500)
    hooks.deliver(event("customer.subscription.deleted", ended, 500))
    hooks.drain()
    [call] = posts(hooks)
    text = str(call.params["text"])
    assert "Subscription canceled" in text and "Acme Corp" in text and "$50.00" in text
    assert "https://dashboard.stripe.com/test/subscriptions/sub_1" in all_text(call)


def test_without_an_alerts_channel_signals_are_kept_but_not_posted(hooks: Hooks) -> None:
    ev = event("invoice.payment_failed", failed_invoice(1, customer="cus_b"), 10, eid="evt_b_fail")
    assert hooks.deliver(ev, public_id=hooks.public_b, secret=SECRET_B).status_code == 200
    hooks.drain()
    # Its customer is not known yet (no Stripe key to read it): the signal waits for it.
    assert not signals_of(hooks.db, TEAM_B)
    known = event("customer.created", customer("cus_b", name="Bee", email="b@bee.io"), 5)
    assert hooks.deliver(known, public_id=hooks.public_b, secret=SECRET_B).status_code == 200
    hooks.drain()
    [signal] = signals_of(hooks.db, TEAM_B)
    assert signal.kind == "payment_failed" and signal.account_id is not None
    assert signal.data["not_posted"] == "no alerts channel set"
    assert not posts(hooks)
    assert not signals_of(hooks.db, TEAM_A)  # nothing leaked into the other workspace


def test_a_transient_slack_failure_is_retried_later(hooks: Hooks) -> None:
    hooks.slack.state.errors["chat.postMessage"] = "ratelimited"
    hooks.deliver(event("invoice.payment_failed", failed_invoice(), 10))
    hooks.drain()
    [signal] = signals_of(hooks.db, TEAM_A)
    assert signal.posted_at is None
    hooks.slack.state.errors.clear()
    hooks.drain()  # a polling round retries waiting alerts
    ok = [c for c in posts(hooks) if c.response.get("ok")]
    assert len(ok) == 1
    assert signals_of(hooks.db, TEAM_A)[0].posted_at is not None
