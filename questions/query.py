"""The typed query a question is understood as: an intent plus its entities.

The answer layer dispatches on ``Query.intent``; ``Query.to_json()`` is the
SPEC §8 ``entities`` object (account, period, limit, filters).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from billing.money import Money


class Intent(StrEnum):
    """Question intents; the values are part of the SPEC §8 contract."""

    OVERDUE_ACCOUNTS = "overdue_accounts"
    FAILED_PAYMENTS = "failed_payments"
    ARR_AT_RISK = "arr_at_risk"
    ACCOUNT_SUMMARY = "account_summary"
    ACCOUNT_MRR_TREND = "account_mrr_trend"
    MRR_TOTAL = "mrr_total"
    MRR_TREND = "mrr_trend"
    MRR_MOVEMENTS = "mrr_movements"
    CHURN_RATE = "churn_rate"
    TOP_ACCOUNTS = "top_accounts"
    LIFETIME_REVENUE = "lifetime_revenue"
    ACCOUNT_INVOICES = "account_invoices"
    PAYMENT_STATUS = "payment_status"
    CANCELLATIONS = "cancellations"
    SCHEDULED_CANCELLATIONS = "scheduled_cancellations"
    DOWNGRADES = "downgrades"
    UPSELL_CANDIDATES = "upsell_candidates"
    RENEWALS = "renewals"
    TRIALS = "trials"
    NEW_CUSTOMERS = "new_customers"
    HELP = "help"
    UNKNOWN = "unknown"


# Intents about exactly one account (an account entity is required to answer).
ACCOUNT_INTENTS = frozenset(
    {
        Intent.ACCOUNT_SUMMARY,
        Intent.ACCOUNT_MRR_TREND,
        Intent.ACCOUNT_INVOICES,
        Intent.PAYMENT_STATUS,
    }
)
# Intents that may name one account or rank all of them.
ACCOUNT_OPTIONAL_INTENTS = frozenset({Intent.LIFETIME_REVENUE})
# Intents whose period looks forward from the as-of date.
FORWARD_INTENTS = frozenset({Intent.RENEWALS, Intent.TRIALS})


@dataclass(frozen=True)
class AccountRef:
    """An account as the question engine knows it."""

    id: str
    name: str
    domain: str | None = None
    aliases: tuple[str, ...] = ()

    def to_json(self) -> dict[str, str | None]:
        return {"id": self.id, "name": self.name, "domain": self.domain}


@dataclass(frozen=True)
class Period:
    """Dates ``start``..``end``, both inclusive, in the workspace time zone."""

    start: date
    end: date
    label: str

    def to_json(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


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
        return replace(self, **values)  # type: ignore[arg-type]

    def is_empty(self) -> bool:
        return self == Filters()

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
        return out


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


@dataclass(frozen=True)
class Query:
    """A question understood: what to answer (``intent``) and about what.

    ``account`` is set only when one account was resolved; ``account_candidates``
    holds the choices when several matched ("did you mean ..."), and
    ``account_text`` what the user typed for an account (for "no account
    matches 'X'"). ``account_how`` is how the account text matched
    (``AccountMatch.how``: ``several`` when the question named two accounts, so the
    candidates are a "which one?" rather than a "did you mean"). ``at`` is a point
    in time ("MRR at the end of December"); ``as_of`` the date the question was
    asked relative to.
    """

    intent: Intent
    as_of: date
    text: str = ""
    account: AccountRef | None = None
    account_candidates: tuple[AccountRef, ...] = ()
    account_text: str | None = None
    period: Period | None = None
    at: date | None = None
    limit: int | None = None
    filters: Filters = field(default_factory=Filters)
    granularity: str = "month"
    confidence: float = 0.0
    suggestions: tuple[Intent, ...] = ()
    account_how: str = "none"

    @property
    def period_label(self) -> str | None:
        return self.period.label if self.period else None

    @property
    def is_ambiguous(self) -> bool:
        return self.account is None and len(self.account_candidates) > 1

    @property
    def account_missing(self) -> bool:
        """An account was named (or needed) but none matched."""
        return self.account is None and not self.account_candidates and bool(self.account_text)

    def to_json(self) -> dict[str, Any]:
        """The SPEC §8 ``entities`` object."""
        return {
            "account": self.account.to_json() if self.account else None,
            "period": self.period.to_json() if self.period else None,
            "limit": self.limit,
            "filters": self.filters.to_json(),
        }
