"""The question engine's understanding half: text -> typed ``Query`` (SPEC §8).

``parse(text, accounts, as_of, tz)`` understands one question;
``follow_up(previous, text, accounts, as_of, tz)`` one reply in a thread. A question
becomes a typed query (measure × subject × time × filters × shape, query.py) whose
SPEC §8 intent is derived from it; questions/schema.py gives its JSON schema and
(de)serialisation. The answer layer dispatches on ``Query.intent``.
"""

from questions.accounts import AccountIndex, AccountMatch, index_for
from questions.followup import follow_up
from questions.parse import parse
from questions.query import (
    AccountRef,
    Filters,
    Intent,
    Measure,
    Period,
    Query,
    Shape,
    Side,
    Subject,
    Versus,
)

__all__ = [
    "AccountIndex",
    "AccountMatch",
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
    "follow_up",
    "index_for",
    "parse",
]
