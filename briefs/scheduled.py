"""Send each workspace's Monday Brief once a week, exactly once (SPEC §10).

``revbot serve`` runs :func:`send_due_briefs` every ``REVBOT_BRIEF_CHECK_SECONDS``
(and once at start) with the Slack side of :mod:`bot.brief_sender`. A workspace
is due when, in its own time zone, today is its brief day and its brief time
has passed, and no :class:`~storage.models.BriefDelivery` exists for this ISO
week. Because the check only looks at *today*, a brief missed while the service
was down goes out when it comes back the same day, never on a later day.

Exactly once across replicas, restarts and crashes ("a brief possibly missed
beats one sent twice"):

- A replica first *claims* the week by inserting the delivery row in its own
  transaction (``storage.brief_deliveries``); the ``(workspace_id, week)`` key
  lets one insert win. Only the winner renders and posts, then marks the row
  ``sent`` with the message's ts. Each replica logs whether it claimed or lost.
- The brief is posted with Slack message metadata (``event_type``
  ``revbot_brief``, payload: workspace and ISO week), so the message itself
  says which delivery it is.
- If Slack answers the post with an error, nothing was posted: the claim is
  released and a later run retries. If the outcome is unknown (the connection
  dropped after the request went out) the row is marked ``unknown`` and kept.
- A claim older than the claim TTL (``REVBOT_BRIEF_CLAIM_SECONDS``, on the wall
  clock) that never became ``sent`` belongs to a replica that died — perhaps
  after Slack had taken its post. A later run takes it over (one conditional
  UPDATE wins) and, before posting, looks for the brief in the channel
  (``conversations.history`` with metadata, from a little before the dead
  claim): found → recorded ``sent`` and not posted again; not found → posted;
  Slack cannot be asked (no access to the channel's history, an error, no
  lookup at all) → recorded ``unknown`` and not posted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol

from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from answers.model import workspace_tz
from briefs.render import render
from briefs.service import build_brief
from core.clock import wall_now
from core.replica import REPLICA_ID
from storage import brief_deliveries as rows
from storage.brief_deliveries import SENT, UNKNOWN, HeldClaim
from storage.db import Database
from storage.models import Workspace

log = logging.getLogger(__name__)

JOB_ID = "monday-brief"
# Building and posting a brief takes seconds; a claim this old was abandoned by a dead process.
CLAIM_TTL = timedelta(minutes=10)
# Slack's ts and our wall clock may differ a little; look this far before the dead claim.
LOOKBACK_MARGIN = timedelta(minutes=10)
EVENT_TYPE = "revbot_brief"

TokenFor = Callable[[str], "str | None"]
Wall = Callable[[], datetime]


class Poster(Protocol):
    """Posts a brief; returns the message's ts (None if Slack gave none). Raises
    ``SlackApiError`` when Slack refused it (nothing posted), anything else when the
    outcome is unknown."""

    def __call__(
        self,
        workspace_id: str,
        channel: str,
        text: str,
        blocks: list[dict[str, Any]],
        metadata: dict[str, Any],
    ) -> str | None: ...


class Finder(Protocol):
    """Looks in ``channel`` for a message carrying ``metadata`` posted after ``since``;
    its ts, or None when it is not there. Raises when Slack cannot be asked."""

    def __call__(
        self, workspace_id: str, channel: str, metadata: dict[str, Any], since: datetime
    ) -> str | None: ...


@dataclass(frozen=True)
class Outcome:
    """What one run did for one due workspace."""

    workspace_id: str
    week: str
    # sent | found_sent | claimed_elsewhere | failed_retry | failed_unknown | no_token
    status: str


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


def brief_metadata(due: Due) -> dict[str, Any]:
    """The Slack message metadata that marks this delivery's message."""
    return {
        "event_type": EVENT_TYPE,
        "event_payload": {"workspace_id": due.workspace_id, "week": due.week},
    }


def is_brief_message(message: dict[str, Any], metadata: dict[str, Any]) -> bool:
    """Whether a ``conversations.history`` message carries ``metadata`` (ours)."""
    found = message.get("metadata")
    if not isinstance(found, dict) or found.get("event_type") != metadata["event_type"]:
        return False
    payload = found.get("event_payload")
    wanted = metadata["event_payload"]
    return isinstance(payload, dict) and all(payload.get(k) == v for k, v in wanted.items())


def due_workspaces(
    db: Database, now: datetime, *, wall: datetime | None = None, ttl: timedelta = CLAIM_TTL
) -> list[Due]:
    """Workspaces whose brief is due now and not yet delivered (or freshly claimed) this week."""
    with db.session() as session:
        found = session.execute(
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
        for ws_id, channel, weekday, at, zone in found
        if channel and (week := due_week(weekday, at, zone, now)) is not None
    ]
    keys = [(c.workspace_id, c.week) for c in candidates]
    taken = rows.taken_weeks(db, keys, wall or wall_now(), ttl)
    return [c for c in candidates if (c.workspace_id, c.week) not in taken]


# -- claiming --------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """A claim this replica holds; ``abandoned`` is the dead claim it took over, if any."""

    due: Due
    holder: str
    abandoned: HeldClaim | None = None


def claim(
    db: Database,
    due: Due,
    now: datetime,
    *,
    holder: str = REPLICA_ID,
    wall: datetime | None = None,
    ttl: timedelta = CLAIM_TTL,
) -> Claim | None:
    """Claim the week's delivery (or take over a stale claim); None when another replica
    holds it or it is done."""
    wall = wall or wall_now()
    if rows.insert_claim(db, due.workspace_id, due.week, due.channel, now, holder, wall):
        log.info("brief %s %s: claimed by replica %s", due.workspace_id, due.week, holder)
        return Claim(due, holder)
    held = rows.held_claim(db, due.workspace_id, due.week)
    stale = (
        held is not None
        and held.status == rows.CLAIMED
        and (held.claimed_at is None or held.claimed_at <= wall - ttl)
    )
    if held is not None and stale:
        won = rows.take_over(db, due.workspace_id, due.week, due.channel, held, now, holder, wall)
        if won:
            log.warning(
                "brief %s %s: replica %s took over the claim abandoned by replica %s (claimed %s)",
                due.workspace_id,
                due.week,
                holder,
                held.holder or "unknown",
                held.claimed_at.isoformat() if held.claimed_at else "at an unknown time",
            )
            return Claim(due, holder, held)
        held = rows.held_claim(db, due.workspace_id, due.week)
    log.info(
        "brief %s %s: replica %s lost the claim to replica %s (%s)",
        due.workspace_id,
        due.week,
        holder,
        (held.holder if held else None) or "unknown",
        held.status if held else "gone",
    )
    return None


# -- sending ---------------------------------------------------------------------------


def _already_posted(claimed: Claim, finder: Finder | None, wall: datetime) -> str | bool | None:
    """For a taken-over claim: the ts of the brief found in the channel, False when it is
    not there, None when Slack cannot be asked."""
    due = claimed.due
    if finder is None:
        log.warning("brief %s %s: no way to look in Slack", due.workspace_id, due.week)
        return None
    abandoned = claimed.abandoned
    since = (abandoned.claimed_at if abandoned and abandoned.claimed_at else wall) - (
        LOOKBACK_MARGIN
    )
    try:
        ts = finder(due.workspace_id, due.channel, brief_metadata(due), since)
    except SlackApiError as exc:
        error = exc.response.get("error") if exc.response is not None else exc
        log.warning("brief %s %s: Slack cannot be asked (%s)", due.workspace_id, due.week, error)
        return None
    except Exception:
        log.exception("brief %s %s: Slack cannot be asked", due.workspace_id, due.week)
        return None
    return ts or False


def deliver(
    db: Database,
    due: Due,
    now: datetime,
    poster: Poster,
    *,
    finder: Finder | None = None,
    holder: str = REPLICA_ID,
    wall: Wall = wall_now,
    ttl: timedelta = CLAIM_TTL,
) -> str:
    """Claim, render and post one workspace's brief; the outcome's status."""
    claimed = claim(db, due, now, holder=holder, wall=wall(), ttl=ttl)
    if claimed is None:
        return "claimed_elsewhere"
    ws, week = due.workspace_id, due.week
    if claimed.abandoned is not None:
        found = _already_posted(claimed, finder, wall())
        if found is None:
            rows.settle(db, ws, week, holder, UNKNOWN, now)
            log.warning("brief %s %s: recorded as unknown, not posted", ws, week)
            return "failed_unknown"
        if found:
            rows.settle(db, ws, week, holder, SENT, now, message_ts=str(found))
            log.info(
                "brief %s %s: already in %s (ts %s), recorded as sent by replica %s",
                ws,
                week,
                due.channel,
                found,
                holder,
            )
            return "found_sent"
    try:
        with db.session() as session:
            brief = build_brief(session, ws, now, now)
        rendered = render(brief)
    except Exception:
        log.exception("brief for %s could not be built; will retry", ws)
        rows.release(db, ws, week, holder)
        return "failed_retry"
    try:
        ts = poster(ws, due.channel, rendered.text, rendered.blocks, brief_metadata(due))
    except SlackApiError as exc:
        # Slack answered with ok=false: nothing was posted, so the week can be retried.
        log.warning(
            "brief for %s not posted (%s); will retry",
            ws,
            exc.response.get("error") if exc.response is not None else exc,
        )
        rows.release(db, ws, week, holder)
        return "failed_retry"
    except Exception:
        log.exception("brief for %s: post outcome unknown; not retrying", ws)
        rows.settle(db, ws, week, holder, UNKNOWN, now)
        return "failed_unknown"
    if not rows.settle(db, ws, week, holder, SENT, now, message_ts=ts):
        log.warning("brief %s %s: posted, but replica %s lost its claim", ws, week, holder)
    log.info("brief for %s sent to %s (%s) by replica %s", ws, due.channel, week, holder)
    return "sent"


def send_due_briefs(
    db: Database,
    now: datetime,
    poster: Poster,
    token_for: TokenFor | None = None,
    *,
    finder: Finder | None = None,
    holder: str = REPLICA_ID,
    wall: Wall = wall_now,
    ttl: timedelta = CLAIM_TTL,
) -> list[Outcome]:
    """Send every brief due at ``now``; workspaces without a bot token are skipped unclaimed."""
    out: list[Outcome] = []
    for due in due_workspaces(db, now, wall=wall(), ttl=ttl):
        if token_for is not None and not token_for(due.workspace_id):
            out.append(Outcome(due.workspace_id, due.week, "no_token"))
            continue
        status = deliver(db, due, now, poster, finder=finder, holder=holder, wall=wall, ttl=ttl)
        out.append(Outcome(due.workspace_id, due.week, status))
    return out
