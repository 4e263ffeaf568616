"""Calendar arithmetic and the words people use for dates: months, quarters, seasons,
named days, weekdays, number words, and one date expression to a date range.

periods.py finds time phrases in questions; this module says which dates they name.
A month, quarter or season without a year is its most recent occurrence that has
started (forward-looking: the next that has not ended). Weeks start on Monday.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

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

MONTH_RE = (
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


NUM_RE = r"(?:\d{1,4}|" + number_words_re() + ")"
UNIT_RE = r"(?:days?|weeks?|wks?|months?|mos?|quarters?|years?|yrs?|fortnights?)"
# "14 days", "fourteen days", and the compact "14d" / "2wks" people type in Slack.
NUM_UNIT = (
    rf"(?:(?P<n>\d{{1,4}})\s*(?P<unit>{UNIT_RE}|d|w)"
    rf"|(?P<nw>{number_words_re()})\s+(?P<unitw>{UNIT_RE}))\b"
)
YEAR_RE = r"(?:19|20)\d{2}"
ORD = r"(?:st|nd|rd|th)?"

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
}


def _easter(year: int) -> date:
    """Western Easter Sunday (anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * ell) // 433
    month = (h + ell - 7 * m + 90) // 25
    return date(year, month, (h + ell - 7 * m + 33 * month + 19) % 32)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The ``nth`` (1-based; -1 = last) ``weekday`` of a month."""
    if nth < 0:
        last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


# Days whose date moves from year to year.
MOVABLE_HOLIDAYS: dict[str, Callable[[int], date]] = {
    "easter sunday": _easter,
    "easter monday": lambda y: _easter(y) + timedelta(days=1),
    "good friday": lambda y: _easter(y) - timedelta(days=2),
    "easter": _easter,
    "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4),
    "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1),
    "labour day": lambda y: _nth_weekday(y, 9, 0, 1),
}
HOLIDAY_RE = "|".join(
    re.escape(h) for h in sorted({*HOLIDAYS, *MOVABLE_HOLIDAYS}, key=len, reverse=True)
)

# Meteorological seasons (northern hemisphere): their first month.
SEASONS: dict[str, int] = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
SEASON_RE = r"(?:spring|summer|fall|autumn|winter)"

# A single date or month expression (used alone and inside "between ... and ...").
DATE_EXPR = (
    rf"(?:{YEAR_RE}-\d{{1,2}}-\d{{1,2}}"
    rf"|\d{{1,2}}/\d{{1,2}}/{YEAR_RE}"
    rf"|{MONTH_RE}\s+\d{{1,2}}{ORD}(?:,?\s+{YEAR_RE})?"
    rf"|\d{{1,2}}{ORD}\s+(?:of\s+)?{MONTH_RE}(?:,?\s+{YEAR_RE})?"
    rf"|{MONTH_RE}(?:,?\s+{YEAR_RE})?"
    rf"|{YEAR_RE}-\d{{1,2}}"
    rf"|q[1-4](?:\s+{YEAR_RE})?"
    rf"|(?:the\s+)?{SEASON_RE}(?:\s+(?:of\s+)?{YEAR_RE})?"
    rf"|(?:{HOLIDAY_RE})(?:\s+{YEAR_RE})?"
    rf"|{YEAR_RE})"
)


def number_of(text: str) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    return NUMBER_WORDS.get(re.sub(r"[\s-]+", " ", text))


def month_end(year: int, month: int) -> date:
    return date(year, month, 1) + relativedelta(months=1) - timedelta(days=1)


def month_occurrence(month: int, as_of: date, forward: bool) -> int:
    """Year of the most recent started (or, forward, the next unfinished) ``month``."""
    if forward:
        return as_of.year if month >= as_of.month else as_of.year + 1
    return as_of.year if month <= as_of.month else as_of.year - 1


def quarter_occurrence(quarter: int, as_of: date, forward: bool) -> int:
    current = (as_of.month - 1) // 3 + 1
    if forward:
        return as_of.year if quarter >= current else as_of.year + 1
    return as_of.year if quarter <= current else as_of.year - 1


def unit_delta(unit: str, n: int) -> relativedelta:
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


def unit_word(unit: str, n: int) -> str:
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
class DateRange:
    """Dates a date expression names; ``kind`` as in ``periods.PeriodMatch``."""

    start: date
    end: date  # natural end (inclusive)
    label: str
    kind: str = "calendar"


def month_range(month: int, year: int) -> DateRange:
    return DateRange(
        date(year, month, 1), month_end(year, month), f"{MONTH_NAMES[month - 1]} {year}"
    )


def quarter_range(quarter: int, year: int) -> DateRange:
    start = date(year, 3 * quarter - 2, 1)
    return DateRange(start, month_end(year, 3 * quarter), f"Q{quarter} {year}")


def _season_start(season: str, year: int) -> date:
    return date(year, SEASONS[season], 1)


def _season_of(season: str, start_year: int) -> DateRange:
    start = _season_start(season, start_year)
    last = start + relativedelta(months=2)
    end = month_end(last.year, last.month)
    name = "autumn" if season == "fall" else season
    label = f"{name} {start_year}"
    if season == "winter":
        label = f"winter {start_year}/{start_year + 1}"
    return DateRange(start, end, label)


def season_range(season: str, as_of: date, which: str, year: str | None = None) -> DateRange:
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


def parse_date_expr(expr: str, as_of: date, forward: bool) -> DateRange | None:
    """One date/month/quarter/year expression -> its calendar range."""
    expr = expr.strip().rstrip(".")
    if m := re.fullmatch(rf"(?:the\s+)?({SEASON_RE})(?:\s+(?:of\s+)?({YEAR_RE}))?", expr):
        return season_range(m[1], as_of, "recent" if not forward else "next", m[2])
    if m := re.fullmatch(rf"({HOLIDAY_RE})(?:\s+({YEAR_RE}))?", expr):
        day = holiday_date(m[1], m[2], as_of, forward)
        return DateRange(day, day, m[1], "point")
    try:
        if m := re.fullmatch(rf"({YEAR_RE})-(\d{{1,2}})-(\d{{1,2}})", expr):
            day = date(int(m[1]), int(m[2]), int(m[3]))
            return DateRange(day, day, day.isoformat(), "point")
        if m := re.fullmatch(rf"(\d{{1,2}})/(\d{{1,2}})/({YEAR_RE})", expr):
            first, second = int(m[1]), int(m[2])
            month, day_n = (first, second) if first <= 12 else (second, first)
            day = date(int(m[3]), month, day_n)
            return DateRange(day, day, day.isoformat(), "point")
        if m := re.fullmatch(rf"({MONTH_RE})\s+(\d{{1,2}}){ORD}(?:,?\s+({YEAR_RE}))?", expr):
            return _day_of_month(MONTHS[m[1].rstrip(".")], int(m[2]), m[3], as_of, forward)
        if m := re.fullmatch(
            rf"(\d{{1,2}}){ORD}\s+(?:of\s+)?({MONTH_RE})(?:,?\s+({YEAR_RE}))?", expr
        ):
            return _day_of_month(MONTHS[m[2].rstrip(".")], int(m[1]), m[3], as_of, forward)
        if m := re.fullmatch(rf"({MONTH_RE})(?:,?\s+({YEAR_RE}))?", expr):
            month = MONTHS[m[1].rstrip(".")]
            year = int(m[2]) if m[2] else month_occurrence(month, as_of, forward)
            return month_range(month, year)
        if m := re.fullmatch(rf"({YEAR_RE})-(\d{{1,2}})", expr):
            return month_range(int(m[2]), int(m[1]))
        if m := re.fullmatch(rf"q([1-4])(?:\s+({YEAR_RE}))?", expr):
            quarter = int(m[1])
            year = int(m[2]) if m[2] else quarter_occurrence(quarter, as_of, forward)
            return quarter_range(quarter, year)
        if re.fullmatch(YEAR_RE, expr):
            year = int(expr)
            return DateRange(date(year, 1, 1), date(year, 12, 31), str(year))
    except ValueError:
        return None
    return None


def _day_of_month(
    month: int, day_n: int, year_text: str | None, as_of: date, forward: bool
) -> DateRange:
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
    return DateRange(day, day, day.strftime("%B %-d, %Y"), "point")


def calendar_unit(unit: str, offset: int, as_of: date) -> DateRange:
    """The calendar week/month/quarter/year ``offset`` units from the one holding as_of."""
    unit = unit.rstrip("s")
    if unit.startswith("w"):
        monday = as_of - timedelta(days=as_of.weekday()) + timedelta(weeks=offset)
        label = {0: "this week", -1: "last week", 1: "next week"}.get(offset, "week")
        return DateRange(monday, monday + timedelta(days=6), label)
    if unit.startswith("q"):
        first = date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1) + relativedelta(
            months=3 * offset
        )
        return quarter_range((first.month - 1) // 3 + 1, first.year)
    if unit.startswith("y"):
        year = as_of.year + offset
        return DateRange(date(year, 1, 1), date(year, 12, 31), str(year))
    first = date(as_of.year, as_of.month, 1) + relativedelta(months=offset)
    return month_range(first.month, first.year)


WEEKDAYS: dict[str, int] = {
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
WEEKDAY_RE = r"(?:" + "|".join(WEEKDAYS) + r")"

_PART_DAYS = {
    "first": (1, 7),
    "1st": (1, 7),
    "second": (8, 14),
    "2nd": (8, 14),
    "third": (15, 21),
    "3rd": (15, 21),
    "fourth": (22, 28),
    "4th": (22, 28),
    "early": (1, 10),
    "mid": (11, 20),
    "late": (21, 31),
}


def part_of(month: DateRange, part: str) -> tuple[date, date]:
    """Days of ``month`` a part names: a week ("first week of April") or a third ("mid-May")."""
    part = re.sub(r"\s+of$", "", part)
    if part in ("last", "final"):
        return month.end - timedelta(days=6), month.end
    first, last = _PART_DAYS["mid" if part == "middle" else part]
    return month.start + timedelta(days=first - 1), min(
        month.end, month.start + timedelta(days=last - 1)
    )


def holiday_date(name: str, year_text: str | None, as_of: date, forward: bool) -> date:
    """The date of a named day: in the year given, else its latest (or, forward, next)."""

    def on(year: int) -> date:
        if name in MOVABLE_HOLIDAYS:
            return MOVABLE_HOLIDAYS[name](year)
        month, day = HOLIDAYS[name]
        return date(year, month, day)

    if year_text:
        return on(int(year_text))
    this_year = on(as_of.year)
    if forward:
        return this_year if this_year >= as_of else on(as_of.year + 1)
    return this_year if this_year <= as_of else on(as_of.year - 1)


def weekday_on(name: str, as_of: date, *, strictly_before: bool) -> date:
    """The most recent ``name``-day on or before (or strictly before) as_of."""
    back_days = (as_of.weekday() - WEEKDAYS[name]) % 7
    if back_days == 0 and strictly_before:
        back_days = 7
    return as_of - timedelta(days=back_days)


# A weekday naming an event, not a period: "thursday's board meeting", "for friday's sync",
# "monday check-in", "before wednesday".
