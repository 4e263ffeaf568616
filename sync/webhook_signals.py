"""Signals from a drained webhook batch: compare the touched customers before and after.

Why snapshots and not "the event says payment_failed, so alert": the billing
rules already define every signal as a change between two states
(``billing.signals.derive_signals``), and comparing stored state makes the
outcome independent of delivery quirks. A redelivered or out-of-order event
changes nothing (it is deduplicated or skipped as older), so it yields no
signal; a refetch that jumps over several steps still yields the right one;
the same rules serve a catch-up. To stay fast, only the *scope* is loaded
(the batch's customers and their accounts, see :mod:`storage.signal_scope`).

Runs inside the batch's transaction (``sync.queue.drain(hooks=...)``), so
signals commit together with the state they describe: a crash loses neither.
Each hook works in a savepoint and logs its own failure, so a signal problem
never blocks applying events.

A batch's customers are matched to their accounts before ``after`` runs
(``sync.incremental.settle_batch``), so the scope is widened then to the
customers of the accounts they joined, read as they were (the batch did not
change them): a customer joining a paying account is no new customer, one
arriving with its own account is, and its earlier subscriptions and invoices
(applied while it was unknown) appear in this batch, naming the account.

``renewal_upcoming`` is left out of alerts: it is a routine, time-driven
reminder (the Monday Brief lists renewals), and deriving it here would fire
only for subscriptions that happened to receive an event. ``trial_ending``
stays: Stripe's ``customer.subscription.trial_will_end`` arrives three days
before a trial ends, which is exactly that signal's window.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from billing.ledger import Ledger
from billing.signals import SIGNAL_KINDS, SignalRules, derive_signals
from storage.connections import get_connection
from storage.event_log import Claimed
from storage.signal_scope import load_scope, merged, scope_customers
from storage.signal_store import store_signals

log = logging.getLogger(__name__)

ALERT_KINDS = frozenset(SIGNAL_KINDS) - {"renewal_upcoming"}
# Objects whose change can make a signal: their owner's state is compared. A customer
# event can too (the customer joins an account with what it already had); a product or
# price event changes no subscription or invoice state that signals read.
SIGNAL_OBJECTS = frozenset({"subscription", "invoice", "discount", "credit_note"})
DEFAULT_WINDOW_MONTHS = 12


def customer_of(event: dict[str, Any]) -> str | None:
    """The customer whose subscriptions or invoices an event may change (None: no signal)."""
    obj = (event.get("data") or {}).get("object") or {}
    if not isinstance(obj, dict):
        return None
    if obj.get("object") == "customer":
        return str(obj["id"]) if obj.get("id") else None
    if obj.get("object") not in SIGNAL_OBJECTS:
        return None
    owner = obj.get("customer")
    if isinstance(owner, dict):
        owner = owner.get("id")
    return str(owner) if owner else None


@dataclass
class SignalHooks:
    """``BatchHooks`` for ``sync.queue.drain``: stores new signals, remembers their ids."""

    now: datetime
    rules: SignalRules = field(default_factory=SignalRules)
    kinds: frozenset[str] = ALERT_KINDS
    new_signal_ids: list[int] = field(default_factory=list)
    _customers: set[str] = field(default_factory=set)
    _scope: set[str] = field(default_factory=set)
    _before: Ledger | None = None
    _window_start: datetime | None = None
    _windows: dict[str, datetime] = field(default_factory=dict)

    def before(self, session: Session, workspace_id: str, rows: list[Claimed]) -> None:
        self._scope, self._before = set(), None
        customers = {c for c in (customer_of(r.payload) for r in rows) if c}
        self._customers = customers
        if not customers:
            return
        try:
            with session.begin_nested():
                self._window_start = self._window(session, workspace_id)
                self._scope = scope_customers(session, workspace_id, customers)
                self._before = load_scope(session, workspace_id, self._scope, self._window_start)
        except Exception:
            log.exception("signals: could not read the state before a webhook batch")
            self._scope, self._before = set(), None

    def after(self, session: Session, workspace_id: str, rows: list[Claimed]) -> None:
        if self._before is None or self._window_start is None:
            return
        try:
            with session.begin_nested():
                before, scope = self._before, self._scope
                joined = scope_customers(session, workspace_id, self._customers) - scope
                if joined:  # customers of the accounts the batch's customers joined
                    extra = load_scope(session, workspace_id, joined, self._window_start)
                    before, scope = merged(before, extra), scope | joined
                current = load_scope(session, workspace_id, scope, self._window_start)
                found = derive_signals(before, current, self.now, self.now, self.rules)
                wanted = [s for s in found if s.kind in self.kinds]
                self.new_signal_ids += store_signals(session, workspace_id, wanted, self.now)
        except Exception:
            log.exception("signals: could not derive signals after a webhook batch")
        finally:
            self._scope, self._before = set(), None

    def _window(self, session: Session, workspace_id: str) -> datetime:
        """The workspace's window start, read once per hooks (one drain round)."""
        if workspace_id not in self._windows:
            self._windows[workspace_id] = self._read_window(session, workspace_id)
        return self._windows[workspace_id]

    def _read_window(self, session: Session, workspace_id: str) -> datetime:
        connection = get_connection(session, workspace_id)
        if connection is not None and connection.window_start is not None:
            return connection.window_start
        return self.now - relativedelta(months=DEFAULT_WINDOW_MONTHS)
