"""Key validation before anything is stored (SPEC §4).

The key's grammar is checked first (:mod:`sync.key_grammar`: no request for a
key that cannot be one); then
``GET /v1/account`` and a ``limit=1`` read of every resource sync needs. A 401
becomes "Invalid Stripe API key"; a 403 names the read permission missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sync.client import RetryNotice, StripeReadClient
from sync.key_grammar import key_kind_and_mode

# What sync reads, in the order validation checks it.
# Coupons too: discounts name their coupon by id, and sync joins the listed coupons.
REQUIRED_READS = (
    "products",
    "prices",
    "customers",
    "subscriptions",
    "invoices",
    "events",
    "coupons",
)
SECRET_KEY_WARNING = (
    "This is a secret key: it can change your Stripe account. A restricted key with "
    "read-only permissions (rk_…) limits the blast radius if it ever leaks."
)


@dataclass(frozen=True)
class ValidationResult:
    mode: str  # live | test
    key_kind: str  # restricted | secret
    account_id: str | None
    account_name: str | None
    warnings: list[str] = field(default_factory=list)
    request_count: int = 0


def _account_name(account: dict[str, Any]) -> str | None:
    profile = account.get("business_profile") or {}
    dashboard = (account.get("settings") or {}).get("dashboard") or {}
    return profile.get("name") or dashboard.get("display_name") or account.get("email")


def validate_key(
    api_key: str,
    settings: Any,
    *,
    client_factory: Callable[[str], StripeReadClient] | None = None,
    on_retry: Callable[[RetryNotice], None] | None = None,
) -> ValidationResult:
    """Check ``api_key`` against Stripe; raises ``KeyFormatError``, ``InvalidApiKey``,
    ``MissingPermission`` or ``StripeUnavailable`` (each with ``user_message``).
    ``on_retry`` hears of each retry, so the person waiting sees why."""
    key = api_key.strip()
    kind, mode = key_kind_and_mode(key)
    if client_factory is not None:
        client = client_factory(key)
    else:
        client = StripeReadClient.for_key(key, settings, on_retry=on_retry)
    account = client.get("/v1/account")
    for resource in REQUIRED_READS:
        client.get(f"/v1/{resource}", {"limit": 1})
    warnings = [SECRET_KEY_WARNING] if kind == "secret" else []
    return ValidationResult(
        mode=mode,
        key_kind=kind,
        account_id=account.get("id"),
        account_name=_account_name(account),
        warnings=warnings,
        request_count=client.request_count,
    )
