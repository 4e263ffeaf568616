"""Text -> ``Query``: normalise, find the time phrase, numbers and account, then the intent."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from questions import compose
from questions.accounts import AccountIndex, AccountMatch, guess_account_text, index_for
from questions.intents import (
    ACCOUNT_PLACEHOLDER,
    DEFAULT_SUGGESTIONS,
    MIN_SCORE,
    IntentResult,
    decide,
)
from questions.normalize import Normalized, normalize
from questions.numbers import NumberFacts, find_numbers
from questions.periods import PeriodMatch, find_period, forward_from, mask_context_weekdays
from questions.plans import find_plan
from questions.query import (
    ACCOUNT_INTENTS,
    FORWARD_INTENTS,
    AccountRef,
    Intent,
    Measure,
    Query,
    Subject,
)
from questions.refusal import not_billing, split_request
from questions.versus import Found, find_versus

_WEEKLY = re.compile(
    r"\bweekly\b|\bby week\b|\bper week\b|\beach week\b|\bweek[\s-]+(?:by|over|on)[\s-]+week\b"
)


# "Acme's invoices" -> "acctx invoices"; "Obsidian Inc. paid" -> "acctx paid" (the dot of
# an abbreviation the mention stopped short of).
# "Acme's open invoices", "unpaid bills of Acme", "paid invoices for Acme": a status filter.
_OPEN_INVOICES = re.compile(
    r"\b(?:open|unpaid|outstanding|overdue|past[\s-]*due|unsettled)\s+(?:invoices?|bills?)\b"
    r"|\b(?:invoices?|bills?)\s+(?:that are |which are |still )*(?:open|unpaid|outstanding"
    r"|not paid)\b"
)
_PAID_INVOICES = re.compile(r"\bpaid\s+(?:invoices?|bills?)\b")

_EXCLUDING = re.compile(
    r"\b(?:excluding|excl\.?|except(?:\s+for)?|other\s+than|not\s+counting|leaving\s+out"
    r"|without\s+counting)\s+[^,.?!;]{1,40}"
)
_EMAIL_LOCAL = re.compile(r"[\w.+-]+@$")
_POSSESSIVE_TAIL = re.compile(r"^(?:'s?(?!\w)|\.(?=\s))")


@dataclass(frozen=True)
class Understanding:
    """Everything ``parse`` found, kept for follow-ups and debugging."""

    query: Query
    norm: Normalized
    period: PeriodMatch | None
    numbers: NumberFacts
    match: AccountMatch
    intent: IntentResult
    versus: Found | None = None


def local_date(as_of: date | datetime, tz: str = "UTC") -> date:
    """The calendar date of ``as_of`` in the workspace time zone."""
    if isinstance(as_of, datetime):
        if as_of.tzinfo is None:
            return as_of.date()
        return as_of.astimezone(ZoneInfo(tz)).date()
    return as_of


def as_index(accounts: AccountIndex | Iterable[AccountRef]) -> AccountIndex:
    if isinstance(accounts, AccountIndex):
        return accounts
    return index_for(tuple(accounts))


def masked(folded: str, span: tuple[int, int] | None) -> str:
    """Folded text with the account mention replaced by a placeholder word."""
    if span is None:
        return folded
    rest = _POSSESSIVE_TAIL.sub("", folded[span[1] :])
    # "billing@acme.com": the address is the mention, not just its domain
    head = _EMAIL_LOCAL.sub("", folded[: span[0]])
    return f"{head.rstrip()} {ACCOUNT_PLACEHOLDER} {rest.lstrip()}".strip()


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with ``spans`` (account names) blanked, same length: "Sunday Solar" is no day.

    Blanked with a word character, so no phrase bridges the gap ("for Redpoint this year")."""
    for start, end in spans:
        text = text[:start] + "_" * (end - start) + text[end:]
    return text


def understand(
    text: str,
    accounts: AccountIndex | Iterable[AccountRef],
    as_of: date | datetime,
    tz: str = "UTC",
) -> Understanding:
    """Parse ``text`` and keep the intermediate findings."""
    index = as_index(accounts)
    day = local_date(as_of, tz)
    norm = normalize(text)
    folded = norm.folded
    names = index.name_spans(norm)
    timed = _blank(mask_context_weekdays(folded), names)
    period = find_period(timed, day)
    versus = find_versus(timed, day)
    taken = [period.span] if period else []
    if versus is not None:
        taken.extend(versus.spans)
    plan = find_plan(_blank(folded, names))
    if plan is not None:
        taken.append(plan[1])
    numbers = find_numbers(folded, taken + names)
    excluded = _EXCLUDING.search(folded)
    # "overdue except Acme": an account named only to be left out is not the subject
    left_out = [excluded.span()] if excluded else []
    match = index.resolve(norm, ignore=taken + list(numbers.spans) + left_out)
    domain_miss = match.how == "none" and match.text is not None
    range_period = bool(period and period.is_range)
    point = bool(period and period.at is not None)
    text_masked = masked(folded, match.span)
    result = decide(
        text_masked,
        has_account=match.found,
        named_account=domain_miss,
        range_period=range_period,
        point_in_time=point,
        past_period=bool(period and period.period.start <= day),
    )
    if not_billing(text_masked):
        return _refused(
            norm,
            index,
            as_of,
            tz,
            Understanding(
                Query(Measure.NONE, day, text=norm.original, suggestions=_nearest(result)),
                norm,
                period,
                numbers,
                AccountMatch(),
                result,
                versus,
            ),
        )
    intent = result.intent
    account_text = match.text
    account_like = intent in ACCOUNT_INTENTS or result.raw in ACCOUNT_INTENTS
    if (
        not match.found
        and account_text is None
        and (account_like or intent in (Intent.LIFETIME_REVENUE, Intent.UNKNOWN))
    ):
        guess = guess_account_text(
            norm, taken + list(numbers.spans) + left_out, strict=not account_like
        )
        if guess and (account_like or guess[:1].isupper()):
            account_text = guess
            if result.raw in ACCOUNT_INTENTS:
                intent = result.raw
            elif intent is Intent.UNKNOWN:
                intent = Intent.ACCOUNT_SUMMARY
    if intent in FORWARD_INTENTS:
        ahead = _blank(mask_context_weekdays(folded, forward=True), names)
        period = find_period(ahead, day, forward=True)
        period = forward_from(period, day) if period else None
    filters = numbers.filters
    if plan is not None:
        filters = replace(filters, plan=plan[0])
    if intent is Intent.ACCOUNT_INVOICES and filters.status is None:
        if _OPEN_INVOICES.search(folded):
            filters = replace(filters, status="open")
        elif _PAID_INVOICES.search(folded):
            filters = replace(filters, status="paid")
    at = period.at if period else None
    query = Query.of(
        intent,
        day,
        text=norm.original,
        account=match.account,
        account_candidates=match.candidates,
        account_text=account_text,
        account_how=match.how,
        period=period.period if period else None,
        at=at,
        limit=numbers.limit,
        filters=filters,
        granularity="week" if _WEEKLY.search(folded) else "month",
        confidence=result.score if intent is result.intent else 0.0,
        suggestions=result.suggestions,
    )
    if query.intent is Intent.UNKNOWN:
        # not understood: nothing is answered about the account it names
        query = replace(query, account=None, account_candidates=(), account_text=None)
    if match.how == "several" and query.subject is Subject.ACCOUNT:
        query = replace(query, subject=Subject.ACCOUNTS)
    query = compose.measure_named(query, text_masked)
    query = compose.movement_kind(query, text_masked)
    query = compose.ranking_by_bound(query, text_masked)
    query = compose.from_the_bottom(query, text_masked)
    query = compose.with_point(
        query, period.natural_end if period else None, bool(period and period.is_range)
    )
    query = compose.with_versus(query, versus, text_masked)
    query = compose.snapshot_dates(query)
    if excluded and query.intent not in (Intent.UNKNOWN, Intent.HELP):
        # "MRR excluding EUR", "overdue except Acme": no exclusion is applied, so say so
        note = f"the exclusion “{norm.original_span(*excluded.span()).strip()}”"
        query = replace(query, unsupported=(*query.unsupported, note))
    return Understanding(query, norm, period, numbers, match, result, versus)


def _refused(
    norm: Normalized,
    index: AccountIndex,
    as_of: date | datetime,
    tz: str,
    refusal: Understanding,
) -> Understanding:
    """A request that is not a billing question: unknown, unless it also asks one, which
    is answered while the answer names the request it does not take up."""
    parts = split_request(norm.original)
    if parts is None:
        return refusal
    billing, other = parts
    asked = understand(billing, index, as_of, tz)
    if asked.query.intent in (Intent.UNKNOWN, Intent.HELP) or asked.intent.score < MIN_SCORE:
        return refusal
    note = f"the request “{other[:80]}” (not a billing question)"
    query = replace(asked.query, text=norm.original, unsupported=(*asked.query.unsupported, note))
    return replace(asked, query=query)


def _nearest(result: IntentResult) -> tuple[Intent, ...]:
    """Questions to suggest instead of a request we do not answer: the billing intents its
    words are closest to, else the usual examples."""
    ranked = sorted(result.scores.items(), key=lambda kv: -kv[1])
    near = tuple(i for i, s in ranked if s > 0 and i not in (Intent.HELP, Intent.UNKNOWN))
    return near[:3] or DEFAULT_SUGGESTIONS


def parse(
    text: str,
    accounts: AccountIndex | Iterable[AccountRef],
    as_of: date | datetime,
    tz: str = "UTC",
) -> Query:
    """Understand one question: its intent and entities, relative to ``as_of``."""
    return understand(text, accounts, as_of, tz).query
