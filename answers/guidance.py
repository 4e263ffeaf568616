"""Answers that are not figures: help, not understood, and account problems."""

from __future__ import annotations

from typing import Any

from answers.format import bullet_list
from answers.model import Answer
from questions.query import Intent, Query

EXAMPLES: dict[str, tuple[str, ...]] = {
    "Payments": (
        "who is overdue more than 30 days?",
        "failed payments this week",
        "ARR at risk this month",
    ),
    "Accounts": (
        "summarize Acme",
        "is Acme up to date on payments?",
        "Acme's MRR over the last 12 months",
        "recent invoices of Acme",
        "lifetime revenue for Acme",
    ),
    "Revenue": (
        "what's our MRR?",
        "MRR by month this year",
        "MRR movements last month",
        "churn rate in January",
        "top 5 accounts by MRR",
    ),
    "Customers": (
        "cancellations in the last 30 days",
        "who is scheduled to cancel?",
        "downgrades last month",
        "upsell candidates",
        "renewals in the next 14 days",
        "trials ending soon",
        "new customers this month",
    ),
}

SUGGESTED: dict[Intent, str] = {
    Intent.OVERDUE_ACCOUNTS: "who is overdue?",
    Intent.FAILED_PAYMENTS: "failed payments this week",
    Intent.ARR_AT_RISK: "ARR at risk this month",
    Intent.MRR_TOTAL: "what's our MRR?",
    Intent.MRR_TREND: "MRR by month",
    Intent.TOP_ACCOUNTS: "top 5 accounts by MRR",
    Intent.CANCELLATIONS: "cancellations this month",
    Intent.RENEWALS: "renewals in the next 14 days",
}


# The filters each answer applies; any other filter a question states is named as not
# applied (SPEC §8: every filter is honoured or the answer says it could not be).
_MONEY = frozenset({"amount", "currency", "plan"})
APPLIED_FILTERS: dict[Intent, frozenset[str]] = {
    Intent.OVERDUE_ACCOUNTS: _MONEY | {"days"},
    Intent.FAILED_PAYMENTS: _MONEY,
    Intent.ARR_AT_RISK: _MONEY,
    Intent.TOP_ACCOUNTS: _MONEY,
    Intent.LIFETIME_REVENUE: _MONEY,
    Intent.CANCELLATIONS: _MONEY,
    Intent.SCHEDULED_CANCELLATIONS: _MONEY,
    Intent.DOWNGRADES: _MONEY,
    Intent.RENEWALS: _MONEY,
    Intent.TRIALS: _MONEY,
    Intent.NEW_CUSTOMERS: _MONEY,
    Intent.UPSELL_CANDIDATES: _MONEY,
    Intent.ACCOUNT_INVOICES: frozenset({"amount", "currency", "status"}),
    Intent.MRR_TOTAL: frozenset({"currency"}),
    Intent.MRR_MOVEMENTS: frozenset({"movement"}),
}
# Answers that are not figures: nothing to apply a filter to.
_NOT_FIGURES = frozenset({Intent.HELP, Intent.UNKNOWN})


def not_honoured(query: Query) -> list[str]:
    """The parts of ``query`` its answer cannot honour, in words."""
    if query.intent in _NOT_FIGURES:
        return []
    applied = APPLIED_FILTERS.get(query.intent, frozenset())
    if query.intent is Intent.LIFETIME_REVENUE and query.account is not None:
        applied = frozenset()
    missed = [
        f"the filter '{query.filters.describe(kind)}'"
        for kind in query.filters.stated()
        if kind not in applied
    ]
    return missed + list(query.unsupported)


def say_what_was_not_honoured(answer: Answer) -> None:
    """Name, in the result and the text, what the question asked but the answer ignores."""
    if answer.result.get("candidates") is not None or answer.result.get("account_text"):
        return  # a "which account?" answer: nothing was answered yet
    parts = not_honoured(answer.query)
    if not parts:
        return
    answer.result["not_honoured"] = parts
    answer.text += "\nNote: I could not apply " + "; ".join(parts) + "."


def help_answer(query: Query) -> Answer:
    topics = [{"topic": t, "examples": list(e)} for t, e in EXAMPLES.items()]
    # Plain text (the CLI prints it as is; Slack shows it in a section): no *bold* markup.
    lines = [f"{t}: " + "; ".join(f"“{x}”" for x in e) for t, e in EXAMPLES.items()]
    text = "I answer questions about your Stripe billing. Try:\n" + "\n".join(lines)
    return Answer(query, {"topics": topics}, text)


def unknown_answer(query: Query) -> Answer:
    picks = [SUGGESTED[i] for i in query.suggestions if i in SUGGESTED]
    if not picks:
        picks = [EXAMPLES["Payments"][0], EXAMPLES["Revenue"][0], EXAMPLES["Accounts"][0]]
    result = {"suggestions": picks, "rows": []}
    text = "Sorry, I didn't understand that as a billing question. You could ask:\n" + bullet_list(
        picks
    )
    return Answer(query, result, text)


def ambiguous_answer(query: Query) -> Answer:
    names = [c.name for c in query.account_candidates]
    shown = names[:5]
    listed = ", ".join(shown[:-1]) + f" or {shown[-1]}" if len(shown) > 1 else shown[0]
    more = f" (and {len(names) - 5} more)" if len(names) > 5 else ""
    result: dict[str, Any] = {
        "account_text": query.account_text,
        "candidates": [c.to_json() for c in query.account_candidates],
        "rows": [],
    }
    if query.account_how == "several":
        # the question named these accounts itself: ask which one, not "did you mean"
        return Answer(query, result, f"Which one: {listed}{more}?")
    return Answer(query, result, f"Did you mean {listed}{more}?")


def missing_account_answer(query: Query) -> Answer:
    typed = (query.account_text or "").strip()[:80]
    result: dict[str, Any] = {"account_text": typed or None, "rows": []}
    if typed:
        return Answer(query, result, f"No account matches '{typed}'.")
    return Answer(query, result, "Which account? For example: “summarize Acme”.")
