"""Converting per-currency totals into the workspace's reporting currency (SPEC §7).

A rate says how many units of the reporting currency one unit of another
currency is worth (``EUR 1.08`` with reporting USD: €1 = $1.08). A total is
converted only when every currency in it has a rate; otherwise the missing
currencies are named and no total is produced — a missing rate is never 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from billing.money import Money, exponent, round_minor, sum_by_currency


@dataclass(frozen=True, slots=True)
class FxRates:
    """Configured rates into ``reporting``, optionally with the date they were set."""

    reporting: str
    rates: Mapping[str, Decimal] = field(default_factory=dict)
    as_of: date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "reporting", self.reporting.upper())
        object.__setattr__(
            self, "rates", {code.upper(): Decimal(rate) for code, rate in self.rates.items()}
        )

    def rate(self, currency: str) -> Decimal | None:
        """The rate of ``currency``; the reporting currency itself is 1, others may be None."""
        code = currency.upper()
        if code == self.reporting:
            return Decimal(1)
        rate = self.rates.get(code)
        return rate if rate is not None and rate > 0 else None


@dataclass(frozen=True, slots=True)
class Conversion:
    """A converted total, or the currencies that prevented it."""

    reporting: str
    total: Money | None
    missing: tuple[str, ...] = ()
    parts: tuple[Money, ...] = ()

    @property
    def complete(self) -> bool:
        return self.total is not None

    def to_json(self) -> dict[str, object]:
        return {
            "currency": self.reporting,
            "total": self.total.to_json() if self.total is not None else None,
            "missing_rates": list(self.missing),
            "parts": [m.to_json() for m in self.parts],
        }


def convert(money: Money, rates: FxRates) -> Money | None:
    """``money`` in the reporting currency, or None without a rate."""
    rate = rates.rate(money.currency)
    if rate is None:
        return None
    if money.currency == rates.reporting:
        return money
    shift = exponent(rates.reporting) - exponent(money.currency)
    value = Decimal(money.amount) * rate * (Decimal(10) ** shift)
    return Money(round_minor(value), rates.reporting)


def convert_total(amounts: Iterable[Money], rates: FxRates) -> Conversion:
    """Sum ``amounts`` into the reporting currency when every rate is known."""
    parts = tuple(sum_by_currency(amounts))
    missing = tuple(m.currency for m in parts if rates.rate(m.currency) is None)
    if missing:
        return Conversion(rates.reporting, None, missing, parts)
    total = Money.zero(rates.reporting)
    for part in parts:
        converted = convert(part, rates)
        assert converted is not None  # every rate was checked above
        total = total + converted
    return Conversion(rates.reporting, total, (), parts)
