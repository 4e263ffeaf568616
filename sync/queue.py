"""The durable webhook queue: acknowledged events wait in ``stripe_events`` until applied.

The webhook route calls ``enqueue`` (one insert, deduplicated by event id)
and answers 2xx; ``drain`` applies pending events oldest first. Claiming is
safe across replicas: PostgreSQL skips rows another drain has locked
(``FOR UPDATE SKIP LOCKED``) and serialises work on the same Stripe object
with advisory locks; SQLite takes its single write lock per batch. An event
whose apply raises is marked ``failed`` with the error text; when Stripe is
unavailable (a refetch failed) it stays pending for the next drain.
``hooks`` (optional) see each claimed batch inside its transaction, before and
after it is applied: signals are derived there, so they commit with the state
they describe.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from storage import event_log
from storage.db import Database
from storage.models import StripeEvent
from sync.errors import StripeUnavailable
from sync.event_fetch import StripeReader
from sync.events import ApplyBatch, apply_payload, event_outcome_status, event_target
from sync.readers import read_event

BATCH_SIZE = 50


class BatchHooks(Protocol):
    """Called inside a drain batch's transaction (see :mod:`sync.webhook_signals`)."""

    def before(self, session: Session, workspace_id: str, rows: list[StripeEvent]) -> None: ...

    def after(self, session: Session, workspace_id: str, rows: list[StripeEvent]) -> None: ...


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
        handled, more = _drain_batch(db, workspace_id, client, now, size, hooks)
        done += handled
        if not more:
            break
    return done


def _drain_batch(
    db: Database,
    workspace_id: str,
    client: StripeReader | None,
    now: datetime,
    size: int,
    hooks: BatchHooks | None = None,
) -> tuple[int, bool]:
    """One claimed batch in one transaction; (events handled, whether to go on)."""
    with db.session() as session:
        rows = event_log.claim_pending(session, workspace_id, size)
        if not rows:
            return 0, False
        targets = (event_target(read_event(row.payload)) for row in rows)
        event_log.lock_objects(session, workspace_id, (t[1] for t in targets if t))
        if hooks is not None:
            hooks.before(session, workspace_id, rows)
        handled, more = _apply_rows(session, workspace_id, rows, client, now)
        if hooks is not None:
            session.flush()
            hooks.after(session, workspace_id, rows)
        return handled, more and len(rows) == size


def _apply_rows(
    session: Session,
    workspace_id: str,
    rows: list[StripeEvent],
    client: StripeReader | None,
    now: datetime,
) -> tuple[int, bool]:
    """Apply claimed rows in order; (events handled, False when Stripe is unavailable)."""
    batch = ApplyBatch()
    handled = 0
    for row in rows:
        try:
            with session.begin_nested():
                outcome = apply_payload(
                    session, workspace_id, row.payload, client, now, batch=batch
                )
        except StripeUnavailable as exc:
            # Stripe is down: keep this and later events pending, retry next drain.
            event_log.mark(row, event_log.PENDING, None, exc.detail)
            return handled, False
        except Exception as exc:  # a bad event must not block the queue
            error = f"{type(exc).__name__}: {exc}"
            event_log.mark(row, event_log.FAILED, now, error)
            handled += 1
            continue
        event_log.mark(row, event_outcome_status(outcome), now)
        handled += 1
    return handled, True
