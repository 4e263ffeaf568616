"""Send each workspace's Monday Brief once a week, exactly once (SPEC §10).

``revbot serve`` runs :func:`send_due_briefs` every minute (and once at start)
with the Slack poster of :mod:`bot.brief_sender`. A workspace is due when, in its own time zone,
today is its brief day and its brief time has passed, and no
:class:`~storage.models.BriefDelivery` exists for this ISO week. Because the
check only looks at *today*, a brief missed while the service was down goes out
when it comes back the same day, never on a later day.

Exactly once across replicas and restarts: a replica first *claims* the week by
inserting the delivery row (``status='claimed'``) in its own transaction; the
``(workspace_id, week)`` primary key lets only one insert win. Only the winner
renders and posts, then marks the row ``sent``. If Slack answers the post with
an error (nothing was posted) the claim is deleted so a later run retries. A
claim older than :data:`CLAIM_TTL` that never became ``sent`` belongs to a
process that died before posting: a later run takes it over (one conditional
UPDATE wins) and sends. If the outcome is unknown (the connection dropped after
the request went out) the row is marked ``unknown`` and kept — a brief possibly
missed beats a brief sent twice.

A claim's age is wall-clock time (``wall``: ``revbot serve`` passes the real clock):
``REVBOT_NOW`` fixes which week is due, but with it frozen a claim measured by
it would never grow old and an abandoned week would never be sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from answers.model import workspace_tz
from briefs.render import render
from briefs.service import build_brief
from storage.db import Database
from storage.models import BriefDelivery, Workspace

log = logging.getLogger(__name__)

CHECK_SECONDS = 60
JOB_ID = "monday-brief"
# Building and posting a brief takes seconds; a claim this old was abandoned by a dead process.
CLAIM_TTL = timedelta(minutes=10)
CLAIMED, SENT, UNKNOWN = "claimed", "sent", "unknown"

# (workspace id, channel, text, blocks) -> posts, raising on failure
Poster = Callable[[str, str, str, list[dict[str, Any]]], None]
TokenFor = Callable[[str], "str | None"]


@dataclass(frozen=True)
class Outcome:
    """What one run did for one due workspace."""

    workspace_id: str
    week: str
    status: str  # sent | claimed_elsewhere | failed_retry | failed_unknown | no_token


# -- when a brief is due ------------------------------------------------------------


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _clock_time(text: str) -> time:
    try:
        hour, minute = (int(p) for p in text.split(":"))
        return time(hour, minute)
    except ValueError:
        return time(9, 0)


def scheduled_at(weekday: int, at: str, zone: str | None, now: datetime) -> datetime | None:
    """This local day's brief instant when today is the brief day in ``zone``, else None."""
    tz = workspace_tz(zone)
    today = now.astimezone(tz).date()
    if today.weekday() != weekday % 7:
        return None
    # combine + astimezone keeps wall-clock 09:00 right across DST changes
    return datetime.combine(today, _clock_time(at), tzinfo=tz).astimezone(UTC)


def next_brief_at(weekday: int, at: str, zone: str | None, now: datetime) -> datetime:
    """The next brief instant after ``now``, in ``zone`` (what the App Home shows)."""
    tz = workspace_tz(zone)
    today = now.astimezone(tz).date()
    day = today + timedelta(days=(weekday % 7 - today.weekday()) % 7)
    instant = datetime.combine(day, _clock_time(at), tzinfo=tz)
    if instant <= now:
        instant = datetime.combine(day + timedelta(days=7), _clock_time(at), tzinfo=tz)
    return instant


def due_week(weekday: int, at: str, zone: str | None, now: datetime) -> str | None:
    """The ISO week to deliver now, or None when not due (not the day, or too early)."""
    instant = scheduled_at(weekday, at, zone, now)
    if instant is None or now < instant:
        return None
    return iso_week(now.astimezone(workspace_tz(zone)).date())


@dataclass(frozen=True)
class Due:
    workspace_id: str
    channel: str
    week: str


def due_workspaces(db: Database, now: datetime, wall: datetime | None = None) -> list[Due]:
    """Workspaces whose brief is due now and not yet delivered (or claimed: a claim is
    fresh until ``CLAIM_TTL`` after it was made, by the wall clock ``wall``) this week."""
    claims_after = (wall or now) - CLAIM_TTL
    with db.session() as session:
        rows = session.execute(
            select(
                Workspace.id,
                Workspace.brief_channel,
                Workspace.brief_weekday,
                Workspace.brief_time,
                Workspace.timezone,
            ).where(Workspace.brief_channel.is_not(None), Workspace.brief_channel != "")
        ).all()
        candidates = [
            Due(ws_id, channel, week)
            for ws_id, channel, weekday, at, zone in rows
            if channel and (week := due_week(weekday, at, zone, now)) is not None
        ]
        if not candidates:
            return []
        taken = set(
            session.execute(
                select(BriefDelivery.workspace_id, BriefDelivery.week).where(
                    BriefDelivery.workspace_id.in_([c.workspace_id for c in candidates]),
                    (BriefDelivery.status != CLAIMED) | (BriefDelivery.sent_at > claims_after),
                )
            ).all()
        )
    return [c for c in candidates if (c.workspace_id, c.week) not in taken]


# -- claiming --------------------------------------------------------------------------


def claim(db: Database, due: Due, now: datetime) -> bool:
    """Claim the week's delivery at the wall-clock instant ``now``; False when another
    replica or run holds or sent it."""
    try:
        with db.session() as session:
            session.add(
                BriefDelivery(
                    workspace_id=due.workspace_id,
                    week=due.week,
                    channel=due.channel,
                    sent_at=now,
                    status=CLAIMED,
                )
            )
    except IntegrityError:
        return _take_over_stale(db, due, now)
    return True


def _take_over_stale(db: Database, due: Due, now: datetime) -> bool:
    """Renew a claim abandoned before posting; only one replica's UPDATE matches the row."""
    with db.session() as session:
        taken = session.execute(
            update(BriefDelivery)
            .where(
                BriefDelivery.workspace_id == due.workspace_id,
                BriefDelivery.week == due.week,
                BriefDelivery.status == CLAIMED,
                BriefDelivery.sent_at <= now - CLAIM_TTL,
            )
            .values(sent_at=now, channel=due.channel)
        )
        return bool(getattr(taken, "rowcount", 0))


def _mark(db: Database, due: Due, status: str, now: datetime) -> None:
    with db.session() as session:
        session.execute(
            update(BriefDelivery)
            .where(BriefDelivery.workspace_id == due.workspace_id, BriefDelivery.week == due.week)
            .values(status=status, sent_at=now)
        )


def release(db: Database, due: Due) -> None:
    """Give the week back so a later run retries (only when nothing was posted)."""
    with db.session() as session:
        session.execute(
            delete(BriefDelivery).where(
                BriefDelivery.workspace_id == due.workspace_id, BriefDelivery.week == due.week
            )
        )


# -- sending ---------------------------------------------------------------------------


def deliver(
    db: Database, due: Due, now: datetime, poster: Poster, wall: datetime | None = None
) -> str:
    """Claim (at the wall-clock instant ``wall``), render and post one workspace's brief
    as of ``now``; the outcome's status."""
    if not claim(db, due, wall or now):
        return "claimed_elsewhere"
    try:
        with db.session() as session:
            brief = build_brief(session, due.workspace_id, now, now)
        rendered = render(brief)
    except Exception:
        log.exception("brief for %s could not be built; will retry", due.workspace_id)
        release(db, due)
        return "failed_retry"
    try:
        poster(due.workspace_id, due.channel, rendered.text, rendered.blocks)
    except SlackApiError as exc:
        # Slack answered with ok=false: nothing was posted, so the week can be retried.
        log.warning(
            "brief for %s not posted (%s); will retry",
            due.workspace_id,
            exc.response.get("error") if exc.response is not None else exc,
        )
        release(db, due)
        return "failed_retry"
    except Exception:
        log.exception("brief for %s: post outcome unknown; not retrying", due.workspace_id)
        _mark(db, due, UNKNOWN, now)
        return "failed_unknown"
    _mark(db, due, SENT, now)
    log.info("brief for %s sent to %s (%s)", due.workspace_id, due.channel, due.week)
    return "sent"


def send_due_briefs(
    db: Database,
    now: datetime,
    poster: Poster,
    token_for: TokenFor | None = None,
    *,
    wall: Callable[[], datetime] | None = None,
) -> list[Outcome]:
    """Send every brief due at ``now``; workspaces without a bot token are skipped unclaimed.
    Claims are dated and aged by ``wall`` (the real clock; ``now`` when not given)."""
    out: list[Outcome] = []
    real = wall or (lambda: now)
    for due in due_workspaces(db, now, real()):
        if token_for is not None and not token_for(due.workspace_id):
            out.append(Outcome(due.workspace_id, due.week, "no_token"))
            continue
        out.append(Outcome(due.workspace_id, due.week, deliver(db, due, now, poster, real())))
    return out
