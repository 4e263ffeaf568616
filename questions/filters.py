"""Filters a question states: amount and day bounds, currency, status, plan.

Each bound the user gave is kept with whether it excludes the number itself
("more than 30" vs "at least 30"). ``Filters.to_json()`` is ``entities.filters``
of ``revbot ask --json``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from billing.money import Money


@dataclass(frozen=True)
class Filters:
    """Optional narrowing of a list answer.

    ``min_days``/``min_amount`` are lower bounds the user gave ("more than 30
    days", "over $1k"); ``max_days``/``max_amount`` upper bounds ("less than 10
    days", "under $500"); "between 30 and 60 days" sets both. ``*_strict`` says
    whether the bound excludes that number ("more than 30" vs "at least 30",
    "under 500" vs "at most 500"). Amounts are in major units; ``currency`` is
    None when none was named.
    """

    min_days: int | None = None
    min_days_strict: bool = True
    min_amount: Decimal | None = None
    min_amount_strict: bool = True
    currency: str | None = None
    status: str | None = None
    max_days: int | None = None
    max_days_strict: bool = True
    max_amount: Decimal | None = None
    max_amount_strict: bool = True
    plan: str | None = None
    # one kind of MRR movement (new, expansion, contraction, churn, reactivation), or
    # "upgrade": subscriptions moved to a higher price or quantity
    movement: str | None = None

    @property
    def min_money(self) -> Money | None:
        """The amount threshold as Money, when its currency is known."""
        if self.min_amount is None or self.currency is None:
            return None
        return Money.from_decimal(self.min_amount, self.currency)

    @property
    def max_money(self) -> Money | None:
        """The upper amount bound as Money, when its currency is known."""
        if self.max_amount is None or self.currency is None:
            return None
        return Money.from_decimal(self.max_amount, self.currency)

    def days_ok(self, days: int) -> bool:
        """Whether a number of days passes both day bounds."""
        return _within(
            Decimal(days), self.min_days, self.min_days_strict, self.max_days, self.max_days_strict
        )

    def amount_ok(self, major: Decimal) -> bool:
        """Whether an amount (major units) passes both amount bounds."""
        return _within(
            major, self.min_amount, self.min_amount_strict, self.max_amount, self.max_amount_strict
        )

    def merged(self, newer: Filters) -> Filters:
        """These filters with every field ``newer`` sets taken from ``newer``."""
        values: dict[str, object] = {}
        if newer.min_days is not None:
            values.update(min_days=newer.min_days, min_days_strict=newer.min_days_strict)
        if newer.min_amount is not None:
            values.update(min_amount=newer.min_amount, min_amount_strict=newer.min_amount_strict)
        if newer.max_days is not None:
            values.update(max_days=newer.max_days, max_days_strict=newer.max_days_strict)
        if newer.max_amount is not None:
            values.update(max_amount=newer.max_amount, max_amount_strict=newer.max_amount_strict)
        if newer.currency is not None:
            values["currency"] = newer.currency
        if newer.status is not None:
            values["status"] = newer.status
        if newer.plan is not None:
            values["plan"] = newer.plan
        if newer.movement is not None:
            values["movement"] = newer.movement
        return replace(self, **values)  # type: ignore[arg-type]

    def is_empty(self) -> bool:
        return self == Filters()

    def stated(self) -> tuple[str, ...]:
        """The kinds of filter the question states: ``days``, ``amount``, ``currency``,
        ``status``, ``plan``, ``movement`` (in that order)."""
        found = {
            "days": self.min_days is not None or self.max_days is not None,
            "amount": self.min_amount is not None or self.max_amount is not None,
            "currency": self.currency is not None,
            "status": self.status is not None,
            "plan": self.plan is not None,
            "movement": self.movement is not None,
        }
        return tuple(kind for kind, present in found.items() if present)

    def describe(self, kind: str) -> str:
        """One stated filter in words ("more than 30 days", "over $3,000.00", "in EUR")."""
        if kind == "days":
            return _bounds_text(
                self.min_days, self.min_days_strict, self.max_days, self.max_days_strict, " days"
            )
        if kind == "amount":
            low = self.min_money.format() if self.min_money else self.min_amount
            high = self.max_money.format() if self.max_money else self.max_amount
            return _bounds_text(low, self.min_amount_strict, high, self.max_amount_strict, "")
        if kind == "currency":
            return f"in {self.currency}"
        if kind == "status":
            return f"status {self.status}"
        if kind == "movement":
            return f"{self.movement} only"
        return f"on the {self.plan} plan"

    def without(self, kinds: tuple[str, ...]) -> Filters:
        """These filters with the given kinds cleared."""
        cleared: dict[str, object] = {}
        for kind in kinds:
            names = {
                "days": ("min_days", "max_days"),
                "amount": ("min_amount", "max_amount"),
            }.get(kind, (kind,))
            cleared.update(dict.fromkeys(names))
        return replace(self, **cleared)  # type: ignore[arg-type]

    def to_json(self) -> dict[str, Any]:
        """The ``entities.filters`` object; keys appear only when set.

        - ``min_days`` / ``max_days`` (int) with ``min_days_strict`` / ``max_days_strict``
          (bool: true for "more than"/"less than", false for "at least"/"at most" and ranges);
        - ``min_amount`` / ``max_amount``: a Money (``{"amount": "1500.00", "currency":
          "USD"}``; currency null when none was named), plus ``*_amount_major`` (the number
          as typed, int or decimal string), ``*_amount_minor`` (minor units, when the currency
          is known) and ``*_amount_strict``;
        - ``currency`` (ISO code) and ``status``.

        "between 30 and 60 days" -> ``min_days`` 30 and ``max_days`` 60, both not strict.
        """
        out: dict[str, Any] = {}
        if self.min_days is not None:
            out["min_days"] = self.min_days
            out["min_days_strict"] = self.min_days_strict
        if self.min_amount is not None:
            money = self.min_money
            major = _json_number(self.min_amount)
            out["min_amount"] = (
                money.to_json() if money else {"amount": str(major), "currency": None}
            )
            out["min_amount_major"] = major
            if money is not None:
                out["min_amount_minor"] = money.amount
            out["min_amount_strict"] = self.min_amount_strict
        if self.max_days is not None:
            out["max_days"] = self.max_days
            out["max_days_strict"] = self.max_days_strict
        if self.max_amount is not None:
            money = self.max_money
            major = _json_number(self.max_amount)
            out["max_amount"] = (
                money.to_json() if money else {"amount": str(major), "currency": None}
            )
            out["max_amount_major"] = major
            if money is not None:
                out["max_amount_minor"] = money.amount
            out["max_amount_strict"] = self.max_amount_strict
        if self.currency is not None:
            out["currency"] = self.currency
        if self.status is not None:
            out["status"] = self.status
        if self.plan is not None:
            out["plan"] = self.plan
        if self.movement is not None:
            out["movement"] = self.movement
        return out


def _bounds_text(low: object, low_strict: bool, high: object, high_strict: bool, unit: str) -> str:
    if low is not None and high is not None:
        return f"between {low} and {high}{unit}"
    if low is not None:
        return f"{'more than' if low_strict else 'at least'} {low}{unit}"
    return f"{'less than' if high_strict else 'at most'} {high}{unit}"


def _within(
    value: Decimal,
    low: int | Decimal | None,
    low_strict: bool,
    high: int | Decimal | None,
    high_strict: bool,
) -> bool:
    if low is not None and (value <= low if low_strict else value < low):
        return False
    return not (high is not None and (value >= high if high_strict else value > high))


def _json_number(value: Decimal) -> int | str:
    """An integral Decimal as an int; otherwise its exact decimal string (never a float)."""
    return int(value) if value == value.to_integral_value() else format(value, "f")
