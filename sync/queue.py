"""The durable webhook queue: acknowledged events wait in ``stripe_events`` until applied.

The webhook route calls ``enqueue`` (one insert, deduplicated by event id)
and answers 2xx; ``drain`` applies pending events oldest first, many per
transaction (``drain_batch``), without a savepoint per event unless one of
them fails (then the batch is redone event by event). Claiming is
safe across replicas: PostgreSQL skips rows another drain has locked
(``FOR UPDATE SKIP LOCKED``) and serialises work on the same Stripe object
with advisory locks; SQLite takes its single write lock per batch. An event
whose apply raises is marked ``failed`` with the error text; when Stripe is
unavailable (a refetch failed) it stays pending for the next drain.
Each batch ends, in its transaction, with ``sync.incremental.settle_batch``:
its customers are matched to their accounts and the accounts to recompute are
marked. ``hooks`` (optional) see each claimed batch inside its transaction,
before it is applied and after it is settled: signals are derived there, so
they commit with the state they describe.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from storage import event_log
from storage.db import Database
from storage.event_log import Claimed, Outcome
from sync.errors import StripeUnavailable
from sync.event_fetch import StripeReader
from sync.events import ApplyBatch, apply_payload, event_outcome_status, event_target
from sync.incremental import settle_batch
from sync.readers import read_event

BATCH_SIZE = 50


class BatchHooks(Protocol):
    """Called inside a drain batch's transaction (see :mod:`sync.webhook_signals`)."""

    def before(self, session: Session, workspace_id: str, rows: list[Claimed]) -> None: ...

    def after(self, session: Session, workspace_id: str, rows: list[Claimed]) -> None: ...


def enqueue(
    session: Session, workspace_id: str, event: dict[str, Any], source: str, now: datetime
) -> bool:
    """Record a verified event as pending; False when it was already recorded."""
    parsed = read_event(event)
    return event_log.record_event(
        session,
        workspace_id,
        event_id=parsed.id,
        type_=parsed.type,
        created=parsed.created,
        object_id=parsed.object_id,
        api_version=parsed.api_version,
        payload=event,
        source=source,
        status=event_log.PENDING,
        now=now,
    )


def drain(
    db: Database,
    workspace_id: str,
    client: StripeReader | None,
    now: datetime,
    limit: int = 1000,
    *,
    batch_size: int = BATCH_SIZE,
    hooks: BatchHooks | None = None,
) -> int:
    """Apply up to ``limit`` pending events of the workspace in created order.

    Returns how many events left the queue (applied, ignored or failed).
    """
    done = 0
    while done < limit:
        size = min(batch_size, limit - done)
        handled, more = drain_batch(db, workspace_id, client, now, size, hooks=hooks)
        done += handled
        if not more:
            break
    return done


def drain_batch(
    db: Database,
    workspace_id: str,
    client: StripeReader | None,
    now: datetime,
    size: int,
    *,
    hooks: BatchHooks | None = None,
    budget: float | None = None,
    stop: Callable[[], bool] | None = None,
) -> tuple[int, bool]:
    """Claim up to ``size`` events and apply them in one transaction; (handled, go on).

    With ``budget`` (seconds) the batch stops early once it has used that long,
    and as soon as ``stop()`` says so (checked after each event): the rest stay
    pending for the next batch, so SQLite's write lock is never held long while
    acknowledgements wait for it.

    Events are first applied without a savepoint each (a savepoint costs more
    than applying most events); if one raises, the whole batch is rolled back
    and done again event by event in savepoints, so a bad event is marked
    failed alone and an outage keeps the rest pending.
    """
    started = time.monotonic()

    def enough() -> bool:
        if budget is not None and time.monotonic() - started > budget:
            return True
        return stop is not None and stop()

    try:
        return _drain_batch(db, workspace_id, client, now, size, hooks, enough, careful=False)
    except _RetryCarefully:
        return _drain_batch(db, workspace_id, client, now, size, hooks, enough, careful=True)


class _RetryCarefully(Exception):
    """An event raised in a batch applied without savepoints: redo it with them."""


def _drain_batch(
    db: Database,
    workspace_id: str,
    client: StripeReader | None,
    now: datetime,
    size: int,
    hooks: BatchHooks | None,
    enough: Callable[[], bool],
    *,
    careful: bool,
) -> tuple[int, bool]:
    with db.session() as session:
        rows = event_log.claim_pending(session, workspace_id, size)
        if not rows:
            return 0, False
        targets = (event_target(read_event(row.payload)) for row in rows)
        event_log.lock_objects(session, workspace_id, (t[1] for t in targets if t))
        if hooks is not None:
            hooks.before(session, workspace_id, rows)
        apply = _apply_rows_carefully if careful else _apply_rows_fast
        applied, more = apply(session, workspace_id, rows, client, now, enough)
        session.flush()
        events = [r.payload for r in applied]
        settle_batch(session, workspace_id, events, now, source="webhook", client=client)
        if hooks is not None:
            hooks.after(session, workspace_id, rows)
        handled = len(applied)
        return handled, more and (handled < len(rows) or len(rows) == size)


def _apply_rows_fast(
    session: Session,
    workspace_id: str,
    rows: list[Claimed],
    client: StripeReader | None,
    now: datetime,
    enough: Callable[[], bool],
) -> tuple[list[Claimed], bool]:
    """Apply claimed rows in order, no savepoints; raises ``_RetryCarefully`` on any error.

    Returns the rows that left the queue, and whether to go on."""
    batch = ApplyBatch()
    outcomes: list[Outcome] = []
    for row in rows:
        try:
            outcome = apply_payload(session, workspace_id, row.payload, client, now, batch=batch)
        except Exception as exc:
            raise _RetryCarefully from exc
        outcomes.append(Outcome(row.id, event_outcome_status(outcome), now))
        if enough():
            break
    event_log.record_outcomes(session, workspace_id, outcomes)
    return rows[: len(outcomes)], True


def _apply_rows_carefully(
    session: Session,
    workspace_id: str,
    rows: list[Claimed],
    client: StripeReader | None,
    now: datetime,
    enough: Callable[[], bool],
) -> tuple[list[Claimed], bool]:
    """Apply claimed rows in order, each in a savepoint; the rows that left the queue, and
    False when Stripe is down."""
    batch = ApplyBatch()
    outcomes: list[Outcome] = []
    more = True
    for row in rows:
        try:
            with session.begin_nested():
                outcome = apply_payload(
                    session, workspace_id, row.payload, client, now, batch=batch
                )
        except StripeUnavailable as exc:
            # Stripe is down: keep this and later events pending, retry next drain.
            outcomes.append(Outcome(row.id, event_log.PENDING, None, exc.detail))
            more = False
            break
        except Exception as exc:  # a bad event must not block the queue
            error = f"{type(exc).__name__}: {exc}"
            outcomes.append(Outcome(row.id, event_log.FAILED, now, error))
        else:
            outcomes.append(Outcome(row.id, event_outcome_status(outcome), now))
        if enough():
            break
    event_log.record_outcomes(session, workspace_id, outcomes)
    done = {o.event_id for o in outcomes if o.status != event_log.PENDING}
    return [row for row in rows if row.id in done], more
