"""Small helpers turning billing values into the JSON shapes of SPEC §8.

Instants become ISO strings in UTC with a ``Z``; dates are ISO dates in UTC;
accounts are ``{id, name, domain}`` references; Money uses ``Money.to_json``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from billing.models import Account
from billing.money import Money


def iso_instant(value: datetime | None) -> str | None:
    """``2027-02-03T10:00:00Z`` (UTC, whole seconds), or None."""
    if value is None:
        return None
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def instant_from_iso(text: str) -> datetime:
    """The instant an :func:`iso_instant` text names (``Z`` or an offset)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def iso_date(value: datetime | None) -> str | None:
    """The UTC date of an instant, ``2027-02-03``, or None."""
    if value is None:
        return None
    return value.astimezone(UTC).date().isoformat()


def account_ref(account: Account | None) -> dict[str, str | None] | None:
    return account.ref() if account is not None else None


def money_json(value: Money | None) -> dict[str, str] | None:
    return value.to_json() if value is not None else None


def money_list(values: Iterable[Money]) -> list[dict[str, str]]:
    return [m.to_json() for m in values]
