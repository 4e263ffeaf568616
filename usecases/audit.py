"""The audit log (SPEC §12): every admin action is recorded here, and only here.

Use cases call :func:`record` inside the transaction that makes the change, so an
action and its record commit together. ``detail`` never holds a secret: keys and
signing secrets appear as their last four characters at most.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from storage.workspaces import audit, ensure_workspace

# The actor of actions taken from the command line (Slack actions carry the user id).
CLI_ACTOR = "cli"


def record(
    session: Session,
    workspace_id: str,
    actor: str,
    action: str,
    now: datetime,
    detail: dict[str, Any] | None = None,
) -> None:
    """Record ``actor`` doing ``action`` to ``workspace_id`` at ``now``."""
    ensure_workspace(session, workspace_id, now)
    audit(session, workspace_id, actor, action, now, detail or {})


def last4(secret: str) -> str:
    """The only part of a secret revbot ever shows or records."""
    return secret.strip()[-4:]
