"""The background worker that applies acknowledged webhooks from the durable queue.

One thread per process. The webhook route wakes it (``notify``) after
enqueueing; it also polls every few seconds for any workspace with pending
events, and its first round at start-up drains whatever an earlier process
acknowledged but did not apply (SPEC §12: an acknowledged webhook is applied
even if the process died right after the ack). Several replicas may run one
each: ``sync.queue.drain`` claims rows safely.

Each workspace is drained with its own read-only Stripe client (refetches on
ties and incomplete payloads) in batches sized from the CPU time an event has
been taking (about 25 ms of work each, at least 20 events, at most 200), so a
batch holds SQLite's write lock only briefly; a batch also ends early once it
has held the lock 10 ms while an acknowledgement waits, and the rest of its
events stay pending for the next one. Each batch matches the customers it
wrote and marks the accounts it touched, and signals are derived in it
(:class:`sync.webhook_signals.SignalHooks`); ``after_drain`` then runs outside
any transaction (the bot posts alerts there). The marked accounts' figures are
recomputed in their own short transactions (``sync.incremental``): as soon as
the queue is idle, and at least every ``figures_every`` seconds under a steady
stream (one recompute then covers many events of the same accounts).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select

from core.settings import Settings
from storage.connections import decrypt_key, get_connection
from storage.db import Database
from storage.dirty_accounts import dirty_count, dirty_workspaces
from storage.models import SignalRow, StripeEvent
from storage.secrets import SecretBox
from sync.client import StripeReadClient
from sync.event_fetch import StripeReader
from sync.incremental import Refresher
from sync.queue import drain_batch
from sync.webhook_signals import SignalHooks
from sync.write_gate import WriteGate

log = logging.getLogger(__name__)

POLL_SECONDS = 5.0
BATCH_SIZE = 200  # at most this many events per batch (one transaction)
MIN_BATCH = 20  # below this, a batch's fixed cost (claim, signal scope, commit) dominates
BATCH_SECONDS = 0.025  # CPU time a batch is sized for: acknowledgements wait for the lock
YIELD_AFTER = 0.01  # a batch that has run this long ends early when an acknowledgement waits
FIGURES_EVERY = 1.0  # under a steady stream, marked accounts wait at most this long
FIGURES_BUDGET = 0.25  # seconds of recompute before the worker looks at the queue again
LINGER_SECONDS = 0.05  # after a wake-up, gather more deliveries before draining
ROUND_LIMIT = 500  # events per workspace per round, so one busy workspace cannot starve others

ClientFor = Callable[[str], "StripeReader | None"]
ReadClientFor = Callable[[str], "StripeReadClient | None"]
AfterDrain = Callable[[str, list[int]], None]


def pending_workspaces(db: Database) -> list[str]:
    """Workspaces with at least one pending event."""
    with db.session() as session:
        query = select(StripeEvent.workspace_id).where(StripeEvent.status == "pending").distinct()
        return sorted(session.scalars(query))


def workspaces_with_unposted_signals(db: Database) -> list[str]:
    """Workspaces whose signals wait for posting (Slack was down, or a crash came between)."""
    with db.session() as session:
        query = select(SignalRow.workspace_id).where(SignalRow.posted_at.is_(None)).distinct()
        return sorted(session.scalars(query))


def client_resolver(db: Database, settings: Settings, box: SecretBox) -> ReadClientFor:
    """A workspace's read-only Stripe client (None without a stored key)."""

    def client_for(workspace_id: str) -> StripeReadClient | None:
        with db.session() as session:
            connection = get_connection(session, workspace_id)
            if connection is None or connection.status == "disconnected":
                return None
            key = decrypt_key(connection, box)
        return StripeReadClient.for_key(key, settings) if key else None

    return client_for


class WebhookWorker:
    """Drains pending events in a daemon thread; ``drain_workspace`` also works inline."""

    def __init__(
        self,
        db: Database,
        clock: Callable[[], datetime],
        client_for: ClientFor,
        *,
        after_drain: AfterDrain | None = None,
        poll_seconds: float = POLL_SECONDS,
        batch_size: int = BATCH_SIZE,
        batch_seconds: float | None = BATCH_SECONDS,
        figures_every: float | None = FIGURES_EVERY,
        linger_seconds: float = LINGER_SECONDS,
        gate: WriteGate | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.client_for = client_for
        self.after_drain = after_drain
        self.poll_seconds = poll_seconds
        self.batch_size = batch_size
        self.batch_seconds = batch_seconds
        self._per_event = 0.002  # seconds per applied event, learned as batches run
        self.figures_every = figures_every
        self.linger_seconds = linger_seconds
        self.gate = gate or WriteGate(enabled=db.engine.dialect.name == "sqlite")
        self.figures = Refresher(db, self.gate)
        self._dirty: dict[str, float] = {}  # workspace -> monotonic time of its first mark
        self._wanted: set[str] = set()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.applied = 0  # events taken off the queue by this worker (for tests and benches)

    # -- lifecycle ----------------------------------------------------------------------
    def start(self) -> WebhookWorker:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="revbot-webhooks", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def notify(self, workspace_id: str) -> None:
        """A delivery for ``workspace_id`` was queued: drain it soon."""
        with self._lock:
            self._wanted.add(workspace_id)
        self._wake.set()

    # -- work ---------------------------------------------------------------------------
    def _run(self) -> None:
        poll = True  # the first round looks at every workspace (start-up drain)
        while not self._stop.is_set():
            try:
                self.run_round(everything=poll)
                self.refresh_figures(idle=not self._wake.is_set())
            except Exception:
                log.exception("webhook worker round failed")
            poll = not self._wake.wait(self.poll_seconds if not self._dirty else FIGURES_EVERY)
            if not poll and self.linger_seconds:
                # Let a burst of deliveries gather: one batch of many costs far less than
                # many batches of one (claim, signal scope, commit, alert check).
                self._stop.wait(self.linger_seconds)
            self._wake.clear()

    def run_round(self, *, everything: bool = True) -> int:
        """Drain notified workspaces (and, with ``everything``, all with pending events)."""
        with self._lock:
            wanted, self._wanted = self._wanted, set()
        if everything:
            wanted |= set(pending_workspaces(self.db))
            with self.db.session() as session:  # marks left by an earlier process
                for workspace_id in dirty_workspaces(session):
                    self._dirty.setdefault(workspace_id, time.monotonic())
        done = 0
        for workspace_id in sorted(wanted):
            try:
                done += self.drain_workspace(workspace_id)
            except Exception:
                log.exception("draining webhooks failed for a workspace")
        if everything:
            self._retry_alerts(wanted)
        return done

    def _retry_alerts(self, drained: set[str]) -> None:
        if self.after_drain is None:
            return
        for workspace_id in workspaces_with_unposted_signals(self.db):
            if workspace_id not in drained:
                try:
                    self.after_drain(workspace_id, [])
                except Exception:
                    log.exception("posting waiting alerts failed for a workspace")

    def refresh_figures(self, *, idle: bool = True) -> int:
        """Recompute marked accounts: all of them when the queue is idle, else those of
        workspaces whose marks have waited ``figures_every`` (a bounded slice of work)."""
        if self.figures_every is None:
            return 0
        now = time.monotonic()
        done = 0
        for workspace_id, since in sorted(self._dirty.items()):
            if not idle and now - since < self.figures_every:
                continue
            try:
                done += self.figures.refresh(
                    workspace_id,
                    self.clock(),
                    budget=None if idle else FIGURES_BUDGET,
                    stop=None if idle else self._wake.is_set,
                )
                if idle or not self._has_marks(workspace_id):
                    self._dirty.pop(workspace_id, None)
            except Exception:
                log.exception("recomputing account figures after webhooks failed")
        return done

    def _has_marks(self, workspace_id: str) -> bool:
        with self.db.session() as session:
            return dirty_count(session, workspace_id) > 0

    def _next_batch_size(self) -> int:
        """As many events as fit the time budget (claiming more than that is wasted work).

        Learned from this thread's CPU time, not the wall clock: waiting for the
        GIL while requests are served must not shrink batches to where their
        fixed cost is most of the work. The wall-clock limit (twice the budget)
        still ends a batch that runs long, e.g. on slow Stripe refetches.
        """
        if self.batch_seconds is None:
            return self.batch_size
        fit = int(self.batch_seconds / self._per_event)
        return max(min(MIN_BATCH, self.batch_size), min(self.batch_size, fit))

    def _yield_to_acks(self, held_since: float) -> Callable[[], bool]:
        """A batch's early stop: it has held the lock a while and an acknowledgement waits."""

        def stop() -> bool:
            return self.gate.acks_waiting and time.monotonic() - held_since > YIELD_AFTER

        return stop

    def _learn(self, handled: int, seconds: float) -> None:
        if handled:
            self._per_event = 0.7 * self._per_event + 0.3 * max(seconds / handled, 1e-5)

    def drain_workspace(self, workspace_id: str) -> int:
        """Apply the workspace's pending events (one round's worth); how many left the queue."""
        client = self.client_for(workspace_id)
        hooks = SignalHooks(now=self.clock())
        done = 0
        while done < ROUND_LIMIT:
            size = self._next_batch_size()
            with self.gate.batch():  # one batch per turn: waiting acknowledgements go first
                started = time.thread_time()
                handled, more = drain_batch(
                    self.db,
                    workspace_id,
                    client,
                    hooks.now,
                    size,
                    hooks=hooks,
                    budget=None if self.batch_seconds is None else 2 * self.batch_seconds,
                    stop=self._yield_to_acks(time.monotonic()),
                )
                self._learn(handled, time.thread_time() - started)
            done += handled
            if not more or not handled:
                break
        self.applied += done
        if done:
            self._dirty.setdefault(workspace_id, time.monotonic())
            if self.figures_every is not None and time.monotonic() - self._dirty[workspace_id] > (
                self.figures_every
            ):
                self.refresh_figures(idle=False)
        if done >= ROUND_LIMIT:
            self.notify(workspace_id)  # more waiting: come back after the others
        if self.after_drain is not None and (done or hooks.new_signal_ids):
            try:
                self.after_drain(workspace_id, hooks.new_signal_ids)
            except Exception:
                log.exception("after-drain step failed for a workspace")
        return done
