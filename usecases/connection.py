"""The Stripe connection (SPEC §4): connect a key, disconnect, purge, webhook set-up.

A key is validated against Stripe before anything is stored, then stored
encrypted; only its last four characters are ever shown or recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlparse

from core.redaction import redact
from storage.connections import (
    ConnectionIdentity,
    get_connection,
    save_connection,
)
from storage.connections import (
    disconnect as disconnect_connection,
)
from storage.purge import purge_billing_data
from storage.workspaces import ensure_workspace
from sync.client import RetryNotice
from sync.errors import KeyFormatError, StripeSyncError, StripeUnavailable
from sync.key_grammar import key_problem as grammar_problem
from sync.validate import validate_key
from usecases.audit import last4, record
from usecases.backend import Backend
from usecases.errors import NotConnected, UseCaseError

# The Stripe webhook endpoint revbot serves (one per workspace, by its public id).
WEBHOOK_PATH = "/stripe/webhooks/{workspace_public_id}"
# What to select in Stripe's "Add endpoint" screen.
EVENT_TYPES = (
    "customer.*",
    "customer.subscription.*",
    "invoice.*",
    "product.*",
    "price.*",
)
# Stands for the host while ``REVBOT_PUBLIC_URL`` is unset.
PLACEHOLDER_HOST = "https://YOUR-REVBOT-HOST"


@dataclass(frozen=True)
class KeyCheck:
    """A Stripe key that passed validation and is stored (never the key itself)."""

    mode: str  # live | test
    kind: str  # restricted | secret
    last4: str
    account_id: str | None = None
    account_name: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class WebhookSetup:
    """What an admin gives Stripe: the endpoint URL and the events to send."""

    url: str
    event_types: tuple[str, ...]
    placeholder: bool  # the URL's host is a placeholder (``REVBOT_PUBLIC_URL`` unset)


def key_problem(key: str) -> str | None:
    """What is wrong with ``key`` as a Stripe key (None when well formed); no request sent."""
    return grammar_problem(key)


def connect(
    backend: Backend,
    workspace_id: str,
    key: str,
    actor: str,
    on_retry: Callable[[RetryNotice], None] | None = None,
) -> KeyCheck:
    """Validate ``key`` against Stripe, then store it encrypted; rotating keeps the data.
    ``on_retry`` hears of each retry while Stripe is unreachable or failing."""
    key = key.strip()
    try:
        checked = validate_key(key, backend.settings, on_retry=on_retry)
    except StripeUnavailable as exc:
        raise UseCaseError(_unavailable_text(exc, backend.settings.stripe_api_base)) from None
    except (KeyFormatError, StripeSyncError) as exc:
        raise UseCaseError(_safe_text(str(exc.user_message), key)) from None
    identity = ConnectionIdentity(
        mode=checked.mode,
        key_kind=checked.key_kind,
        stripe_account_id=checked.account_id,
        stripe_account_name=checked.account_name,
    )
    now = backend.now()
    with backend.db.session() as session:
        ensure_workspace(session, workspace_id, now)
        save_connection(session, workspace_id, key, identity, backend.box(), now)
        detail = {"key_last4": last4(key), "mode": checked.mode, "key_kind": checked.key_kind}
        record(session, workspace_id, actor, "stripe.connect", now, detail)
    return KeyCheck(
        mode=checked.mode,
        kind=checked.key_kind,
        last4=last4(key),
        account_id=checked.account_id,
        account_name=checked.account_name,
        warnings=tuple(checked.warnings),
    )


def _unavailable_text(exc: StripeUnavailable, api_base: str) -> str:
    """Why connecting failed and what to do; nothing is retried later, so never "will retry"."""
    host = urlparse(api_base).netloc or api_base
    if exc.unreachable:
        return (
            f"Could not reach Stripe at {host} ({exc.unreachable}), so nothing was stored. "
            "Check that this server can reach it (firewall, proxy, DNS or "
            "REVBOT_STRIPE_API_BASE), then connect again."
        )
    status = f" (HTTP {exc.status})" if exc.status else ""
    return (
        f"Stripe at {host} kept failing{status}, so nothing was stored. "
        "Try connecting again in a few minutes."
    )


def disconnect(backend: Backend, workspace_id: str, actor: str) -> None:
    """Delete the stored key and stop syncing; the synced data stays, frozen."""
    now = backend.now()
    with backend.db.session() as session:
        if not disconnect_connection(session, workspace_id, now):
            raise NotConnected("Stripe is not connected, so there is nothing to disconnect.")
        record(session, workspace_id, actor, "stripe.disconnect", now)


def purge(backend: Backend, workspace_id: str, actor: str) -> None:
    """Delete the workspace's billing data (keeps settings, admins and the audit log)."""
    now = backend.now()
    with backend.db.session() as session:
        purge_billing_data(session, workspace_id)
        record(session, workspace_id, actor, "stripe.purge", now)


def set_webhook_secret(backend: Backend, workspace_id: str, secret: str, actor: str) -> None:
    """Store the webhook endpoint's signing secret, encrypted."""
    now = backend.now()
    with backend.db.session() as session:
        connection = get_connection(session, workspace_id)
        if connection is None or connection.status == "disconnected":
            raise NotConnected("Connect Stripe first, then set up webhooks.")
        connection.webhook_secret_encrypted = backend.box().encrypt(secret.strip())
        connection.updated_at = now
        detail = {"secret_last4": last4(secret)}
        record(session, workspace_id, actor, "stripe.webhook_secret", now, detail)


def webhook_setup(backend: Backend, workspace_id: str) -> WebhookSetup:
    """The endpoint URL on ``REVBOT_PUBLIC_URL`` (a placeholder host without) and event types."""
    with backend.db.session() as session:
        workspace = ensure_workspace(session, workspace_id, backend.now())
        path = WEBHOOK_PATH.format(workspace_public_id=workspace.public_id)
    url = endpoint_url(backend.settings.public_url, path)
    return WebhookSetup(url, EVENT_TYPES, url.startswith(PLACEHOLDER_HOST))


def endpoint_url(public_url: str | None, path: str) -> str:
    """``REVBOT_PUBLIC_URL`` + ``path`` (a placeholder host when the setting is unset)."""
    base = (public_url or "").strip().rstrip("/") or PLACEHOLDER_HOST
    if not base.startswith(("http://", "https://")):
        base = "https://" + base
    return base + path


def _safe_text(text: str, key: str) -> str:
    """A validator message with the key (if it slipped in) cut to its last four."""
    text = text or "Stripe key validation failed."
    if key and key in text:
        text = text.replace(key, f"…{last4(key)}")
    return redact(text)
