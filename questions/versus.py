"""Comparisons of two times: "MRR now vs three months ago", "this month vs last month",
"from the end of Q3 to the end of Q4", "how does MRR compare to the end of June?".

A comparison needs a connector ("vs", "versus", "compared to", "against", "compare")
or a change between two times ("how did MRR change from X to Y"). Each side is a
time phrase (see periods.py) or "now"; a question naming only one side compares it
with now. Sides are returned earlier first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from questions.periods import PeriodMatch, find_period
from questions.query import Side, Versus

_CONNECTOR = re.compile(
    r"\b(?:vs|v|versus|compared\s+(?:to|with)|comparing|compare[ds]?|against|relative\s+to"
    r"|contrasted\s+with|than)\b"
)
# "ARR now and ARR at the end of Q3": "and" joins two times only when one stands on each side.
_AND = re.compile(r"\b(?:and|&)\b|&")
_NOW = re.compile(
    r"\b(?:right\s+now|now|today|today's|currently|rn|atm|at\s+the\s+moment|at\s+present"
    r"|as\s+of\s+now|these\s+days|current(?!\s+(?:week|month|quarter|year)))\b"
)
# "from X to Y" / "between X and Y" asked as a change between two moments.
_FROM_TO = re.compile(
    r"\b(?:from|between)\b(?P<a>.{1,60}?)\b(?:to|and|until|till|through|thru|vs)\b(?P<b>.{1,60})"
)
_CHANGE = re.compile(
    r"\b(?:chang\w*|grow\w*|grew|went|go|gone|mov\w*|differ\w*|delta|increas\w*|decreas\w*"
    r"|drop\w*|jump\w*|compar\w*|rose|risen|fell|fallen|climb\w*|shr[iau]nk\w*|gain\w*|lost)\b"
)
MAX_SIDES = 3
_JOINER = re.compile(r"\s*(?:and|to|with|vs\.?|versus|against|or)\s*(?:the\s+)?")
# Words that may sit between a connector and the time it names ("compare to the end of
# June", "vs where it was in May"); anything else means the connector joins other things
# ("new vs churned MRR last quarter").
_FILLER = frozenset(
    re.findall(
        r"\w+",
        "to with the at in on as of what where how it was were we had back mrr arr revenue our"
        " that from its their them is are this those figures numbers number level levels"
        " value values a close closing end ending start starting finish",
    )
)


@dataclass(frozen=True)
class Found:
    """A comparison found in a question, and the text spans its sides came from."""

    versus: Versus
    spans: tuple[tuple[int, int], ...]


def _blank(text: str, span: tuple[int, int]) -> str:
    return text[: span[0]] + " " * (span[1] - span[0]) + text[span[1] :]


def _time_phrases(
    text: str, as_of: date, forward: bool, skip: tuple[str, ...] = ()
) -> list[tuple[tuple[int, int], Side]]:
    """Every time phrase of ``text`` (at most MAX_SIDES), as sides, in text order."""
    found: list[tuple[tuple[int, int], Side]] = []
    rest = text
    while len(found) < MAX_SIDES:
        match = find_period(rest, as_of, forward=forward, skip=skip)
        if match is None:
            break
        found.append((match.span, side_of(match, as_of)))
        rest = _blank(rest, match.span)
    for now in _NOW.finditer(rest):
        found.append((now.span(), Side(as_of, as_of, "now")))
    return sorted(found, key=lambda item: item[0])


def side_of(match: PeriodMatch, as_of: date) -> Side:
    """A time phrase as one side: a point ("end of Q3", "three months ago") or a period."""
    if match.at is not None or match.kind == "point":
        day = match.at or match.period.end
        return Side(day, day, match.period.label)
    return Side(match.period.start, match.period.end, match.period.label, point=False)


def find_versus(text: str, as_of: date, *, forward: bool = False) -> Found | None:
    """The comparison folded ``text`` asks for, if any."""
    sides = _time_phrases(text, as_of, forward)
    joined = [
        chosen
        for connector in (_CONNECTOR.finditer(text) if sides else ())
        if (chosen := _around(text, connector, sides)) is not None
        and not (len(chosen) == 1 and chosen[0][1].label == "now")
    ]
    if joined:
        chosen = max(joined, key=len)  # a connector between two times beats one before a time
        if len(chosen) == 1:
            chosen = [*chosen, ((chosen[0][0][0], chosen[0][0][0]), Side(as_of, as_of, "now"))]
        return _found(chosen)
    for joiner in _AND.finditer(text) if len(sides) > 1 else ():
        pair = _around(text, joiner, sides)
        if (
            pair is not None
            and len(pair) == 2
            and pair[0][0][1] <= joiner.start()
            and (pair[0][1].point or pair[1][1].point)  # "in March and April" is one span
        ):
            return _found(pair)
    span_of = _FROM_TO.search(text)
    if span_of is None or not _CHANGE.search(text):
        return None
    # "how did MRR change from January to May": the two ends, not the range between them
    ends = _time_phrases(text, as_of, forward, skip=("between", "since"))
    inside_a = [s for s in ends if span_of.start("a") <= s[0][0] < span_of.end("a")]
    inside_b = [s for s in ends if span_of.start("b") <= s[0][0] < span_of.end("b")]
    if not inside_a or not inside_b:
        return None
    return _found([inside_a[0], inside_b[0]])


def _around(
    text: str, connector: re.Match[str], sides: list[tuple[tuple[int, int], Side]]
) -> list[tuple[tuple[int, int], Side]] | None:
    """The sides a connector joins: one on each side of it ("now vs May"), two after it
    ("compare this month to last month"), or the one it introduces ("compared to May")."""
    before = [s for s in sides if s[0][1] <= connector.start()]
    after = [s for s in sides if s[0][0] >= connector.end()]
    if before and after and _near(text[before[-1][0][1] : connector.start()]):
        return [before[-1], after[0]]
    if not after or not _near(text[connector.end() : after[0][0][0]]):
        return None
    if len(after) > 1 and _JOINER.fullmatch(text[after[0][0][1] : after[1][0][0]]):
        return after[:2]
    return [after[0]]


def _near(gap: str) -> bool:
    return all(word in _FILLER for word in re.findall(r"[a-z']+", gap))


def _found(chosen: list[tuple[tuple[int, int], Side]]) -> Found | None:
    (span_a, a), (span_b, b) = chosen
    if (a.start, a.end, a.point) == (b.start, b.end, b.point):
        return None
    before, after = sorted((a, b), key=lambda side: (side.end, side.start))
    return Found(Versus(before, after), tuple(s for s in (span_a, span_b) if s[0] < s[1]))


def as_points(versus: Versus, as_of: date) -> Versus:
    """Both sides as points in time: a period side stands for its last day (or today)."""

    def point(side: Side) -> Side:
        if side.point:
            return side
        return Side(min(side.end, as_of), min(side.end, as_of), side.label)

    before, after = sorted((point(versus.before), point(versus.after)), key=lambda side: side.end)
    return Versus(before, after)
