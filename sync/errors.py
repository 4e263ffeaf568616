"""Errors the Stripe side raises, each carrying the user-facing text of SPEC §5.

``user_message`` is what the status card shows ("Invalid Stripe API key",
"Missing permission: …", "Stripe unavailable — will retry"); ``detail`` is
the exact error text for support. Neither ever contains an API key.
"""

from __future__ import annotations


class StripeSyncError(RuntimeError):
    """Base class: a Stripe request failed in a way the user should hear about."""

    user_message = "Stripe request failed"

    def __init__(self, detail: str, *, status: int | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.status = status


class InvalidApiKey(StripeSyncError):
    user_message = "Invalid Stripe API key"


class MissingPermission(StripeSyncError):
    """A restricted key lacks a read permission; ``permission`` names it."""

    def __init__(self, detail: str, *, resource: str, permission: str | None = None) -> None:
        super().__init__(detail, status=403)
        self.resource = resource
        self.permission = permission

    @property
    def user_message(self) -> str:  # type: ignore[override]
        suffix = f" — Stripe permission {self.permission}" if self.permission else ""
        return f"Missing permission: {self.resource} (read){suffix}"


class StripeUnavailable(StripeSyncError):
    """Retries exhausted on 429/409/5xx or network errors."""

    user_message = "Stripe unavailable — will retry"


class StripeRequestRejected(StripeSyncError):
    """A 400/404: a bug on our side or an object that vanished."""

    user_message = "Stripe rejected a request"


class KeyFormatError(ValueError):
    """The key does not have an accepted prefix (nothing was sent to Stripe)."""

    user_message = (
        "That is not a Stripe API key: expected a restricted key (rk_live_… or rk_test_…, "
        "recommended) or a secret key (sk_live_… or sk_test_…)"
    )
