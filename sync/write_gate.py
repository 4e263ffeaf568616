"""One writer at a time inside a process, acknowledgements first (SQLite only).

SQLite has a single write lock, and a writer that finds it taken sleeps in
growing steps (up to 100 ms) before trying again, while the webhook worker,
finishing one batch, takes the lock straight back for the next: under a
steady stream the acknowledgements starve. The gate orders writers in the
process instead: a waiting acknowledgement always goes before the worker's
next batch. PostgreSQL needs none of this (row locks, concurrent inserts),
so there the gate lets everyone through.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class WriteGate:
    """``with gate.ack():`` around an acknowledgement's write, ``gate.batch()`` around a batch."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._cond = threading.Condition()
        self._busy = False
        self._acks_waiting = 0

    @property
    def acks_waiting(self) -> bool:
        """Whether an acknowledgement waits for the lock now (a hint: read without locking)."""
        return self._acks_waiting > 0

    @contextmanager
    def ack(self) -> Iterator[None]:
        if not self.enabled:
            yield
            return
        with self._cond:
            self._acks_waiting += 1
            while self._busy:
                self._cond.wait()
            self._acks_waiting -= 1
            self._busy = True
        try:
            yield
        finally:
            self._release()

    @contextmanager
    def batch(self) -> Iterator[None]:
        if not self.enabled:
            yield
            return
        with self._cond:
            while self._busy or self._acks_waiting:
                self._cond.wait()
            self._busy = True
        try:
            yield
        finally:
            self._release()

    def _release(self) -> None:
        with self._cond:
            self._busy = False
            self._cond.notify_all()
