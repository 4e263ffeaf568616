"""What every use case runs against: settings, the database, the clock and the secret box."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from core.clock import now as clock_now
from core.settings import Settings
from core.zones import zone_named
from storage.db import Database
from storage.secrets import SecretBox, load_or_create_key_file
from storage.workspaces import get_workspace
from usecases.llm_reader import reader_from_settings
from usecases.reading import OutsideReader
from usecases.threads import ThreadContexts


@dataclass
class Backend:
    """One revbot process's view of its data; both front ends build one at start."""

    settings: Settings
    db: Database
    clock: Callable[[], datetime] = clock_now
    secret_box: SecretBox | None = field(default=None)
    # The optional LLM reader (None: rules only); from settings unless given.
    reader: OutsideReader | None = field(default=None)
    # Each Slack thread's last question (follow-ups), shared by every replica on ``db``.
    threads: ThreadContexts = field(init=False)

    def __post_init__(self) -> None:
        self.threads = ThreadContexts(self.db, timedelta(days=self.settings.thread_context_days))
        if self.reader is None:
            self.reader = reader_from_settings(self.settings)

    def now(self) -> datetime:
        return self.clock()

    def box(self) -> SecretBox:
        """The secret box (``REVBOT_ENCRYPTION_KEY``, else the data directory's key file)."""
        if self.secret_box is None:
            key = self.settings.encryption_key
            raw = key.get_secret_value() if key else load_or_create_key_file(self.settings.data_dir)
            self.secret_box = SecretBox(raw)
        return self.secret_box

    def timezone(self, workspace_id: str) -> ZoneInfo:
        """The workspace's time zone (UTC when unknown or unset)."""
        with self.db.session() as session:
            workspace = get_workspace(session, workspace_id)
            return zone_named(workspace.timezone if workspace else None)
