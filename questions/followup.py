"""Follow-ups in a thread: "what about Globex?", "and last month?", "top 10 instead".

A reply is read without its follow-up wording ("and", "what about",
"instead", ...). If what remains asks something on its own (intent cues) and
there was no follow-up wording, it is a new question and replaces the
context. Otherwise the previous intent is kept (or the new one taken, when
the reply names one after "and ...") and the previous entities are reused
where the reply gives none: account, period, limit, filters (merged).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime

from questions import compose
from questions.accounts import AccountIndex
from questions.intents import MIN_SCORE, account_version, workspace_version
from questions.normalize import normalize
from questions.parse import masked, understand
from questions.periods import find_period, forward_from, number_words_re, period_before
from questions.query import (
    ACCOUNT_INTENTS,
    ACCOUNT_OPTIONAL_INTENTS,
    FORWARD_INTENTS,
    AccountRef,
    Filters,
    Intent,
    Measure,
    Query,
    Shape,
    Subject,
    intent_of,
    typed_for,
)

_LEAD = re.compile(
    r"(?i)^(?:(?:and|ok|okay|so|but|also|then|now|same|again|cool|thanks|great|right|hmm|what|how|"
    r"about|for|with|only|just|show|me|the|ones|those|them|please|pls|can|you|do|it|that|this|"
    r"same thing|as well|instead|too|now)\b(?:'s)?[\s,?!.]*)+"
)
_MARKER = re.compile(
    r"^(?:and|but|also|what about|how about|same (?:for|but|thing)|now|then|ok(?:ay)? (?:and|now"
    r"|what)"
    r"|only|just|instead)\b|\b(?:instead|too|as well|then|again)\W*$|^(?:for|in|over|since|last"
    r"|this|"
    r"top|with|without|excluding|including)\b"
)
# "their invoices?", "its MRR": the reply is about the account of the previous question.
_PRONOUN = re.compile(
    r"\b(?:their|theirs|its|it|they|them|they're|this (?:account|client|customer|one)"
    r"|that (?:account|client|customer|one)|the same (?:account|client|customer))\b"
)
_SCALED = re.compile(r"\d\s*(?:k|m|mm|thousand|million|grand)\b|[$€£¥₹₩]")
# "and next 90?" after "renewals in the next 30 days": the unit goes without saying.
_UNITLESS = re.compile(
    rf"(?i)\b(?:next|last|past|previous|prior)\s+(?:\d{{1,4}}|{number_words_re()})"
    r"(?=\s*(?:instead|too|then|please|pls)?\s*[?.!]*\s*$)"
)
_LABEL_UNIT = re.compile(r"\b(day|week|month|quarter|year)s?\b")
_LIMIT_ONLY = re.compile(
    r"^(?:top|first|biggest|largest|show|give me)?\s*\w+\s*(?:instead|please)?\W*$"
)


def _strip_lead(text: str) -> str:
    """The reply without leading follow-up words (on folded text)."""
    return _LEAD.sub("", text).strip()


def follow_up(
    previous: Query,
    text: str,
    accounts: AccountIndex | Iterable[AccountRef],
    as_of: date | datetime,
    tz: str = "UTC",
) -> Query:
    """Understand ``text`` as a reply to ``previous`` in the same thread."""
    text = _with_unit(text, previous)
    whole = understand(text, accounts, as_of, tz)
    new = whole.query
    folded = whole.norm.folded
    if new.intent is Intent.HELP:
        return new
    if new.period is None and (before := period_before(folded, previous.period)):
        new = replace(new, period=before, at=None)
    new = replace(new, filters=_bare_numbers(previous.filters, new.filters, folded))
    own_account = bool(new.account or new.account_candidates or new.account_text)
    had_account = bool(previous.account or previous.account_candidates)
    pronoun = had_account and not own_account and bool(_PRONOUN.search(folded))
    has_marker = bool(_MARKER.search(folded)) or pronoun
    # Judge "does it ask something itself" without the follow-up wording ("what about X").
    rest = _LEAD.sub("", whole.norm.original).strip()
    part_u = understand(rest, accounts, as_of, tz) if rest else None
    part = part_u.query if part_u else None
    explicit = (
        part is not None
        and part.confidence >= MIN_SCORE
        and part.intent not in (Intent.UNKNOWN, Intent.HELP)
    )
    if explicit and not has_marker:
        return new
    if not explicit and not _has_entities(new):
        return new
    if previous.intent in (Intent.UNKNOWN, Intent.HELP) and not explicit:
        return new
    intent = previous.intent
    carried = True
    if part_u is not None and part is not None and explicit and not _only_limit(part, folded):
        intent = part.intent
        carried = False
        if had_account and not own_account:
            # "and their payment status?" after "how is Acme doing": still about Acme.
            if part_u.intent.raw in ACCOUNT_INTENTS | ACCOUNT_OPTIONAL_INTENTS:
                intent = part_u.intent.raw
            elif pronoun:
                intent = account_version(intent)
    account = new.account
    candidates = new.account_candidates
    account_text = new.account_text
    account_how = new.account_how
    if account is None and not candidates and not account_text:
        account, candidates = previous.account, previous.account_candidates
        account_text, account_how = previous.account_text, previous.account_how
    has_account = account is not None or bool(candidates) or bool(account_text)
    if has_account and (new.account or new.account_candidates or new.account_text):
        intent = account_version(intent, new.period is not None and new.period != previous.period)
    elif not has_account or intent not in ACCOUNT_INTENTS | ACCOUNT_OPTIONAL_INTENTS:
        if intent not in ACCOUNT_INTENTS | ACCOUNT_OPTIONAL_INTENTS:
            account, candidates, account_text = None, (), None
        elif not has_account:
            intent = workspace_version(intent)
    period, at, versus = new.period, new.at, new.versus
    if period is None:
        period, at, versus = previous.period, previous.at, previous.versus
    elif intent in FORWARD_INTENTS:
        match = find_period(normalize(text).folded, new.as_of, forward=True)
        if match:
            match = forward_from(match, new.as_of)
            period, at = match.period, match.at
    one = has_account and intent in ACCOUNT_INTENTS | ACCOUNT_OPTIONAL_INTENTS
    measure, subject, shape = _typed(intent, one, (previous, new) if carried else (new, previous))
    merged = replace(
        new,
        measure=measure,
        subject=subject,
        shape=shape,
        account=account,
        account_candidates=candidates,
        account_text=account_text,
        account_how=account_how,
        period=period,
        at=at,
        versus=versus,
        limit=new.limit if new.limit is not None else previous.limit,
        filters=previous.filters.merged(new.filters),
        granularity=new.granularity if new.granularity != "month" else previous.granularity,
        unsupported=(),
    )
    if new.period is None:
        return replace(merged, unsupported=previous.unsupported)
    # the reply's own times, read for the question it continues ("and vs end of last year?")
    masked_text = masked(folded, whole.match.span)
    match = whole.period
    merged = compose.with_point(
        replace(merged, versus=None),
        match.natural_end if match else None,
        bool(match and match.is_range),
    )
    merged = compose.with_versus(merged, whole.versus, masked_text)
    return compose.snapshot_dates(merged)


def _typed(
    intent: Intent, one: bool, sources: tuple[Query, Query]
) -> tuple[Measure, Subject, Shape]:
    """Measure, subject and shape for ``intent``: those of the first source that asked
    the same (so "what about Globex?" after "MRR now vs in May" still compares MRR)."""
    subject = Subject.ACCOUNT if one or intent in ACCOUNT_INTENTS else Subject.WORKSPACE
    for source in sources:
        if intent_of(source.measure, subject, source.shape) is intent:
            return source.measure, subject, source.shape
    return typed_for(intent, one)


def _with_unit(text: str, previous: Query) -> str:
    """``text`` with the previous period's unit after a unitless "next 90"."""
    m = _UNITLESS.search(text)
    unit = _LABEL_UNIT.search(previous.period.label) if previous.period else None
    if m is None or unit is None:
        return text
    return f"{text[: m.end()]} {unit[1]}s{text[m.end() :]}"


def _bare_numbers(previous: Filters, new: Filters, folded: str) -> Filters:
    """A unitless "only over 60" after a days filter is a number of days, not an amount."""
    days_before = previous.min_days is not None or previous.max_days is not None
    amount_before = previous.min_amount is not None or previous.max_amount is not None
    if (
        not days_before
        or amount_before
        or new.currency is not None
        or new.min_days is not None
        or new.max_days is not None
        or _SCALED.search(folded)
    ):
        return new
    values: dict[str, object] = {}
    for bound in ("min", "max"):
        amount = getattr(new, f"{bound}_amount")
        if amount is not None and amount == amount.to_integral_value() and 0 < amount <= 3650:
            values[f"{bound}_days"] = int(amount)
            values[f"{bound}_days_strict"] = getattr(new, f"{bound}_amount_strict")
            values[f"{bound}_amount"] = None
    return replace(new, **values) if values else new  # type: ignore[arg-type]


def _has_entities(query: Query) -> bool:
    return bool(
        query.account
        or query.account_candidates
        or query.account_text
        or query.period
        or query.limit
        or not query.filters.is_empty()
    )


def _only_limit(new: Query, folded: str) -> bool:
    """A reply that only changes the number of rows ("top 10 instead")."""
    return (
        new.intent is Intent.TOP_ACCOUNTS
        and new.limit is not None
        and bool(_LIMIT_ONLY.match(_strip_lead(folded)))
    )
