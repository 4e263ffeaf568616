"""The reporting currency and dated exchange rates (SPEC §7: a missing rate is never 1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from storage import fx as fx_store
from usecases.audit import record
from usecases.backend import Backend
from usecases.errors import UseCaseError


class FxInputError(UseCaseError):
    """A currency code or rate that cannot be used (the text names which)."""


@dataclass(frozen=True)
class Rate:
    currency: str
    rate: str  # decimal text, as stored
    effective_date: str  # YYYY-MM-DD


@dataclass(frozen=True)
class Rates:
    reporting_currency: str
    rates: tuple[Rate, ...]


def currency_code(text: str) -> str:
    """``eur`` -> ``EUR``; anything but three letters is an ``FxInputError``."""
    if len(text) != 3 or not text.isalpha():
        raise FxInputError(f"expected a 3-letter currency code, got {text[:10]!r}")
    return text.upper()


def positive_rate(text: str) -> Decimal:
    """A finite rate above zero, or an ``FxInputError`` naming the rate."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal(0)
    if not value.is_finite() or value <= 0:
        raise FxInputError(f"rate: expected a positive number, got {text[:20]!r}")
    return value


def rates(backend: Backend, workspace_id: str) -> Rates:
    """The reporting currency and every configured rate (newest first per currency)."""
    with backend.db.session() as session:
        reporting = fx_store.reporting_currency(session, workspace_id)
        listed = tuple(
            Rate(r.currency, r.rate, r.effective_date)
            for r in fx_store.list_rates(session, workspace_id)
        )
    return Rates(reporting, listed)


def set_rate(
    backend: Backend,
    workspace_id: str,
    currency: str,
    rate: Decimal,
    effective: date | None,
    actor: str,
) -> tuple[str, date]:
    """Record 1 ``currency`` = ``rate`` of the reporting currency from ``effective`` (default
    today); returns the reporting currency and the effective date."""
    now = backend.now()
    day = effective or now.date()
    with backend.db.session() as session:
        reporting = fx_store.reporting_currency(session, workspace_id)
        if currency == reporting:
            raise FxInputError(f"{currency} is the reporting currency; its rate is always 1")
        fx_store.set_rate(session, workspace_id, currency, rate, day, now)
        detail = {"currency": currency, "rate": str(rate)}
        record(session, workspace_id, actor, "fx.set", now, detail)
    return reporting, day


def set_reporting_currency(backend: Backend, workspace_id: str, currency: str, actor: str) -> None:
    """Make ``currency`` the workspace's reporting currency (rates are per reporting currency)."""
    now = backend.now()
    with backend.db.session() as session:
        fx_store.set_reporting_currency(session, workspace_id, currency, now)
        record(session, workspace_id, actor, "fx.reporting", now, {"currency": currency})
