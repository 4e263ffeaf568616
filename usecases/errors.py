"""Failures a use case reports to a person: short, clear and never holding a secret.

Front ends show ``str(error)`` as it is, except where a type asks for wording of
their own (``NotConnected`` names the connect command of the surface).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


class UseCaseError(Exception):
    """A failure to show the user as is (short, clear, secret-free)."""


class NotConnected(UseCaseError):
    """The workspace has no stored Stripe key (never connected, or disconnected)."""

    def __init__(self, message: str = "Stripe is not connected") -> None:
        super().__init__(message)


class SyncBusy(UseCaseError):
    """A sync already holds the workspace's lease; the text is in the workspace's zone."""

    def __init__(self, step: int, total_steps: int, started_at: datetime, zone: ZoneInfo) -> None:
        self.step = step
        self.total_steps = total_steps
        self.started_at = started_at
        self.zone = zone
        local = started_at.astimezone(zone)
        super().__init__(
            f"a sync is already running (step {step} of {total_steps}, started {local:%H:%M})"
        )


class SyncError(UseCaseError):
    """A sync that ran and failed; the text is the error the status card records."""


class NoData(UseCaseError):
    """Nothing has been synced for the workspace yet."""


class FirstSyncRunning(NoData):
    """Nothing is synced yet because the first sync is still running: say so, and how far."""

    def __init__(self, running: SyncBusy) -> None:
        self.step = running.step
        self.total_steps = running.total_steps
        local = running.started_at.astimezone(running.zone)
        super().__init__(
            f"the first sync is still running (step {running.step} of {running.total_steps}, "
            f"started {local:%H:%M}): ask again when it finishes"
        )
