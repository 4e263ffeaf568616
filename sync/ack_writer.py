"""Group commit for webhook acknowledgements: many verified deliveries, one transaction.

Each delivery must be durably in the queue table before its 200 goes out
(SPEC §12). Committing each in its own transaction from its own thread-pool
thread costs a session, a commit and a thread hand-off per delivery, and under
load the threads mostly queue for SQLite's single write lock anyway. Here one
thread takes every delivery waiting, inserts them (insert-or-ignore, so a
duplicate in the same group is still just a duplicate) and commits once; each
caller's future is resolved only after that commit.

If a group's transaction fails, its deliveries are written again one by one,
so one bad delivery fails alone (its caller answers 5xx and Stripe retries).
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from concurrent.futures import Future
from datetime import datetime

from storage.db import Database
from sync.webhook_receiver import Verified, record
from sync.write_gate import WriteGate

log = logging.getLogger(__name__)

MAX_GROUP = 200  # deliveries per transaction

_Item = tuple[Verified, datetime, "Future[bool]"]


class AckWriter:
    """``submit`` a verified delivery; the future says True (queued) or False (duplicate)."""

    def __init__(self, db: Database, gate: WriteGate, max_group: int = MAX_GROUP) -> None:
        self.db = db
        self.gate = gate
        self.max_group = max_group
        self._items: deque[_Item] = deque()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopped = False

    def submit(self, verified: Verified, now: datetime) -> Future[bool]:
        future: Future[bool] = Future()
        with self._cond:
            if self._stopped:
                raise RuntimeError("the acknowledgement writer is stopped")
            self._items.append((verified, now, future))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="revbot-webhook-acks", daemon=True
                )
                self._thread.start()
            self._cond.notify()
        return future

    def stop(self, timeout: float = 10.0) -> None:
        """Write what is waiting, then end the thread."""
        with self._cond:
            self._stopped = True
            self._cond.notify()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._items and not self._stopped:
                    self._cond.wait()
                if not self._items:
                    return
                group = [
                    self._items.popleft() for _ in range(min(self.max_group, len(self._items)))
                ]
            self._write(group)

    def _write(self, group: list[_Item]) -> None:
        try:
            results = self._commit(group)
        except Exception as exc:
            if len(group) > 1:
                for item in group:  # one bad delivery must not fail the others
                    self._write([item])
                return
            log.exception("recording a webhook delivery failed")
            future = group[0][2]
            if future.set_running_or_notify_cancel():
                future.set_exception(exc)
            return
        for (_, _, future), queued in zip(group, results, strict=True):
            if future.set_running_or_notify_cancel():  # False: the request went away
                future.set_result(queued)

    def _commit(self, group: list[_Item]) -> list[bool]:
        with self.gate.ack(), self.db.session() as session:
            return [record(session, verified, now) for verified, now, _ in group]
