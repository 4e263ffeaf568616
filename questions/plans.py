"""A plan named as a filter: "customers on the growth plan", "starter plan accounts",
"plan growth_monthly", "renewals for enterprise_monthly".

Plan labels belong to each workspace (a price's lookup key, nickname or product name),
so the reader keeps the words as typed; the answer matches them against labels
ignoring case, spaces, "-" and "_" ("growth" matches "growth_monthly" and "Growth GBP").
Works on folded text.
"""

from __future__ import annotations

import re

from questions.vocabulary import STOPWORDS

# Words before "plan" that describe a plan change or a plan in general, not name one.
_NOT_A_NAME = frozenset(
    [
        "a",
        "an",
        "the",
        "their",
        "its",
        "his",
        "her",
        "our",
        "my",
        "your",
        "this",
        "that",
        "same",
        "current",
        "new",
        "old",
        "next",
        "other",
        "bigger",
        "larger",
        "higher",
        "cheaper",
        "lower",
        "smaller",
        "better",
        "worse",
        "basic",
        "premium",
        "paid",
        "free",
        "different",
        "payment",
        "billing",
        "pricing",
        "price",
        "subscription",
        "their",
        "what",
        "which",
        "any",
        "every",
        "no",
        "one",
        "each",
    ]
)
_WORD = r"[a-z0-9][a-z0-9_+.-]*"
_PLAN = re.compile(
    rf"\bon\s+(?:the\s+|a\s+)?(?P<a>{_WORD}(?:\s+{_WORD}){{0,2}}?)\s+(?:plan|tier|package)s?\b"
    rf"|\b(?P<b>{_WORD}(?:\s+{_WORD})?)\s+(?:plan|tier|package)\s+(?:customers?|clients?|accounts?"
    rf"|subscribers?|subscriptions?|users?)\b"
    r"|\b(?:plan|tier|package)\s+(?P<c>[a-z0-9]*(?:_|\d)[a-z0-9_]*)\b"
    # a lookup key ("growth_monthly"), not a Stripe field ("cancel_at", "past_due")
    r"|\b(?:for|on|of|with|in)\s+(?!(?:cancel|past|trial|current|pause|period|payment|invoice"
    r"|collection|billing|due|days|amount)_)(?P<d>[a-z0-9]+_[a-z0-9_]+)\b"
)


def find_plan(text: str) -> tuple[str, tuple[int, int]] | None:
    """The plan ``text`` narrows to, and the span it was named in."""
    for m in _PLAN.finditer(text):
        name = next(g for g in (m["a"], m["b"], m["c"], m["d"]) if g)
        words = name.split()
        if any(word in _NOT_A_NAME or word in STOPWORDS for word in words):
            continue
        return name, m.span()
    return None


def plan_key(label: str) -> str:
    """A plan label or typed name without case, spaces, "-" or "_" (for matching)."""
    return re.sub(r"[\s_-]+", "", label.casefold())
