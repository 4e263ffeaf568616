"""Time phrases -> inclusive date ranges relative to an as-of date.

Works on folded text (see normalize.py). Conventions, matching the sample
world's expected windows:

- rolling windows ("last 30 days", "the past month", "the last quarter") run
  from as_of minus the length to as_of;
- calendar periods ("last month", "last week", "Q3", "December") are whole
  periods; one that contains as_of ends at as_of ("this month" = month so far);
- a month or quarter without a year is its most recent occurrence that has
  started (for forward-looking questions: the next one that has not ended);
- forward windows ("next 14 days", "next fortnight") run from as_of.
Weeks start on Monday. End dates are inclusive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from questions.query import Period

MONTHS: dict[str, int] = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

_UNITS = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _number_words() -> dict[str, int]:
    """Number words up to ninety-nine ("twenty five" also typed "twenty-five"), plus idioms."""
    words = {word: n for n, word in enumerate(_UNITS, start=1)}
    for t, tens in enumerate(_TENS, start=2):
        words[tens] = 10 * t
        for n, unit in enumerate(_UNITS[:9], start=1):
            words[f"{tens} {unit}"] = 10 * t + n
    words.update(
        {
            "a": 1,
            "an": 1,
            "couple of": 2,
            "couple": 2,
            "few": 3,
            "fourty": 40,
            "hundred": 100,
            "a hundred": 100,
            "one hundred": 100,
        }
    )
    return words


NUMBER_WORDS: dict[str, int] = _number_words()

_MONTH_RE = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)


def number_words_re() -> str:
    """A compact regex for the number words: tens with an optional unit, "-" allowed."""
    units = "|".join(sorted(_UNITS, key=len, reverse=True))
    tens = "|".join([*_TENS, "fourty"])
    return (
        rf"(?:{tens})(?:[\s-]+(?:{'|'.join(_UNITS[:9])}))?|(?:a[\s-]+|one[\s-]+)?hundred"
        rf"|couple(?:\s+of)?|{units}|few|an|a"
    )


_NUM_RE = r"(?:\d{1,4}|" + number_words_re() + ")"
_UNIT_RE = r"(?:days?|weeks?|wks?|months?|mos?|quarters?|years?|yrs?|fortnights?)"
# "14 days", "fourteen days", and the compact "14d" / "2wks" people type in Slack.
_NUM_UNIT = (
    rf"(?:(?P<n>\d{{1,4}})\s*(?P<unit>{_UNIT_RE}|d|w)"
    rf"|(?P<nw>{number_words_re()})\s+(?P<unitw>{_UNIT_RE}))\b"
)
_YEAR_RE = r"(?:19|20)\d{2}"
_ORD = r"(?:st|nd|rd|th)?"

# Days people name instead of dates (month, day); Thanksgiving is US (4th Thursday of Nov).
HOLIDAYS: dict[str, tuple[int, int]] = {
    "new year's eve": (12, 31),
    "new years eve": (12, 31),
    "nye": (12, 31),
    "new year's day": (1, 1),
    "new years day": (1, 1),
    "christmas eve": (12, 24),
    "christmas day": (12, 25),
    "christmas": (12, 25),
    "xmas": (12, 25),
    "boxing day": (12, 26),
    "halloween": (10, 31),
    "valentine's day": (2, 14),
    "valentines day": (2, 14),
    "independence day": (7, 4),
    "thanksgiving": (11, 0),
}
_HOLIDAY_RE = "|".join(re.escape(h) for h in sorted(HOLIDAYS, key=len, reverse=True))

# Meteorological seasons (northern hemisphere): their first month.
SEASONS: dict[str, int] = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
_SEASON_RE = r"(?:spring|summer|fall|autumn|winter)"

# A single date or month expression (used alone and inside "between ... and ...").
_DATE_EXPR = (
    rf"(?:{_YEAR_RE}-\d{{1,2}}-\d{{1,2}}"
    rf"|\d{{1,2}}/\d{{1,2}}/{_YEAR_RE}"
    rf"|{_MONTH_RE}\s+\d{{1,2}}{_ORD}(?:,?\s+{_YEAR_RE})?"
    rf"|\d{{1,2}}{_ORD}\s+(?:of\s+)?{_MONTH_RE}(?:,?\s+{_YEAR_RE})?"
    rf"|{_MONTH_RE}(?:,?\s+{_YEAR_RE})?"
    rf"|{_YEAR_RE}-\d{{1,2}}"
    rf"|q[1-4](?:\s+{_YEAR_RE})?"
    rf"|(?:the\s+)?{_SEASON_RE}(?:\s+(?:of\s+)?{_YEAR_RE})?"
    rf"|{_YEAR_RE})"
)


@dataclass(frozen=True)
class PeriodMatch:
    """A time phrase found in a question.

    ``kind``: ``rolling``, ``calendar``, ``current`` (a calendar period holding
    as_of), ``since``, ``range``, ``point`` (one date), ``forward``.
    ``natural_end`` is the calendar end before clamping to as_of.
    ``at`` is set for point-in-time phrases ("at the end of December").
    """

    period: Period
    kind: str
    span: tuple[int, int]
    natural_end: date
    at: date | None = None

    @property
    def is_range(self) -> bool:
        """A span of several months or a trend-like window, as opposed to one point or month."""
        days = (self.period.end - self.period.start).days
        return (
            self.kind in ("since", "range")
            or (self.kind in ("rolling", "bare") and days > 31)
            or (self.kind in ("calendar", "current") and days > 62)
        )


def _number(text: str) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    return NUMBER_WORDS.get(re.sub(r"[\s-]+", " ", text))


def month_end(year: int, month: int) -> date:
    return date(year, month, 1) + relativedelta(months=1) - timedelta(days=1)


def _month_occurrence(month: int, as_of: date, forward: bool) -> int:
    """Year of the most recent started (or, forward, the next unfinished) ``month``."""
    if forward:
        return as_of.year if month >= as_of.month else as_of.year + 1
    return as_of.year if month <= as_of.month else as_of.year - 1


def _quarter_occurrence(quarter: int, as_of: date, forward: bool) -> int:
    current = (as_of.month - 1) // 3 + 1
    if forward:
        return as_of.year if quarter >= current else as_of.year + 1
    return as_of.year if quarter <= current else as_of.year - 1


def _unit_delta(unit: str, n: int) -> relativedelta:
    unit = unit.rstrip("s")
    if unit.startswith("d"):
        return relativedelta(days=n)
    if unit.startswith("w"):
        return relativedelta(weeks=n)
    if unit.startswith("fortnight"):
        return relativedelta(weeks=2 * n)
    if unit.startswith("q"):
        return relativedelta(months=3 * n)
    if unit.startswith("y"):
        return relativedelta(years=n)
    return relativedelta(months=n)


def _unit_word(unit: str, n: int) -> str:
    base = unit.rstrip("s")
    base = {
        "w": "week",
        "wk": "week",
        "mo": "month",
        "yr": "year",
        "d": "day",
    }.get(base, base)
    if base.startswith("da"):
        base = "day"
    return base if n == 1 else base + "s"


@dataclass(frozen=True)
class _Range:
    start: date
    end: date  # natural end (inclusive)
    label: str
    kind: str = "calendar"


def _month_range(month: int, year: int) -> _Range:
    return _Range(date(year, month, 1), month_end(year, month), f"{MONTH_NAMES[month - 1]} {year}")


def _quarter_range(quarter: int, year: int) -> _Range:
    start = date(year, 3 * quarter - 2, 1)
    return _Range(start, month_end(year, 3 * quarter), f"Q{quarter} {year}")


def _season_start(season: str, year: int) -> date:
    return date(year, SEASONS[season], 1)


def _season_of(season: str, start_year: int) -> _Range:
    start = _season_start(season, start_year)
    last = start + relativedelta(months=2)
    end = month_end(last.year, last.month)
    name = "autumn" if season == "fall" else season
    label = f"{name} {start_year}"
    if season == "winter":
        label = f"winter {start_year}/{start_year + 1}"
    return _Range(start, end, label)


def season_range(season: str, as_of: date, which: str, year: str | None = None) -> _Range:
    """A season's three months: ``recent`` (the latest that has begun), ``next`` (the next
    that has not ended), ``this`` (the one under way, else the next), ``last`` (the latest
    that has ended). With a year: that year's (winter 2027 is the one 2027 begins in)."""
    if year:
        start_year = int(year) - (1 if season == "winter" else 0)
        return _season_of(season, start_year)
    begun = as_of.year if _season_start(season, as_of.year) <= as_of else as_of.year - 1
    current = _season_of(season, begun)
    if which == "recent":
        return current
    under_way = current.end >= as_of
    if which == "last":
        return _season_of(season, begun - 1) if under_way else current
    if which == "this" and (under_way or begun == as_of.year):
        return current  # "this summer" in September is the one just gone
    return current if (which == "next" and under_way) else _season_of(season, begun + 1)


def _parse_date_expr(expr: str, as_of: date, forward: bool) -> _Range | None:
    """One date/month/quarter/year expression -> its calendar range."""
    expr = expr.strip().rstrip(".")
    if m := re.fullmatch(rf"(?:the\s+)?({_SEASON_RE})(?:\s+(?:of\s+)?({_YEAR_RE}))?", expr):
        return season_range(m[1], as_of, "recent" if not forward else "next", m[2])
    try:
        if m := re.fullmatch(rf"({_YEAR_RE})-(\d{{1,2}})-(\d{{1,2}})", expr):
            day = date(int(m[1]), int(m[2]), int(m[3]))
            return _Range(day, day, day.isoformat(), "point")
        if m := re.fullmatch(rf"(\d{{1,2}})/(\d{{1,2}})/({_YEAR_RE})", expr):
            first, second = int(m[1]), int(m[2])
            month, day_n = (first, second) if first <= 12 else (second, first)
            day = date(int(m[3]), month, day_n)
            return _Range(day, day, day.isoformat(), "point")
        if m := re.fullmatch(rf"({_MONTH_RE})\s+(\d{{1,2}}){_ORD}(?:,?\s+({_YEAR_RE}))?", expr):
            return _day_of_month(MONTHS[m[1].rstrip(".")], int(m[2]), m[3], as_of, forward)
        if m := re.fullmatch(
            rf"(\d{{1,2}}){_ORD}\s+(?:of\s+)?({_MONTH_RE})(?:,?\s+({_YEAR_RE}))?", expr
        ):
            return _day_of_month(MONTHS[m[2].rstrip(".")], int(m[1]), m[3], as_of, forward)
        if m := re.fullmatch(rf"({_MONTH_RE})(?:,?\s+({_YEAR_RE}))?", expr):
            month = MONTHS[m[1].rstrip(".")]
            year = int(m[2]) if m[2] else _month_occurrence(month, as_of, forward)
            return _month_range(month, year)
        if m := re.fullmatch(rf"({_YEAR_RE})-(\d{{1,2}})", expr):
            return _month_range(int(m[2]), int(m[1]))
        if m := re.fullmatch(rf"q([1-4])(?:\s+({_YEAR_RE}))?", expr):
            quarter = int(m[1])
            year = int(m[2]) if m[2] else _quarter_occurrence(quarter, as_of, forward)
            return _quarter_range(quarter, year)
        if re.fullmatch(_YEAR_RE, expr):
            year = int(expr)
            return _Range(date(year, 1, 1), date(year, 12, 31), str(year))
    except ValueError:
        return None
    return None


def _day_of_month(
    month: int, day_n: int, year_text: str | None, as_of: date, forward: bool
) -> _Range:
    if year_text:
        year = int(year_text)
    else:
        year = as_of.year
        candidate = date(year, month, min(day_n, month_end(year, month).day))
        if not forward and candidate > as_of:
            year -= 1
        if forward and candidate < as_of:
            year += 1
    day = date(year, month, min(day_n, month_end(year, month).day))
    return _Range(day, day, day.strftime("%B %-d, %Y"), "point")


def _calendar_unit(unit: str, offset: int, as_of: date) -> _Range:
    """The calendar week/month/quarter/year ``offset`` units from the one holding as_of."""
    unit = unit.rstrip("s")
    if unit.startswith("w"):
        monday = as_of - timedelta(days=as_of.weekday()) + timedelta(weeks=offset)
        label = {0: "this week", -1: "last week", 1: "next week"}.get(offset, "week")
        return _Range(monday, monday + timedelta(days=6), label)
    if unit.startswith("q"):
        first = date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1) + relativedelta(
            months=3 * offset
        )
        return _quarter_range((first.month - 1) // 3 + 1, first.year)
    if unit.startswith("y"):
        year = as_of.year + offset
        return _Range(date(year, 1, 1), date(year, 12, 31), str(year))
    first = date(as_of.year, as_of.month, 1) + relativedelta(months=offset)
    return _month_range(first.month, first.year)


_WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "tuesday": 1,
    "tues": 1,
    "wednesday": 2,
    "thursday": 3,
    "thurs": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_WEEKDAY_RE = r"(?:" + "|".join(_WEEKDAYS) + r")"
_HALF_RE = (
    rf"\b(?:(?P<h>h[12])|(?P<ord>first|second|1st|2nd|last)\s+half)"
    rf"(?:\s+(?:of\s+)?(?:(?P<rel>this|last|previous|next)\s+year|the\s+year|(?P<y>{_YEAR_RE})))?\b"
)

# Calendar units, with the short forms people type in Slack ("last wk", "this qtr").
_CAL_UNIT = r"(?:week|wk|month|mth|mo|quarter|qtr|year|yr)"
_UNIT_FORMS = {"wk": "week", "mth": "month", "mo": "month", "qtr": "quarter", "yr": "year"}

_RULES: list[tuple[str, str]] = [
    (
        "between",
        rf"\b(?:between|from)\s+(?P<a>{_DATE_EXPR})\s+(?:and|to|until|till|through|thru|-)\s+"
        rf"(?P<b>{_DATE_EXPR})\b",
    ),
    (
        "named_rel_year",
        rf"\b(?:(?P<end>end|start|beginning)\s+of\s+)?(?P<a>{_MONTH_RE}|q[1-4]|{_SEASON_RE})"
        r"\s+(?:of\s+)?(?P<rel>last|previous|this|next)\s+year\b",
    ),
    (
        "end_of_rel",
        r"\b(?:at\s+|by\s+|as\s+of\s+|before\s+|until\s+|till\s+)?(?:the\s+)?end\s+of\s+(?:the\s+)?"
        rf"(?P<which>last|previous|this|the|current)\s+(?P<unit>{_CAL_UNIT})\b",
    ),
    (
        "end_of",
        rf"\b(?:at\s+|by\s+|as\s+of\s+)?(?:the\s+)?end\s+of\s+(?P<a>{_DATE_EXPR})\b",
    ),
    (
        "since",
        rf"\b(?:since|from|starting|after)\s+(?:the\s+)?(?:start\s+of\s+)?(?P<a>{_DATE_EXPR})\b",
    ),
    (
        "since_start",
        r"\b(?:since|from)\s+(?:the\s+)?(?:start|beginning)\s+of\s+(?:the\s+)?"
        rf"(?:(?P<which>last|this|previous)\s+)?(?P<unit>{_CAL_UNIT})\b",
    ),
    (
        "since_weekday",
        rf"\b(?:since|from)\s+(?P<last>last\s+|this\s+(?:past\s+)?)?(?P<wd>{_WEEKDAY_RE})\b",
    ),
    ("half", _HALF_RE),
    (
        "year_ago_today",
        r"\b(?:(?:this|same|that)\s+(?:time|day|date|point)|(?:this|same)\s+(?:week|month))"
        r"\s+last\s+year\b|\b(?:a|one)\s+year\s+ago\s+today\b",
    ),
    (
        "since_rel",
        rf"\bsince\s+(?:the\s+start\s+of\s+)?(?P<which>last|this)\s+(?P<unit>{_CAL_UNIT})\b",
    ),
    (
        "since_named",
        r"\b(?:since|from)\s+(?:the\s+)?(?:start\s+of\s+)?(?P<which>last|this|past|previous)\s+"
        rf"(?:(?P<season>{_SEASON_RE})|(?P<month>{_MONTH_RE}))\b",
    ),
    (
        "start_of",
        r"\b(?:at\s+|as\s+of\s+)?(?:the\s+)?(?:start|beginning)\s+of\s+(?:the\s+)?"
        rf"(?:(?:(?P<which>last|this|previous|current)\s+)?(?P<unit>{_CAL_UNIT})|(?P<a>{_DATE_EXPR}))"
        r"\b",
    ),
    ("holiday", rf"\b(?P<h>{_HOLIDAY_RE})(?:\s+(?P<y>{_YEAR_RE}))?\b"),
    (
        "next_n",
        rf"\b(?:in\s+|within\s+|over\s+|during\s+|for\s+)?(?:the\s+)?(?:next|coming|upcoming|following)\s+"
        rf"{_NUM_UNIT}",
    ),
    (
        "next_one",
        r"\b(?:in\s+|within\s+|over\s+|during\s+)?(?P<the>the\s+)?(?P<which>next|coming|upcoming"
        rf"|following)\s+(?P<unit>fortnight|{_CAL_UNIT})\b",
    ),
    (
        "within_n",
        rf"\bwithin\s+(?:the\s+)?{_NUM_UNIT}",
    ),
    (
        "last_n",
        rf"\b(?:in\s+|over\s+|during\s+|for\s+|from\s+)?(?:the\s+)?(?:last|past|previous|prior|recent|trailing"
        rf"|rolling)\s+{_NUM_UNIT}",
    ),
    ("n_ago", rf"\b{_NUM_UNIT}\s+ago\b"),
    (
        "the_last",
        r"\b(?:in\s+|over\s+|during\s+|for\s+)?(?:the\s+(?:last|past)|past|trailing)\s+"
        rf"(?P<unit>fortnight|{_CAL_UNIT})\b",
    ),
    (
        "last_cal",
        r"\b(?:(?:in|for|during|of|over)\s+)?(?:the\s+)?(?:last|previous|prior)\s+"
        rf"(?P<unit>fortnight|{_CAL_UNIT})\b",
    ),
    (
        "season_rel",
        r"\b(?:(?:in|during|over|for|of)\s+)?(?:the\s+)?(?P<which>this|last|past|previous|next|coming)"
        rf"\s+(?P<season>{_SEASON_RE})\b",
    ),
    (
        "this_cal",
        r"\b(?:(?:in|for|during|of|so\s+far)\s+)?(?:this|current|the\s+current)\s+"
        rf"(?P<unit>{_CAL_UNIT})(?:\s+(?:so\s+far|to\s+date))?\b",
    ),
    ("to_date", r"\b(?P<unit>ytd|mtd|qtd|wtd|(?:year|month|quarter|week)[\s-]+to[\s-]+date)\b"),
    ("today", r"\b(?:today|as\s+of\s+today)\b"),
    ("yesterday", r"\byesterday\b"),
    ("as_of", rf"\b(?:as\s+of|as\s+at|at|on)\s+(?P<a>{_DATE_EXPR})\b"),
    (
        "quarter_word",
        rf"\b(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter(?:\s+(?:of\s+)?(?P<y>{_YEAR_RE}))?\b",
    ),
    ("last_month_name", rf"\blast\s+(?P<a>{_MONTH_RE})\b"),
    ("bare_n", r"(?<![\w<>=$€£.,+-])(?P<n>\d{1,3})(?P<unit>d|w|wks?|mos?)\b(?!\s*\+)"),
    (
        "weekday",
        rf"\b(?P<last>last\s+|this\s+past\s+|on\s+|next\s+|this\s+)?(?P<wd>{_WEEKDAY_RE})\b",
    ),
    ("date", rf"(?<![\w$€£])(?P<a>{_DATE_EXPR})(?![\w%])"),
]
_COMPILED = [(name, re.compile(pattern)) for name, pattern in _RULES]
_ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
}
# Bare words that look like months or years but usually are not.
_MAY_CONTEXT = re.compile(r"\b(?:in|since|for|of|during|from|until|by|to|end of|through|and)\s+$")


# "over 2026" is a year only when it is a recent one and no amount word follows.
_OVER_YEAR = re.compile(r"\b(?:over|across|throughout|through|all\s+of)\s+$")
_AMOUNT_AFTER = re.compile(r"^\s*(?:k\b|m\b|[$€£]|dollars?|euros?|pounds?|usd|eur|gbp|days?|%)")


_SEASON_CONTEXT = re.compile(
    r"\b(?:in|since|for|of|during|from|until|by|to|through|over|this|last|past|next|and|vs\.?"
    r"|versus|before|after)\s+$"
)


# "> 45d", "over 30d": a threshold of days, not a period.
_THRESHOLD_BEFORE = re.compile(
    r"(?:[<>=]|\b(?:over|above|under|below|than|least|most|beyond|past|by|exceeding|north of))\s*$"
)


def _acceptable(name: str, match: re.Match[str], text: str, as_of: date) -> bool:
    """Reject look-alikes: "may" the verb, "fall" the verb, bare numbers that are amounts."""
    if name == "bare_n":
        return not _THRESHOLD_BEFORE.search(text[: match.start()])
    a = match.groupdict().get("a")
    if not a:
        return True
    a = a.strip()
    if name == "date" and re.fullmatch(_SEASON_RE, a):
        # "did MRR fall?" is a verb; "over the summer", "in the fall" are seasons
        return bool(_SEASON_CONTEXT.search(text[: match.start()]))
    if name == "date":
        if a.startswith("may") and not re.search(r"\d", a):
            return bool(_MAY_CONTEXT.search(text[: match.start()]))
        if re.fullmatch(_YEAR_RE, a):
            before = text[: match.start()]
            if re.search(r"\b(?:in|for|during|of|since|year)\s+$", before):
                return True
            recent = as_of.year - 5 <= int(a) <= as_of.year
            return (
                recent
                and bool(_OVER_YEAR.search(before))
                and not _AMOUNT_AFTER.match(text[match.end() :])
            )
        if re.fullmatch(r"q[1-4]", a):
            return True
    return True


def _build(
    name: str, m: re.Match[str], as_of: date, forward: bool
) -> tuple[_Range, date | None] | None:
    """The range (and point-in-time date, if any) a matched rule stands for."""
    g = m.groupdict()
    if g.get("nw"):
        g["n"], g["unit"] = g["nw"], g["unitw"]
    if g.get("unit") in ("d", "w"):
        g["unit"] = {"d": "days", "w": "weeks"}[g["unit"]]
    if g.get("unit") in _UNIT_FORMS:
        g["unit"] = _UNIT_FORMS[g["unit"]]
    if name == "between":
        a = _parse_date_expr(g["a"], as_of, False)
        b = _parse_date_expr(g["b"], as_of, False)
        if not a or not b:
            return None
        if b.end < a.start:  # "between November and February": the later one is next year
            b2 = _parse_date_expr(f"{g['b'].strip()} {a.start.year + 1}", as_of, False)
            if b2 and b2.end >= a.start:
                b = b2
        return _Range(a.start, b.end, f"{a.label} – {b.label}", "range"), None
    if name == "since":
        a = _parse_date_expr(g["a"], as_of, False)
        if not a or a.start > as_of:
            return None
        return _Range(a.start, as_of, f"since {a.label}", "since"), None
    if name == "since_start":
        offset = -1 if g["which"] in ("last", "previous") else 0
        cal = _calendar_unit(g["unit"], offset, as_of)
        return _Range(cal.start, as_of, f"since the start of {cal.label}", "since"), None
    if name == "since_weekday":
        day = _weekday(g["wd"], as_of, strictly_before=bool(g["last"] and "last" in g["last"]))
        return _Range(day, as_of, f"since {day.strftime('%A %B %-d')}", "since"), None
    if name == "weekday":
        which = (g["last"] or "").strip()
        if forward or which == "next":
            ahead = (_WEEKDAYS[g["wd"]] - as_of.weekday()) % 7 or (7 if which == "next" else 0)
            day = as_of + timedelta(days=ahead)
            return _Range(day, day, day.strftime("%A %B %-d"), "forward"), day
        day = _weekday(g["wd"], as_of, strictly_before=which.startswith("last"))
        return _Range(day, day, day.strftime("%A %B %-d"), "point"), day
    if name == "half":
        half = 1 if (g["h"] or "h1")[1] == "1" and g["ord"] in (None, "first", "1st") else 2
        if g["y"]:
            year = int(g["y"])
        elif g["rel"] in ("last", "previous"):
            year = as_of.year - 1
        elif g["rel"] == "next":
            year = as_of.year + 1
        elif half == 2 and as_of.month <= 6 and not forward and not g["rel"]:
            year = as_of.year - 1  # H2 without a year: the most recent one that has started
        else:
            year = as_of.year
        start = date(year, 1 if half == 1 else 7, 1)
        return _Range(start, month_end(year, 6 if half == 1 else 12), f"H{half} {year}"), None
    if name == "year_ago_today":
        day = as_of - relativedelta(years=1)
        return _Range(day, day, "this time last year", "point"), day
    if name == "since_rel":
        offset = -1 if g["which"] == "last" else 0
        cal = _calendar_unit(g["unit"], offset, as_of)
        return _Range(cal.start, as_of, f"since {cal.label}", "since"), None
    if name in ("next_n", "within_n"):
        n = _number(g["n"])
        if not n:
            return None
        end = as_of + _unit_delta(g["unit"], n)
        return _Range(as_of, end, f"the next {n} {_unit_word(g['unit'], n)}", "forward"), None
    if name == "next_one":
        unit = g["unit"]
        if unit == "fortnight":
            return _Range(as_of, as_of + timedelta(days=14), "the next 14 days", "forward"), None
        if g["the"] or g["which"] in ("coming", "upcoming"):
            # "in the next week", "the coming month": a window from today, not the calendar unit
            end = as_of + _unit_delta(unit, 1)
            return _Range(as_of, end, f"the next {unit}", "forward"), None
        cal = _calendar_unit(unit, 1, as_of)
        return _Range(cal.start, cal.end, f"next {unit}", "forward"), None
    if name == "since_named":
        which = "last" if g["which"] in ("last", "past", "previous") else "this"
        if g["season"]:
            found = season_range(g["season"], as_of, which)
        else:
            month = MONTHS[g["month"].rstrip(".")]
            year = as_of.year if month < as_of.month or which == "this" else as_of.year - 1
            found = _month_range(month, year)
        if found.start > as_of:
            return None
        return _Range(found.start, as_of, f"since {found.label}", "since"), None
    if name == "start_of":
        if g["unit"]:
            offset = -1 if g["which"] in ("last", "previous") else 0
            found = _calendar_unit(g["unit"], offset, as_of)
        else:
            parsed = _parse_date_expr(g["a"], as_of, forward)
            if parsed is None:
                return None
            found = parsed
        # the start of a period: its first day begins where the day before ends
        day = found.start - timedelta(days=1)
        return _Range(day, day, f"the start of {found.label}", "point"), day
    if name == "holiday":
        day = _holiday(g["h"], g["y"], as_of, forward)
        return _Range(day, day, g["h"], "point"), day
    if name == "named_rel_year":
        offset = {"last": -1, "previous": -1, "next": 1}.get(g["rel"], 0)
        named = _parse_date_expr(f"{g['a'].rstrip('.')} {as_of.year + offset}", as_of, forward)
        if named is None:
            return None
        if g["end"] == "end":
            return _Range(named.start, named.end, f"end of {named.label}"), named.end
        if g["end"]:
            day = named.start - timedelta(days=1)
            return _Range(day, day, f"the start of {named.label}", "point"), day
        return named, None
    if name == "season_rel":
        which = {"past": "last", "previous": "last", "coming": "next"}.get(g["which"], g["which"])
        return season_range(g["season"], as_of, which), None
    if name == "bare_n":
        n = _number(g["n"])
        if not n:
            return None
        delta = _unit_delta(g["unit"], n)
        word = _unit_word(g["unit"], n)
        if forward:
            return _Range(as_of, as_of + delta, f"the next {n} {word}", "forward"), None
        return _Range(as_of - delta, as_of, f"the last {n} {word}", "bare"), None
    if name == "last_n":
        n = _number(g["n"])
        if not n:
            return None
        start = as_of - _unit_delta(g["unit"], n)
        return _Range(start, as_of, f"the last {n} {_unit_word(g['unit'], n)}", "rolling"), None
    if name == "n_ago":
        n = _number(g["n"])
        if not n:
            return None
        day = as_of - _unit_delta(g["unit"], n)
        return _Range(day, day, f"{n} {_unit_word(g['unit'], n)} ago", "point"), day
    if name == "the_last":
        unit = g["unit"]
        # "the past month/quarter/year" read as 30/90/365 days, like the sample world's windows.
        days = {"week": 7, "fortnight": 14, "month": 30, "quarter": 90, "year": 365}[unit]
        start = as_of - timedelta(days=days)
        label = f"the last {days} days" if unit != "year" else "the last 12 months"
        return _Range(start, as_of, label, "rolling"), None
    if name == "last_cal":
        unit = g["unit"]
        if unit == "fortnight":
            return _Range(as_of - timedelta(days=14), as_of, "the last 14 days", "rolling"), None
        cal = _calendar_unit(unit, -1, as_of)
        label = cal.label if unit in ("quarter", "year") else f"last {unit}"
        return _Range(cal.start, cal.end, label, "calendar"), None
    if name == "this_cal":
        cal = _calendar_unit(g["unit"], 0, as_of)
        # This year/quarter so far reads as a span of months (a trend), not one point.
        kind = "since" if g["unit"] in ("year", "quarter") else "current"
        return _Range(cal.start, cal.end, f"this {g['unit']}", kind), None
    if name == "to_date":
        unit = {"y": "year", "m": "month", "q": "quarter", "w": "week"}[g["unit"][0]]
        cal = _calendar_unit(unit, 0, as_of)
        kind = "since" if unit in ("year", "quarter") else "current"
        return _Range(cal.start, as_of, f"{unit} to date", kind), None
    if name == "today":
        return _Range(as_of, as_of, "today", "point"), as_of
    if name == "yesterday":
        day = as_of - timedelta(days=1)
        return _Range(day, day, "yesterday", "point"), day
    if name == "end_of_rel":
        offset = -1 if g["which"] in ("last", "previous") else 0
        cal = _calendar_unit(g["unit"], offset, as_of)
        return _Range(cal.start, cal.end, f"end of {cal.label}", "calendar"), min(cal.end, as_of)
    if name in ("end_of", "as_of"):
        a = _parse_date_expr(g["a"], as_of, forward)
        if not a:
            return None
        return _Range(
            a.start, a.end, f"end of {a.label}" if name == "end_of" else a.label, a.kind
        ), (min(a.end, as_of) if not forward else a.end)
    if name == "quarter_word":
        quarter = _ORDINALS[g["ord"]]
        year = int(g["y"]) if g["y"] else _quarter_occurrence(quarter, as_of, forward)
        return _quarter_range(quarter, year), None
    if name == "last_month_name":
        month = MONTHS[g["a"].rstrip(".")]
        year = as_of.year if month < as_of.month else as_of.year - 1
        return _month_range(month, year), None
    if name == "date":
        a = _parse_date_expr(g["a"], as_of, forward)
        if not a:
            return None
        return a, (a.start if a.kind == "point" else None)
    return None


def _holiday(name: str, year_text: str | None, as_of: date, forward: bool) -> date:
    """The date of a named day: in the year given, else its latest (or, forward, next)."""

    def on(year: int) -> date:
        month, day = HOLIDAYS[name]
        if day:
            return date(year, month, day)
        first = date(year, month, 1)
        return first + timedelta(days=(3 - first.weekday()) % 7 + 21)  # 4th Thursday

    if year_text:
        return on(int(year_text))
    this_year = on(as_of.year)
    if forward:
        return this_year if this_year >= as_of else on(as_of.year + 1)
    return this_year if this_year <= as_of else on(as_of.year - 1)


def _weekday(name: str, as_of: date, *, strictly_before: bool) -> date:
    """The most recent ``name``-day on or before (or strictly before) as_of."""
    back_days = (as_of.weekday() - _WEEKDAYS[name]) % 7
    if back_days == 0 and strictly_before:
        back_days = 7
    return as_of - timedelta(days=back_days)


# A weekday naming an event, not a period: "thursday's board meeting", "for friday's sync",
# "monday check-in", "before wednesday".
_EVENT_WORDS = (
    r"meeting|call|standup|stand-up|sync|review|check-?in|1:1|one-on-one|catch-?up|demo|offsite"
    r"|all-hands|huddle|update|report|qbr|session|presentation|pitch|deadline|board|exec|planning"
    r"|retro|lunch|dinner|call|chat|interview|kickoff|kick-off|townhall|town hall|standup"
)
_CONTEXT_WEEKDAY = re.compile(
    rf"(?<!last )(?<!this )(?<!next )(?<!past )(?<!since )(?<!from )(?<!on )\b{_WEEKDAY_RE}"
    rf"(?:'s|s')?(?=[\s-]+(?:[a-z]+\s+)?(?:{_EVENT_WORDS})\b)"
    rf"|(?<=\bby )(?<!since ){_WEEKDAY_RE}\b|(?<=\bbefore ){_WEEKDAY_RE}\b"
    rf"|(?<!last )(?<!this )(?<!next )(?<!past )(?<!since )(?<!from )\b{_WEEKDAY_RE}'s\b"
)


# "the end of the first half", "the start of this quarter": a point at that edge.
_EDGE_BEFORE = re.compile(
    r"(?:\b(?:at|by|as\s+of|on)\s+)?(?:the\s+)?\b(?P<edge>end|close|start|beginning)\s+of\s+"
    r"(?:the\s+)?$"
)


def _edge(before: str, rng: _Range, at: date | None) -> tuple[_Range, date | None]:
    """A period named after "the end of" / "the start of": the point at that edge."""
    edge = _EDGE_BEFORE.search(before)
    if edge is None or rng.kind == "point" or at is not None:
        return rng, at
    if edge["edge"] in ("end", "close"):
        return _Range(rng.start, rng.end, f"end of {rng.label}", rng.kind), rng.end
    day = rng.start - timedelta(days=1)
    return _Range(day, day, f"the start of {rng.label}", "point"), day


def mask_context_weekdays(text: str) -> str:
    """``text`` with weekdays that name an event blanked out (same length, so spans hold)."""
    return _CONTEXT_WEEKDAY.sub(lambda m: " " * len(m.group()), text)


def find_period(
    text: str, as_of: date, *, forward: bool = False, skip: tuple[str, ...] = ()
) -> PeriodMatch | None:
    """The first time phrase in folded ``text`` (rules tried in priority order, those named
    in ``skip`` left out)."""
    for name, pattern in _COMPILED:
        if name in skip:
            continue
        for m in pattern.finditer(text):
            if not _acceptable(name, m, text, as_of):
                continue
            built = _build(name, m, as_of, forward)
            if built is None:
                continue
            rng, at = built
            rng, at = _edge(text[: m.start()], rng, at)
            kind = rng.kind
            end = rng.end
            if kind in ("calendar", "range") and rng.start <= as_of <= rng.end:
                kind = "current" if kind == "calendar" else kind
            if kind != "forward" and not forward and rng.start <= as_of < end:
                end = as_of
            period = Period(start=rng.start, end=end, label=rng.label)
            return PeriodMatch(period=period, kind=kind, span=m.span(), natural_end=rng.end, at=at)
    return None


def forward_from(match: PeriodMatch, as_of: date) -> PeriodMatch:
    """Re-read a period for a forward-looking question ("renewals this month": as_of..month end)."""
    if match.kind in ("current", "calendar", "range") and match.natural_end >= as_of:
        start = max(match.period.start, as_of)
        period = Period(start=start, end=match.natural_end, label=match.period.label)
        return PeriodMatch(period, "forward", match.span, match.natural_end, match.at)
    return match


_BEFORE_RE = re.compile(
    r"\b(?:the\s+)?(?P<u1>week|month|quarter|year)\s+(?:before|prior|earlier)\b"
    r"|\b(?:the\s+)?(?:one|period)\s+(?:before|prior)\b"
    r"|\bthe\s+(?:previous|prior|preceding)\s+(?P<u2>week|month|quarter|year|one|period)\b"
)


def period_before(text: str, previous: Period | None) -> Period | None:
    """In a thread, "the month before" / "the quarter prior": the unit just before ``previous``.

    The unit is the one named, or (for "the one before") the length of ``previous``.
    """
    if previous is None:
        return None
    m = _BEFORE_RE.search(text)
    if m is None:
        return None
    unit = m["u1"] or m["u2"]
    if unit in (None, "one", "period"):
        days = (previous.end - previous.start).days + 1
        if days <= 7:
            unit = "week"
        elif days <= 31:
            unit = "month"
        elif days <= 92:
            unit = "quarter"
        else:
            unit = "year"
    found = _calendar_unit(unit, -1, previous.start)
    label = f"the week of {found.start:%b %-d, %Y}" if unit == "week" else found.label
    return Period(found.start, found.end, label)
