"""Errors the Stripe side raises, each carrying the user-facing text of SPEC §5.

``user_message`` is what the status card shows ("Invalid Stripe API key",
"Missing permission: …", "Stripe unavailable — will retry"); ``detail`` is
the exact error text for support. Neither ever contains an API key.
"""

from __future__ import annotations

import re

# What a network error's text says went wrong, in words for the person who must fix it.
NETWORK_CAUSES = (
    (re.compile(r"connection refused", re.I), "connection refused"),
    (
        re.compile(
            r"NameResolutionError|name or service not known|nodename nor servname|"
            r"getaddrinfo failed|failure in name resolution|no address associated",
            re.I,
        ),
        "DNS lookup failed",
    ),
    (re.compile(r"timed out|timeout", re.I), "timed out"),
    (re.compile(r"\bSSL|certificate|\bTLS", re.I), "TLS handshake failed"),
    (
        re.compile(r"connection reset|RemoteDisconnected|connection aborted", re.I),
        "connection reset",
    ),
)


def network_cause(detail: str) -> str:
    """ "connection refused", "DNS lookup failed", "timed out", … from an error's text."""
    for pattern, cause in NETWORK_CAUSES:
        if pattern.search(detail):
            return cause
    return "network error"


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
        # The resource as the Dashboard's restricted-key form names it ("Coupons").
        return f"Missing permission: {self.resource.capitalize()} (read){suffix}"


class StripeUnavailable(StripeSyncError):
    """Retries exhausted on 429/409/5xx or network errors.

    ``unreachable`` is set when no answer came at all (the network cause, e.g.
    "connection refused"), so a front end can say Stripe could not be reached and why.
    """

    user_message = "Stripe unavailable — will retry"

    def __init__(
        self, detail: str, *, status: int | None = None, unreachable: str | None = None
    ) -> None:
        super().__init__(detail, status=status)
        self.unreachable = unreachable


class StripeRequestRejected(StripeSyncError):
    """A 400/404: a bug on our side or an object that vanished."""

    user_message = "Stripe rejected a request"


class KeyFormatError(ValueError):
    """The key does not follow Stripe's key grammar (nothing was sent to Stripe);
    the message names what is wrong (:mod:`sync.key_grammar`)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.user_message = message
