"""Alerts (SPEC §9): each new signal posted once to the workspace's alerts channel.

One ``chat.postMessage`` per signal, in plain language: who (the account, or
the Stripe customer when it has no account), what happened, how much (with the
currency symbol), the plan, and links to the object and the customer in the
Stripe Dashboard; Block Kit plus a fallback text. A signal is claimed before
it is posted (``storage.signal_store.claim``), so two replicas or a restart
never post it twice; a transient Slack failure gives it back for the next
round, a permanent one (channel gone, bot removed) records why and moves on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.orm import Session

from billing.money import Money
from billing.signals import dashboard_url
from bot.blocks.common import Block, context, escape, section
from bot.blocks.format import relative, short_date
from bot.slack_tokens import TokenFor
from storage import signal_store
from storage.db import Database
from storage.models import AccountRow, CustomerRow, SignalRow, Workspace
from sync.write_gate import WriteGate

log = logging.getLogger(__name__)

# Slack errors that retrying will not fix: record them and stop trying that signal.
PERMANENT = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "invalid_auth",
    "account_inactive",
    "token_revoked",
    "missing_scope",
    "restricted_action",
    "msg_too_long",
    "invalid_blocks",
}


@dataclass(frozen=True)
class AlertView:
    """What one alert says (read from a stored signal and the names it refers to)."""

    kind: str
    who: str
    amount: Money | None
    plan: str | None
    at: datetime
    object_id: str | None
    object_url: str | None
    customer_url: str | None
    detail: str | None = None


# -- rendering (pure) -------------------------------------------------------------------
def _money(amount: Money | None) -> str | None:
    if amount is None:
        return None
    return Money(abs(amount.amount), amount.currency).format()


def headline(view: AlertView, tz: tzinfo, now: datetime) -> str:
    """The alert's one sentence (mrkdwn; ``who`` is already escaped)."""
    who, money = f"*{view.who}*", _money(view.amount)
    plan = f" on the {escape(view.plan)} plan" if view.plan else ""
    amount = f" {money}" if money else ""
    kind = view.kind
    if kind == "payment_failed":
        return f":warning: Payment failed: {who} could not be charged{amount}{plan}."
    if kind == "payment_overdue":
        return f":hourglass: Invoice overdue: {who} owes{amount}{plan}, past its due date."
    if kind == "payment_recovered":
        return f":white_check_mark: Payment recovered: {who} paid{amount}{plan}."
    if kind == "subscription_canceled":
        if view.detail == "scheduled":
            return f":calendar: Scheduled to cancel: {who}{plan} ({money or 'no'} MRR at stake)."
        return f":x: Subscription canceled: {who}{plan} ({money or 'no'} MRR lost)."
    if kind in ("subscription_downgraded", "subscription_upgraded"):
        verb = "fell" if kind == "subscription_downgraded" else "grew"
        icon = ":chart_with_downwards_trend:" if verb == "fell" else ":chart_with_upwards_trend:"
        label = "Downgrade" if verb == "fell" else "Upgrade"
        return f"{icon} {label}: {who}'s MRR {verb} by{amount}{plan}."
    if kind == "new_customer":
        return f":tada: New customer: {who} started paying{amount} a month{plan}."
    if kind == "trial_ending":
        ends = f"{short_date(view.at, tz, now)} ({relative(view.at, now)})"
        after = f", then{amount} a month" if money else ""
        return f":alarm_clock: Trial ending: {who}'s trial{plan} ends {ends}{after}."
    if kind == "renewal_upcoming":
        return f":repeat: Renewal: {who}{plan} renews {short_date(view.at, tz, now)}{amount}."
    return f"{kind.replace('_', ' ').capitalize()}: {who}{amount}{plan}."


def render_alert(view: AlertView, tz: tzinfo, now: datetime) -> tuple[str, list[Block]]:
    """(fallback text, blocks) for one alert."""
    sentence = headline(view, tz, now)
    links = []
    if view.object_url and view.object_id:
        links.append(f"<{view.object_url}|{_object_label(view.object_id)} in Stripe>")
    if view.customer_url:
        links.append(f"<{view.customer_url}|{view.who} in Stripe>")
    blocks: list[Block] = [section(sentence)]
    facts = []
    if view.detail and view.kind in ("subscription_downgraded", "subscription_upgraded"):
        facts.append(f"MRR {_change(view.detail, view.amount)}")
    facts.extend(links)
    if facts:
        blocks.append(context(" · ".join(facts)))
    text = sentence if not links else f"{sentence} {' · '.join(links)}"
    return text, blocks


def _change(detail: str, amount: Money | None) -> str:
    """ "50.00 -> 150.00" shown as "$50.00 → $150.00" (as given when it cannot be read)."""
    parts = [p.strip() for p in detail.split("->")]
    if amount is None or len(parts) != 2:
        return escape(detail)
    try:
        old, new = (Money.from_decimal(p, amount.currency).format() for p in parts)
    except (ArithmeticError, ValueError):
        return escape(detail)
    return f"{old} → {new}"


def _object_label(object_id: str) -> str:
    if object_id.startswith("in_"):
        return f"Invoice {object_id}"
    if object_id.startswith("sub_"):
        return f"Subscription {object_id}"
    if object_id.startswith("cus_"):
        return f"Customer {object_id}"
    return object_id


# -- reading a stored signal ------------------------------------------------------------
def alert_view(session: Session, row: SignalRow) -> AlertView:
    """The names and links a stored signal's alert shows."""
    data = dict(row.data or {})
    customer_id = str(data.get("customer_id") or "")
    who = _account_name(session, row.workspace_id, row.account_id)
    if who is None:
        who = _customer_name(session, row.workspace_id, customer_id) or customer_id or "Unknown"
    amount = Money(row.amount, row.currency) if row.amount is not None and row.currency else None
    livemode = "/test/" not in (row.url or "")
    return AlertView(
        kind=row.kind,
        who=escape(who),
        amount=amount,
        plan=row.plan,
        at=row.at,
        object_id=row.object_id,
        object_url=row.url,
        customer_url=dashboard_url("customers", customer_id, livemode) if customer_id else None,
        detail=data.get("detail"),
    )


def _account_name(session: Session, ws: str, account_id: str | None) -> str | None:
    account = session.get(AccountRow, (ws, account_id)) if account_id else None
    return account.name if account else None


def _customer_name(session: Session, ws: str, customer_id: str) -> str | None:
    customer = session.get(CustomerRow, (ws, customer_id)) if customer_id else None
    if customer is None:
        return None
    return customer.name or customer.email


# -- posting ----------------------------------------------------------------------------
@dataclass
class AlertPoster:
    """Posts a workspace's unposted signals to its alerts channel."""

    db: Database
    api_url: str
    token_for: TokenFor
    clock: Callable[[], datetime]
    gate: WriteGate = field(default_factory=lambda: WriteGate(enabled=False))

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        """A write transaction that waits its turn behind acknowledgements (SQLite)."""
        with self.gate.batch(), self.db.session() as session:
            yield session

    def post_pending(self, workspace_id: str, limit: int = 50) -> int:
        """Post what is waiting (at most ``limit``); returns how many messages were sent."""
        with self.db.session() as session:
            workspace = session.get(Workspace, workspace_id)
            rows = signal_store.unposted(session, workspace_id, limit)
            channel = workspace.alerts_channel if workspace else None
            zone = workspace.timezone if workspace else "UTC"
        if not rows:
            return 0
        if not channel:
            self._skip_all(rows, "no alerts channel set")
            return 0
        token = self.token_for(workspace_id)
        if not token:
            self._skip_all(rows, "no Slack bot token for this workspace")
            return 0
        client = WebClient(token=token, base_url=self.api_url)
        sent = 0
        for row in rows:
            if self._post_one(client, row, channel, _zone(zone)):
                sent += 1
        return sent

    def _skip_all(self, rows: list[SignalRow], reason: str) -> None:
        now = self.clock()
        with self._writing() as session:
            signal_store.skip_unposted(session, rows, now, reason)

    def _post_one(self, client: WebClient, row: SignalRow, channel: str, tz: tzinfo) -> bool:
        now = self.clock()
        with self._writing() as session:
            if not signal_store.claim(session, row.id, now):
                return False  # another poster has it
            view = alert_view(session, row)
        text, blocks = render_alert(view, tz, now)
        try:
            response = client.chat_postMessage(
                channel=channel, text=text, blocks=blocks, unfurl_links=False
            )
        except SlackApiError as exc:
            error = str(exc.response.get("error", "unknown_error"))
            with self._writing() as session:
                if error in PERMANENT:
                    signal_store.record_post(session, row.id, not_posted=f"Slack: {error}")
                else:
                    signal_store.release(session, row.id)
            log.warning("alert %s not posted: Slack error %s", row.kind, error)
            return False
        except (SlackClientError, OSError) as exc:
            with self._writing() as session:
                signal_store.release(session, row.id)
            log.warning("alert %s not posted (will retry): %s", row.kind, type(exc).__name__)
            return False
        with self._writing() as session:
            signal_store.record_post(
                session, row.id, channel=channel, ts=str(response.get("ts") or "")
            )
        return True


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return UTC
