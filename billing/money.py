"""Money as integer minor units plus an ISO currency, never a float.

Also holds the currency-exponent table (zero- and three-decimal currencies),
conversion between minor units and decimal strings, and human formatting.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# Stripe's zero-decimal currencies: amounts are already whole units.
ZERO_DECIMAL = frozenset(
    [
        "BIF",
        "CLP",
        "DJF",
        "GNF",
        "JPY",
        "KMF",
        "KRW",
        "MGA",
        "PYG",
        "RWF",
        "UGX",
        "VND",
        "VUV",
        "XAF",
        "XOF",
        "XPF",
    ]
)
# Three-decimal currencies (Stripe still counts minor units of 1/1000).
THREE_DECIMAL = frozenset(["BHD", "JOD", "KWD", "OMR", "TND"])

SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "CAD": "CA$",
    "AUD": "A$",
    "NZD": "NZ$",
    "CHF": "CHF ",
    "INR": "₹",
    "BRL": "R$",
    "MXN": "MX$",
    "SEK": "SEK ",
    "NOK": "NOK ",
    "DKK": "DKK ",
    "KRW": "₩",
}


def exponent(currency: str) -> int:
    """Number of decimal places of ``currency``'s minor unit."""
    code = currency.upper()
    if code in ZERO_DECIMAL:
        return 0
    if code in THREE_DECIMAL:
        return 3
    return 2


def round_minor(value: Decimal) -> int:
    """Round a fractional minor-unit amount to whole minor units (half up)."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True, order=True, slots=True)
class Money:
    """An amount in integer minor units of an upper-case ISO currency."""

    amount: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise TypeError(f"Money.amount must be int minor units, got {self.amount!r}")
        if self.currency != self.currency.upper() or len(self.currency) != 3:
            object.__setattr__(self, "currency", self.currency.upper())

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency.upper())

    @classmethod
    def from_decimal(cls, major: Decimal | str, currency: str) -> Money:
        """Build from a major-unit decimal ("1400.00")."""
        scaled = Decimal(major) * (Decimal(10) ** exponent(currency))
        return cls(round_minor(scaled), currency.upper())

    @classmethod
    def from_json(cls, data: Mapping[str, str]) -> Money:
        """The inverse of :meth:`to_json`."""
        return cls.from_decimal(data["amount"], data["currency"])

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def times(self, factor: int) -> Money:
        return Money(self.amount * factor, self.currency)

    def _same(self, other: Money) -> None:
        if self.currency != other.currency:
            raise ValueError(f"cannot mix {self.currency} and {other.currency} without a rate")

    @property
    def major(self) -> Decimal:
        """The amount in major units as an exact Decimal."""
        exp = exponent(self.currency)
        return Decimal(self.amount).scaleb(-exp).quantize(Decimal(1).scaleb(-exp))

    def decimal_str(self) -> str:
        """Major units as a plain decimal string: "1400.00", JPY "1400"."""
        return format(self.major, "f")

    def to_json(self) -> dict[str, str]:
        """The SPEC §7 JSON shape ``{"amount": "1400.00", "currency": "USD"}``."""
        return {"amount": self.decimal_str(), "currency": self.currency}

    def format(self) -> str:
        """Human text with symbol and thousands separators: "$1,400.00"."""
        exp = exponent(self.currency)
        sign = "-" if self.amount < 0 else ""
        number = f"{abs(self.major):,.{exp}f}"
        symbol = SYMBOLS.get(self.currency)
        if symbol is None:
            return f"{sign}{number} {self.currency}"
        return f"{sign}{symbol}{number}"

    def __str__(self) -> str:
        return self.format()


def sum_by_currency(amounts: Iterable[Money]) -> list[Money]:
    """Add amounts per currency; the result is sorted by currency code."""
    totals: dict[str, int] = {}
    for money in amounts:
        totals[money.currency] = totals.get(money.currency, 0) + money.amount
    return [Money(totals[code], code) for code in sorted(totals)]


def money_list_json(amounts: Iterable[Money]) -> list[dict[str, str]]:
    return [m.to_json() for m in amounts]
