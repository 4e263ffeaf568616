"""Workspaces: creation on first use, settings, and the audit log."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from storage.models import AuditEntry, Workspace

LOCAL_WORKSPACE = "local"


def ensure_workspace(session: Session, workspace_id: str, now: datetime) -> Workspace:
    """Return the workspace, creating it (with a random public id) if new."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        workspace = Workspace(
            id=workspace_id,
            public_id=secrets.token_urlsafe(16),
            timezone="UTC",
            match_personal_emails=False,
            brief_weekday=0,
            brief_time="09:00",
            created_at=now,
        )
        session.add(workspace)
        session.flush()
    return workspace


def get_workspace(session: Session, workspace_id: str) -> Workspace | None:
    return session.get(Workspace, workspace_id)


def audit(
    session: Session,
    workspace_id: str,
    actor: str,
    action: str,
    now: datetime,
    detail: dict[str, Any] | None = None,
) -> None:
    """Record an admin action (who, what, when). Never pass secrets in ``detail``."""
    session.add(
        AuditEntry(
            workspace_id=workspace_id, actor=actor, action=action, detail=detail or {}, at=now
        )
    )
