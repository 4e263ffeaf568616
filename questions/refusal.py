"""Requests that are not billing questions: actions, writing, small talk, world knowledge.

"translate 'overdue' into German", "write an email to Acme", "book a call with
Acme", "tell me a joke about invoices", "who is the CEO of Acme", "what's the
weather": each may hold billing words or an account name, yet none asks for a
billing figure, so none may get a confident billing answer. Works on folded text
with the account mention already replaced by a placeholder word.
"""

from __future__ import annotations

import re

_WRITING = (
    r"email|e-mail|mail|message|msg|note|letter|reply|response|memo|poem|haiku|song|story"
    r"|jokes?|limerick|essay|tweet|post|invite|invitation|slide|deck|press release|blog"
    r"|reminder|apology|thank[\s-]you|script|sql|query|code|function|formula|macro|meme|gif"
    r"|image|picture|drawing|diagram|follow[\s-]?up|followup|response"
)
# An action asked of the bot: at the start, after a greeting or a polite "can you".
_ASKED = (
    r"(?:^|[.,!?:;]\s*|\b(?:please|pls|plz|can\s+you|could\s+you|would\s+you|will\s+you"
    r"|can\s+u|could\s+u|hey|hi|hello|yo|ok|okay|so|and|also|then|now|revbot|bot"
    r"|help\s+me|i\s+need\s+you\s+to|i\s+want\s+you\s+to)\s+)"
    r"(?:pls\s+|please\s+|quickly\s+|just\s+|go\s+ahead\s+and\s+)?"
)
# People and contact details of a client: not billing figures.
_ROLE = (
    r"ceo|cfo|cto|coo|founder|president|owner|boss|head|account manager|account owner|am|csm"
    r"|customer success manager|point of contact|poc|main contact|contact person|contact"
    r"|sales ?rep|rep|champion|decision[\s-]maker|phone number|email address|address"
)
_NOT_BILLING = re.compile(
    rf"\bwho(?:'s|\s+is|\s+was)\s+(?:the\s+|our\s+|their\s+)?(?:{_ROLE})\s+(?:for|at|on|of)"
    r"\s+acctx\b"
    rf"|\bacctx(?:'s)?\s+(?:{_ROLE})\b|\b(?:{_ROLE})\s+(?:for|at|of)\s+acctx\b"
    r"|\btranslat\w*|\bin(?:to)? (?:german|french|spanish|italian|dutch|portuguese|japanese"
    r"|chinese|korean|polish|swedish)\b"
    rf"|{_ASKED}(?:write|draft|compose|create|prepare|generate|make|send|forward|craft|type up"
    rf"|put together|rewrite|re-write|rephrase|reword|proofread|polish|edit|improve)\s+"
    rf"(?:me\s+|us\s+|him\s+|her\s+|them\s+)?(?:[\w']+\s+){{0,3}}(?:{_WRITING})s?\b"
    rf"|{_ASKED}(?:send|email|e-mail|ping|message|dm|text|call|phone|remind|nudge|notify"
    r"|contact|invite)\s+acctx\b"
    rf"|{_ASKED}(?:book|schedule|set up|arrange|organi[sz]e|plan)\s+(?:an?\s+|the\s+|my\s+|our\s+)?"
    r"(?:\w+\s+)?(?:call|meeting|demo|sync|lunch|dinner|appointment|offsite|trip|reminder"
    r"|time)\b"
    r"|\b(?:set|create|add|schedule)\s+(?:me\s+)?(?:an?\s+)?reminder\b|\bremind\s+(?:me|us)\b"
    r"|\b(?:tell|give|know)\s+(?:me\s+|us\s+)?(?:an?\s+|some\s+)?(?:\w+\s+)?jokes?\b"
    r"|\bjokes?\s+about\b|\b(?:sing|rap|rhyme)\b|\bfun fact\b"
    # acting on billing objects: revbot only reads Stripe
    rf"|{_ASKED}(?:create|generate|issue|raise|send|make|draft|void|refund|cancel|pause|resume"
    r"|delete|update|change|edit|apply|add)\s+(?:an?\s+|the\s+|new\s+|another\s+|their\s+|its\s+"
    r"|acctx(?:'s)?\s+)*(?:\w+\s+)?(?:invoice|refund|credit note|subscription|coupon|discount"
    r"|charge|payment link|price|plan)s?\b"
    r"|\bweather\b|\bcapital (?:city )?of\b|\bwho\s+(?:is|was|'s)\s+the\s+(?:ceo|cfo|cto|coo"
    r"|founder|president|owner|boss|head)\b|\b(?:ceo|cfo|cto|coo|founder|founders|president)"
    r"\s+of\b|\bwhat\s+time\s+is\s+it\b|\btime\s+(?:is\s+it\s+)?in\s+[a-z]+\b"
    r"|\bwho\s+won\b|\bstock\s+price\b|\bshare\s+price\b|\bbitcoin\b|\bhoroscope\b|\brecipe\b"
    r"|\bsummari[sz]e\s+(?:this|the|that)\s+(?:thread|conversation|channel|chat|discussion"
    r"|meeting|call|doc|document|email)\b"
    r"|\bhow\s+(?:old|tall)\s+is\b|\bmeaning\s+of\s+life\b"
    # payment methods are not synced: card expiry is not known
    r"|\bcards?\s+(?:\w+\s+)?(?:expir\w*|expiry)\b|\bexpir\w*\s+(?:credit\s+)?cards?\b"
)


def not_billing(folded: str) -> bool:
    """Whether ``folded`` asks for something other than a billing figure."""
    return _NOT_BILLING.search(folded) is not None


# Where a message asks one more thing: a sentence end, or "and also", "then", "plus".
_CLAUSES = re.compile(
    r"\s*(?:[.?!;]+\s+|[.?!;]+$|\s(?:and\s+then|and\s+also|also|then|plus|and\s+(?:can|could"
    r"|would)\s+you|and\s+(?:pls|please))\s)\s*",
    re.IGNORECASE,
)


_LEADING = re.compile(r"^(?:(?:and|then|also|plus|so|ok|okay)\b[\s,]*)+", re.IGNORECASE)


def split_request(text: str) -> tuple[str, str] | None:
    """A message that asks a billing question *and* something else ("who is overdue? then
    draft them an email"): its billing part and the other part, or None."""
    clauses = [c.strip(" ,") for c in _CLAUSES.split(text) if c and c.strip(" ,")]
    if len(clauses) < 2:
        return None
    refused = [c for c in clauses if not_billing(c.casefold())]
    kept = [c for c in clauses if c not in refused]
    if not refused or not kept:
        return None
    other = _LEADING.sub("", " ".join(refused))
    return " ".join(kept), other
