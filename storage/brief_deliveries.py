"""The Monday Brief's delivery rows: one per workspace and ISO week, claimed before posting.

SQL for :mod:`briefs.scheduled`. A replica *claims* a week by inserting its row
(the primary key lets one insert win); the row records which replica holds it
and when it claimed it on the wall clock (``claimed_at``), because a claim
expires on real time even when ``REVBOT_NOW`` fixes the business date. Taking
over a claim older than the TTL is one conditional UPDATE that names the
previous holder and claim time, so only one replica wins it. Each function is
its own short transaction, so other replicas see it at once.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.models import BriefDelivery

CLAIMED, SENT, UNKNOWN = "claimed", "sent", "unknown"


@dataclass(frozen=True)
class HeldClaim:
    """A week's delivery row as another replica left it."""

    holder: str | None
    claimed_at: datetime | None  # wall clock
    status: str


def taken_weeks(
    db: Database, keys: Collection[tuple[str, str]], wall: datetime, ttl: timedelta
) -> set[tuple[str, str]]:
    """Of ``(workspace, week)`` keys, those sent, unknown, or claimed less than ``ttl`` ago."""
    if not keys:
        return set()
    with db.session() as session:
        rows = session.execute(
            select(BriefDelivery.workspace_id, BriefDelivery.week).where(
                BriefDelivery.workspace_id.in_({ws for ws, _ in keys}),
                or_(
                    BriefDelivery.status != CLAIMED,
                    BriefDelivery.claimed_at > wall - ttl,
                ),
            )
        ).all()
    return {(ws, week) for ws, week in rows} & set(keys)


def insert_claim(
    db: Database,
    workspace_id: str,
    week: str,
    channel: str,
    now: datetime,
    holder: str,
    wall: datetime,
) -> bool:
    """Claim the week; False when a row exists already (claimed, sent or unknown)."""
    try:
        with db.session() as session:
            session.add(
                BriefDelivery(
                    workspace_id=workspace_id,
                    week=week,
                    channel=channel,
                    sent_at=now,
                    status=CLAIMED,
                    claimed_by=holder,
                    claimed_at=wall,
                )
            )
    except IntegrityError:
        return False
    return True


def held_claim(db: Database, workspace_id: str, week: str) -> HeldClaim | None:
    with db.session() as session:
        row = session.get(BriefDelivery, (workspace_id, week))
        if row is None:
            return None
        return HeldClaim(row.claimed_by, row.claimed_at, row.status)


def take_over(
    db: Database,
    workspace_id: str,
    week: str,
    channel: str,
    previous: HeldClaim,
    now: datetime,
    holder: str,
    wall: datetime,
) -> bool:
    """Take ``previous`` (a stale claim) over; only one replica's UPDATE matches it."""
    same_holder = (
        BriefDelivery.claimed_by.is_(None)
        if previous.holder is None
        else BriefDelivery.claimed_by == previous.holder
    )
    same_time = (
        BriefDelivery.claimed_at.is_(None)
        if previous.claimed_at is None
        else BriefDelivery.claimed_at == previous.claimed_at
    )
    with db.session() as session:
        taken = session.execute(
            update(BriefDelivery)
            .where(
                BriefDelivery.workspace_id == workspace_id,
                BriefDelivery.week == week,
                BriefDelivery.status == CLAIMED,
                same_holder,
                same_time,
            )
            .values(sent_at=now, channel=channel, claimed_by=holder, claimed_at=wall)
        )
        return bool(getattr(taken, "rowcount", 0))


def settle(
    db: Database,
    workspace_id: str,
    week: str,
    holder: str,
    status: str,
    now: datetime,
    message_ts: str | None = None,
) -> bool:
    """Record the outcome of our claim (``sent`` or ``unknown``); False if it is not ours."""
    with db.session() as session:
        done = session.execute(
            update(BriefDelivery)
            .where(
                BriefDelivery.workspace_id == workspace_id,
                BriefDelivery.week == week,
                BriefDelivery.claimed_by == holder,
            )
            .values(status=status, sent_at=now, message_ts=message_ts)
        )
        return bool(getattr(done, "rowcount", 0))


def release(db: Database, workspace_id: str, week: str, holder: str) -> None:
    """Give our claim back (nothing was posted) so a later run retries."""
    with db.session() as session:
        session.execute(
            delete(BriefDelivery).where(
                BriefDelivery.workspace_id == workspace_id,
                BriefDelivery.week == week,
                BriefDelivery.claimed_by == holder,
                BriefDelivery.status == CLAIMED,
            )
        )
