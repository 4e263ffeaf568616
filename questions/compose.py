"""From the intent the cues chose to the typed query: measure, shape, time and what
cannot be honoured.

The cue scorer (intents.py) picks one of the SPEC §8 intents; this module refines
the query it stands for with what the grammar found beside it:

- the measure actually named (MRR or ARR rather than an account's overview,
  "how much is Acme paying us" is its MRR);
- a point in time for MRR ("at the end of July", "back in May", "in March");
- a comparison of two times (versus.py): MRR at both points, or a list measure
  over both periods; other measures cannot be compared and say so;
- accounts listed by an MRR bound ("who pays us over $4k a month") are a ranking;
- snapshot measures (overdue, top accounts, trials, ...) exist only as of now: a
  past date is named as not honoured rather than silently ignored.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from questions.query import Intent, Measure, Query, Shape, Subject
from questions.versus import Found, as_points

_ARR = re.compile(r"\barr\b|\bannual(?:i[sz]ed)?\b|\brun[\s-]*rate\b|\byearly\b|\bper year\b")
_MRR = re.compile(
    r"\bmrr\b|\bmonthly\b|\bper month\b|\ba month\b|\bmo\b|/\s?mo(?:nth)?\b|\bpaying\b|\bpays?\b"
    r"|\brecurring\b|\bworth\b"
)
_TREND_WORDS = re.compile(
    r"\btrend\w*|\bover time\b|\bhistory\b|\bchart\w*|\bgraph\w*|\bplot\w*|\bby month\b"
    r"|\bmonth[\s-]+(?:by|over|on)[\s-]+month\b|\bmonthly (?:breakdown|numbers|figures)\b"
)
_WHO = re.compile(r"\b(?:who|whom|which|accounts|clients|customers|companies|logos|list)\b")

# Intents whose figures are MRR (or one account's overview) at a moment.
_MRR_INTENTS = frozenset(
    {Intent.MRR_TOTAL, Intent.MRR_TREND, Intent.ACCOUNT_SUMMARY, Intent.ACCOUNT_MRR_TREND}
)
# Intents answered over a period, so two periods can be compared.
_PERIOD_INTENTS = frozenset(
    {
        Intent.FAILED_PAYMENTS,
        Intent.CANCELLATIONS,
        Intent.NEW_CUSTOMERS,
        Intent.DOWNGRADES,
        Intent.MRR_MOVEMENTS,
        Intent.CHURN_RATE,
        Intent.ARR_AT_RISK,
    }
)
# Intents known as of now only: a past date cannot be honoured.
_SNAPSHOT_INTENTS = frozenset(
    {
        Intent.OVERDUE_ACCOUNTS,
        Intent.TOP_ACCOUNTS,
        Intent.SCHEDULED_CANCELLATIONS,
        Intent.UPSELL_CANDIDATES,
        Intent.PAYMENT_STATUS,
    }
)


def measure_named(query: Query, text: str) -> Query:
    """MRR or ARR when the question names it (an account's overview otherwise)."""
    if query.intent not in _MRR_INTENTS:
        return query
    arr = bool(_ARR.search(text)) and not re.search(r"\bmrr\b", text)
    if arr:
        return replace(query, measure=Measure.ARR)
    if query.measure is Measure.OVERVIEW and _MRR.search(text):
        return replace(query, measure=Measure.MRR)
    return query


def with_point(query: Query, natural_end: date | None, is_range: bool) -> Query:
    """MRR "in March" or "back in May" is MRR at the end of that month (today at the latest)."""
    if query.at is not None or query.period is None or is_range or natural_end is None:
        return query
    if query.intent is Intent.MRR_TOTAL or (
        query.intent is Intent.ACCOUNT_SUMMARY
        and query.measure in (Measure.MRR, Measure.ARR)
        and query.period.start <= query.as_of
    ):
        return replace(query, at=min(natural_end, query.as_of))
    return query


def with_versus(query: Query, found: Found | None, text: str) -> Query:
    """A comparison: MRR at two points, a period measure over two periods, else unsupported."""
    if found is None:
        return query
    versus = found.versus
    intent = query.intent
    if intent in _MRR_INTENTS or (intent is Intent.MRR_MOVEMENTS and _only_points(found)):
        if _TREND_WORDS.search(text) and intent in (Intent.MRR_TREND, Intent.ACCOUNT_MRR_TREND):
            return replace(query, period=versus.span(), at=None)
        versus = as_points(versus, query.as_of)
        measure = query.measure if query.measure in (Measure.MRR, Measure.ARR) else Measure.MRR
        return replace(
            query,
            measure=measure,
            shape=Shape.TOTAL,
            versus=versus,
            period=versus.span(),
            at=None,
        )
    if intent in _PERIOD_INTENTS and not versus.before.point and not versus.after.point:
        return replace(query, versus=versus, period=versus.span(), at=None)
    return _unsupported(query, f"a comparison ({versus.before.label} vs {versus.after.label})")


def _only_points(found: Found) -> bool:
    return found.versus.before.point and found.versus.after.point


# One kind of MRR movement named alone ("who upgraded", "reactivations", "new MRR").
_KINDS = (
    ("new", re.compile(r"(?<!net )\bnew\b")),
    ("expansion", re.compile(r"\bexpan\w*|\bgrew\b|\bgrown\b")),
    ("upgrade", re.compile(r"\bupgrad\w*|\bupsold\b|\bmoved up\b|\bbigger plans?\b")),
    ("contraction", re.compile(r"\bcontract\w*|\bdowngrad\w*|\bshr[aiu]nk\w*")),
    ("churn", re.compile(r"\bchurn\w*|\blost (?:mrr|arr|revenue)\b")),
    (
        "reactivation",
        re.compile(r"\breactivat\w*|\bwin[\s-]?backs?\b|\b(?:won|came|coming) back\b"),
    ),
)


def movement_kind(query: Query, text: str) -> Query:
    """MRR movements of one kind, when the question names that kind alone."""
    if query.intent is not Intent.MRR_MOVEMENTS or query.filters.movement is not None:
        return query
    named = [kind for kind, pattern in _KINDS if pattern.search(text)]
    if len(named) != 1:
        return query
    return replace(
        query,
        filters=replace(query.filters, movement=named[0]),
        shape=Shape.LIST,
    )


def ranking_by_bound(query: Query, text: str) -> Query:
    """ "Which clients pay us over $4k a month", "customers on the growth plan": accounts
    listed by an MRR bound or a plan."""
    bounded = query.filters.min_amount is not None or query.filters.max_amount is not None
    bounded = bounded or query.filters.plan is not None
    if (
        bounded
        and query.subject is Subject.WORKSPACE
        and query.intent in (Intent.MRR_TOTAL, Intent.UNKNOWN)
        and _WHO.search(text)
        and (query.intent is Intent.MRR_TOTAL or _MRR.search(text) or query.filters.plan)
    ):
        return replace(query, measure=Measure.MRR, shape=Shape.LIST)
    return query


def snapshot_dates(query: Query) -> Query:
    """A past date on a measure known as of now only is named as not honoured."""
    if query.intent not in _SNAPSHOT_INTENTS or query.versus is not None:
        return query
    past = query.at if query.at is not None else (query.period.end if query.period else None)
    if past is None or past >= query.as_of:
        return query
    label = query.period.label if query.period else past.isoformat()
    return _unsupported(query, f"a past date ({label}): shown as of now")


def _unsupported(query: Query, part: str) -> Query:
    return replace(query, unsupported=(*query.unsupported, part))
