"""The Monday Brief (SPEC §10): its preview, its schedule and its settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from briefs.models import Brief
from briefs.scheduled import next_brief_at
from briefs.service import build_brief
from briefs.surface import SLACK, Surface
from storage.workspaces import ensure_workspace, get_workspace
from usecases.audit import record
from usecases.backend import Backend


@dataclass(frozen=True)
class BriefSettings:
    channel: str | None
    weekday: int  # 0 = Monday
    at: str  # HH:MM in ``timezone``
    timezone: str


def preview(
    backend: Backend, workspace_id: str, as_of: datetime | None = None, surface: Surface = SLACK
) -> Brief:
    """The brief as it would be sent at ``as_of`` (default now), to be read on ``surface``;
    never posted anywhere."""
    now = backend.now()
    with backend.db.session() as session:
        return build_brief(session, workspace_id, as_of or now, now, surface)


def next_brief(backend: Backend, workspace_id: str) -> datetime | None:
    """The next Monday Brief time (workspace zone), or None when no channel is set."""
    with backend.db.session() as session:
        workspace = get_workspace(session, workspace_id)
        if workspace is None or not workspace.brief_channel:
            return None
        weekday, at, zone = workspace.brief_weekday, workspace.brief_time, workspace.timezone
    return next_brief_at(weekday, at, zone, backend.now())


def settings(backend: Backend, workspace_id: str) -> BriefSettings:
    """The brief's channel, day, time and zone (defaults for a new workspace)."""
    with backend.db.session() as session:
        workspace = ensure_workspace(session, workspace_id, backend.now())
        return BriefSettings(
            workspace.brief_channel,
            workspace.brief_weekday,
            workspace.brief_time,
            workspace.timezone,
        )


def save_settings(
    backend: Backend,
    workspace_id: str,
    channel_id: str,
    weekday: int,
    at: str,
    actor: str,
    zone: str | None = None,
) -> None:
    """Save the brief's channel, day and time, and its time zone when given."""
    now = backend.now()
    with backend.db.session() as session:
        workspace = ensure_workspace(session, workspace_id, now)
        workspace.brief_channel = channel_id
        workspace.brief_weekday = weekday
        workspace.brief_time = at
        if zone:
            workspace.timezone = zone
        detail = {"channel": channel_id, "weekday": weekday, "time": at, "timezone": zone}
        record(session, workspace_id, actor, "brief.settings", now, detail)
