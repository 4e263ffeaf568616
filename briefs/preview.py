"""``/revbot brief preview``: the brief as it would be sent now, for the asker only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from briefs.render import render
from briefs.service import build_brief
from storage.db import Database


def render_preview(
    db: Database, workspace_id: str, now: datetime
) -> tuple[str, list[dict[str, Any]]]:
    """The plain text and Block Kit of ``workspace_id``'s brief at ``now``."""
    with db.session() as session:
        brief = build_brief(session, workspace_id, now, now)
    rendered = render(brief)
    return rendered.text, rendered.blocks
