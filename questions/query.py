"""The typed query a question is understood as, and the SPEC §8 intent derived from it.

A query composes five parts:

- ``measure``: what is asked about (MRR, ARR, overdue, revenue, churn, ...);
- ``subject``: the whole workspace, one account, several named accounts, or a
  segment (the workspace narrowed by filters: "EUR accounts");
- time: now, a point (``at``), a period (``period``), or a comparison of two
  sides (``versus``);
- ``filters``: amount and day bounds, currency, status, plan;
- ``shape``: a total, a list, a top-N (``limit``), a trend or a breakdown.

The intent (the contract of ``revbot ask --json``) is a function of measure,
subject and shape (:func:`intent_of`); :func:`typed_for` is its inverse, so a
query can also be made from an intent (``Query.of``). Every part is a plain
frozen dataclass or enum, so questions/schema.py derives a JSON schema and
(de)serialisation generically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from questions.filters import Filters

__all__ = [
    "ACCOUNT_INTENTS",
    "ACCOUNT_OPTIONAL_INTENTS",
    "FORWARD_INTENTS",
    "AccountRef",
    "Filters",
    "Intent",
    "Measure",
    "Period",
    "Query",
    "Shape",
    "Side",
    "Subject",
    "Versus",
    "intent_of",
    "typed_for",
]


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


class Measure(StrEnum):
    """What a question measures or lists."""

    MRR = "mrr"
    ARR = "arr"
    OVERDUE = "overdue"
    FAILED_PAYMENTS = "failed_payments"
    ARR_AT_RISK = "arr_at_risk"
    REVENUE = "revenue"  # cash collected over synced history ("lifetime revenue")
    CHURN = "churn"
    MOVEMENTS = "movements"
    CANCELLATIONS = "cancellations"
    SCHEDULED_CANCELLATIONS = "scheduled_cancellations"
    DOWNGRADES = "downgrades"
    UPSELL = "upsell"
    RENEWALS = "renewals"
    TRIALS = "trials"
    NEW_CUSTOMERS = "new_customers"
    INVOICES = "invoices"
    PAYMENT_STATUS = "payment_status"
    OVERVIEW = "overview"  # one account's figures at a glance
    HELP = "help"  # what the bot can answer
    NONE = "none"  # not a billing question


class Subject(StrEnum):
    """Who a question is about."""

    WORKSPACE = "workspace"
    ACCOUNT = "account"
    ACCOUNTS = "accounts"  # several accounts named: the answer asks which one
    SEGMENT = "segment"  # the workspace narrowed by filters (currency, plan, status)


class Shape(StrEnum):
    """The form of the answer asked for."""

    TOTAL = "total"
    LIST = "list"
    TOP = "top"
    TREND = "trend"
    BREAKDOWN = "breakdown"


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

_SAME_NAME: dict[Measure, Intent] = {
    Measure.FAILED_PAYMENTS: Intent.FAILED_PAYMENTS,
    Measure.ARR_AT_RISK: Intent.ARR_AT_RISK,
    Measure.REVENUE: Intent.LIFETIME_REVENUE,
    Measure.CHURN: Intent.CHURN_RATE,
    Measure.MOVEMENTS: Intent.MRR_MOVEMENTS,
    Measure.CANCELLATIONS: Intent.CANCELLATIONS,
    Measure.SCHEDULED_CANCELLATIONS: Intent.SCHEDULED_CANCELLATIONS,
    Measure.DOWNGRADES: Intent.DOWNGRADES,
    Measure.UPSELL: Intent.UPSELL_CANDIDATES,
    Measure.RENEWALS: Intent.RENEWALS,
    Measure.TRIALS: Intent.TRIALS,
    Measure.NEW_CUSTOMERS: Intent.NEW_CUSTOMERS,
    Measure.INVOICES: Intent.ACCOUNT_INVOICES,
    Measure.OVERDUE: Intent.OVERDUE_ACCOUNTS,
    Measure.PAYMENT_STATUS: Intent.OVERDUE_ACCOUNTS,
    Measure.OVERVIEW: Intent.MRR_TOTAL,
}
_ONE_ACCOUNT: dict[Measure, Intent] = {
    Measure.OVERDUE: Intent.PAYMENT_STATUS,
    Measure.FAILED_PAYMENTS: Intent.PAYMENT_STATUS,
    Measure.ARR_AT_RISK: Intent.PAYMENT_STATUS,
    Measure.PAYMENT_STATUS: Intent.PAYMENT_STATUS,
    Measure.REVENUE: Intent.LIFETIME_REVENUE,
    Measure.INVOICES: Intent.ACCOUNT_INVOICES,
}
# Measures whose trend for one account is its month-end MRR.
_MRR_LIKE = frozenset({Measure.MRR, Measure.ARR, Measure.MOVEMENTS, Measure.DOWNGRADES})


def intent_of(measure: Measure, subject: Subject, shape: Shape) -> Intent:
    """The SPEC §8 intent a measure × subject × shape stands for."""
    if measure is Measure.HELP:
        return Intent.HELP
    if measure is Measure.NONE:
        return Intent.UNKNOWN
    if subject in (Subject.ACCOUNT, Subject.ACCOUNTS):
        if measure in _MRR_LIKE and shape is Shape.TREND:
            return Intent.ACCOUNT_MRR_TREND
        return _ONE_ACCOUNT.get(measure, Intent.ACCOUNT_SUMMARY)
    if measure in (Measure.MRR, Measure.ARR):
        if shape is Shape.TREND:
            return Intent.MRR_TREND
        return Intent.TOP_ACCOUNTS if shape in (Shape.TOP, Shape.LIST) else Intent.MRR_TOTAL
    return _SAME_NAME[measure]


_TYPED: dict[Intent, tuple[Measure, Shape]] = {
    Intent.OVERDUE_ACCOUNTS: (Measure.OVERDUE, Shape.LIST),
    Intent.FAILED_PAYMENTS: (Measure.FAILED_PAYMENTS, Shape.LIST),
    Intent.ARR_AT_RISK: (Measure.ARR_AT_RISK, Shape.TOTAL),
    Intent.ACCOUNT_SUMMARY: (Measure.OVERVIEW, Shape.TOTAL),
    Intent.ACCOUNT_MRR_TREND: (Measure.MRR, Shape.TREND),
    Intent.MRR_TOTAL: (Measure.MRR, Shape.TOTAL),
    Intent.MRR_TREND: (Measure.MRR, Shape.TREND),
    Intent.MRR_MOVEMENTS: (Measure.MOVEMENTS, Shape.BREAKDOWN),
    Intent.CHURN_RATE: (Measure.CHURN, Shape.TOTAL),
    Intent.TOP_ACCOUNTS: (Measure.MRR, Shape.TOP),
    Intent.LIFETIME_REVENUE: (Measure.REVENUE, Shape.TOTAL),
    Intent.ACCOUNT_INVOICES: (Measure.INVOICES, Shape.LIST),
    Intent.PAYMENT_STATUS: (Measure.PAYMENT_STATUS, Shape.TOTAL),
    Intent.CANCELLATIONS: (Measure.CANCELLATIONS, Shape.LIST),
    Intent.SCHEDULED_CANCELLATIONS: (Measure.SCHEDULED_CANCELLATIONS, Shape.LIST),
    Intent.DOWNGRADES: (Measure.DOWNGRADES, Shape.LIST),
    Intent.UPSELL_CANDIDATES: (Measure.UPSELL, Shape.LIST),
    Intent.RENEWALS: (Measure.RENEWALS, Shape.LIST),
    Intent.TRIALS: (Measure.TRIALS, Shape.LIST),
    Intent.NEW_CUSTOMERS: (Measure.NEW_CUSTOMERS, Shape.LIST),
    Intent.HELP: (Measure.HELP, Shape.TOTAL),
    Intent.UNKNOWN: (Measure.NONE, Shape.TOTAL),
}


def typed_for(intent: Intent, one_account: bool) -> tuple[Measure, Subject, Shape]:
    """A measure × subject × shape whose intent is ``intent`` (the inverse of intent_of).

    ``one_account``: the question is about one account (only intents that may be
    either — lifetime revenue — depend on it; the one-account intents always are).
    """
    measure, shape = _TYPED[intent]
    if intent in ACCOUNT_INTENTS or (one_account and intent in ACCOUNT_OPTIONAL_INTENTS):
        return measure, Subject.ACCOUNT, shape
    if intent is Intent.LIFETIME_REVENUE:
        return measure, Subject.WORKSPACE, Shape.TOP
    return measure, Subject.WORKSPACE, shape


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
class Side:
    """One side of a comparison: a point in time (the value at the end of ``end``) or a
    period (``start``..``end``, inclusive, clamped to the as-of date)."""

    start: date
    end: date
    label: str
    point: bool = True

    def to_json(self) -> dict[str, Any]:
        if self.point:
            return {"kind": "point", "at": self.end.isoformat(), "label": self.label}
        return {
            "kind": "period",
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "label": self.label,
        }


@dataclass(frozen=True)
class Versus:
    """A comparison: ``before`` (the earlier side) against ``after``."""

    before: Side
    after: Side

    def span(self) -> Period:
        """The dates both sides cover, earlier start to later end."""
        label = f"{self.before.label} vs {self.after.label}"
        return Period(min(self.before.start, self.after.start), self.after.end, label)

    def to_json(self) -> list[dict[str, Any]]:
        return [self.before.to_json(), self.after.to_json()]


@dataclass(frozen=True)
class Query:
    """A question understood as a typed query; ``intent`` is derived from it.

    ``account`` is set only when one account was resolved; ``account_candidates``
    holds the choices when several matched ("did you mean ..."), and
    ``account_text`` what the user typed for an account (for "no account
    matches 'X'"). ``account_how`` is how the account text matched
    (``AccountMatch.how``: ``several`` when the question named two accounts).

    Time: ``period`` is the period named; ``at`` a point in time ("MRR at the end of
    December"); ``versus`` a comparison of two sides ("now vs three months ago");
    none of them: now. ``as_of`` is the date the question was asked relative to.

    ``unsupported`` names parts of the question that were understood but cannot be
    honoured (the answer says so); ``confidence`` and ``suggestions`` come from the
    reader (the suggestions are offered when the question is not understood).
    """

    measure: Measure
    as_of: date
    subject: Subject = Subject.WORKSPACE
    shape: Shape = Shape.TOTAL
    account: AccountRef | None = None
    account_candidates: tuple[AccountRef, ...] = ()
    account_text: str | None = None
    account_how: str = "none"
    period: Period | None = None
    at: date | None = None
    versus: Versus | None = None
    limit: int | None = None
    ascending: bool = False  # a ranking from the bottom ("smallest customers")
    filters: Filters = field(default_factory=Filters)
    granularity: str = "month"
    text: str = ""
    confidence: float = 0.0
    suggestions: tuple[Intent, ...] = ()
    unsupported: tuple[str, ...] = ()

    @classmethod
    def of(cls, intent: Intent, as_of: date, **parts: Any) -> Query:
        """A query whose measure, subject and shape stand for ``intent``."""
        one = bool(parts.get("account") or parts.get("account_text"))
        measure, subject, shape = typed_for(intent, one or bool(parts.get("account_candidates")))
        return cls(measure=measure, as_of=as_of, subject=subject, shape=shape, **parts)

    @property
    def intent(self) -> Intent:
        return intent_of(self.measure, self.subject, self.shape)

    @property
    def time_kind(self) -> str:
        """``comparison``, ``point``, ``period`` or ``now``."""
        if self.versus is not None:
            return "comparison"
        if self.at is not None:
            return "point"
        return "period" if self.period is not None else "now"

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
        """The SPEC §8 ``entities`` object, extended with what else was understood.

        ``account``, ``period``, ``limit`` and ``filters`` as SPEC §8 says; then
        ``measure``, ``subject``, ``shape``, ``time`` (``{"kind": "now"|"point"|"period"|
        "comparison", ...}``: ``at`` for a point, ``sides`` for a comparison),
        ``comparison`` (the two sides, or null), ``order`` (of a ranking) and
        ``unsupported`` (parts of the question the answer could not honour).
        """
        time: dict[str, Any] = {"kind": self.time_kind}
        if self.at is not None:
            time["at"] = self.at.isoformat()
        if self.versus is not None:
            time["sides"] = self.versus.to_json()
        return {
            "account": self.account.to_json() if self.account else None,
            "period": self.period.to_json() if self.period else None,
            "limit": self.limit,
            "filters": self.filters.to_json(),
            "measure": self.measure.value,
            "subject": self.subject.value,
            "shape": self.shape.value,
            "time": time,
            "comparison": self.versus.to_json() if self.versus else None,
            "order": "ascending" if self.ascending else "descending",
            "unsupported": list(self.unsupported),
        }
