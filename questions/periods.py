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

from questions.calendar import (
    DATE_EXPR,
    HOLIDAY_RE,
    MONTH_RE,
    MONTHS,
    NUM_UNIT,
    SEASON_RE,
    WEEKDAY_RE,
    WEEKDAYS,
    YEAR_RE,
    DateRange,
    calendar_unit,
    holiday_date,
    month_end,
    month_range,
    number_of,
    parse_date_expr,
    part_of,
    quarter_occurrence,
    quarter_range,
    season_range,
    unit_delta,
    unit_word,
    weekday_on,
)
from questions.query import Period


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


_HALF_RE = (
    rf"\b(?:(?P<h>h[12])|(?P<ord>first|second|1st|2nd|last)\s+half)"
    rf"(?:\s+(?:of\s+)?(?:(?P<rel>this|last|previous|next)\s+year|the\s+year|(?P<y>{YEAR_RE})))?\b"
)

# Calendar units, with the short forms people type in Slack ("last wk", "this qtr").
_CAL_UNIT = r"(?:week|wk|month|mth|mo|quarter|qtr|year|yr)"
_UNIT_FORMS = {"wk": "week", "mth": "month", "mo": "month", "qtr": "quarter", "yr": "year"}

_RULES: list[tuple[str, str]] = [
    (
        "between",
        rf"\b(?:between|from)\s+(?P<a>{DATE_EXPR})\s+(?:and|to|until|till|through|thru|-)\s+"
        rf"(?P<b>{DATE_EXPR})\b",
    ),
    (
        "until",
        r"\b(?:(?P<now>between\s+(?:now|today)\s+and|from\s+(?:now|today)\s+(?:until|till|to"
        r"|through|thru))|(?P<edge>until|till|before|by))\s+(?:the\s+)?"
        rf"(?:(?:this\s+|next\s+)?(?P<wd>{WEEKDAY_RE}|weekend)|(?P<a>{DATE_EXPR}))\b",
    ),
    (
        "named_rel_year",
        rf"\b(?:(?P<end>end|start|beginning)\s+of\s+)?(?P<a>{MONTH_RE}|q[1-4]|{SEASON_RE})"
        r"\s+(?:of\s+)?(?P<rel>last|previous|this|next)\s+year\b",
    ),
    (
        "end_of_rel",
        r"\b(?:at\s+|by\s+|as\s+of\s+|before\s+|until\s+|till\s+)?(?:the\s+)?(?:end|close)\s+of\s+"
        rf"(?:the\s+)?(?:(?P<which>last|previous|this|the|current)\s+)?(?P<unit>{_CAL_UNIT})\b",
    ),
    (
        "end_of",
        rf"\b(?:at\s+|by\s+|as\s+of\s+)?(?:the\s+)?(?:end|close)\s+of\s+(?P<a>{DATE_EXPR})\b",
    ),
    (
        # "year-end ARR", "at quarter end", "EOY", "year end 2025": the close of the last
        # finished year or quarter (looking ahead, of the current one)
        "unit_end",
        r"\b(?:at\s+|by\s+|as\s+of\s+)?(?:the\s+)?(?:(?P<unit>year|quarter|yr|qtr)[\s-]*end"
        rf"|eo(?P<short>y|q))(?:\s+(?:of\s+)?(?P<y>{YEAR_RE}))?\b",
    ),
    (
        # "over the holidays", "during the holiday season", "over the christmas break"
        "holidays",
        r"\b(?:over|during|for|in|through|since|after|before|across)\s+(?:the\s+)?"
        r"(?:holidays|holiday\s+season|festive\s+(?:season|period)"
        r"|(?:christmas|xmas|winter|holiday)\s+(?:break|holidays))\b",
    ),
    (
        "since",
        rf"\b(?:since|from|starting|after)\s+(?:the\s+)?(?:start\s+of\s+)?(?P<a>{DATE_EXPR})\b",
    ),
    (
        "since_start",
        r"\b(?:since|from)\s+(?:the\s+)?(?:start|beginning)\s+of\s+(?:the\s+)?"
        rf"(?:(?P<which>last|this|previous)\s+)?(?P<unit>{_CAL_UNIT})\b",
    ),
    (
        "since_weekday",
        rf"\b(?:since|from)\s+(?P<last>last\s+|this\s+(?:past\s+)?)?(?P<wd>{WEEKDAY_RE})\b",
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
        rf"(?:(?P<season>{SEASON_RE})|(?P<month>{MONTH_RE}))\b",
    ),
    (
        "start_of",
        r"\b(?:at\s+|as\s+of\s+)?(?:the\s+)?(?:start|beginning)\s+of\s+(?:the\s+)?"
        rf"(?:(?:(?P<which>last|this|previous|current)\s+)?(?P<unit>{_CAL_UNIT})|(?P<a>{DATE_EXPR}))"
        r"\b",
    ),
    ("holiday", rf"\b(?P<h>{HOLIDAY_RE})(?:\s+(?P<y>{YEAR_RE}))?\b"),
    (
        "started_unit",
        r"\b(?:start(?:ed)?|began|begin|open(?:ed)?|kick(?:ed)?\s+off)\s+(?:the|this)\s+"
        rf"(?P<unit>{_CAL_UNIT})\b",
    ),
    (
        "week_of_month",
        r"\b(?:the\s+)?(?P<ord>first|1st|second|2nd|third|3rd|fourth|4th|last|final)\s+week\s+"
        rf"(?:of|in)\s+(?P<a>{MONTH_RE}(?:,?\s+{YEAR_RE})?)\b",
    ),
    (
        "part_of_month",
        rf"\b(?P<part>early|mid|middle\s+of|late)[\s-]*(?P<a>{MONTH_RE}(?:,?\s+{YEAR_RE})?)\b",
    ),
    (
        "next_n",
        rf"\b(?:in\s+|within\s+|over\s+|during\s+|for\s+)?(?:the\s+)?(?:next|coming|upcoming|following)\s+"
        rf"{NUM_UNIT}",
    ),
    (
        "next_one",
        r"\b(?:in\s+|within\s+|over\s+|during\s+)?(?P<the>the\s+)?(?P<which>next|coming|upcoming"
        rf"|following)\s+(?P<unit>fortnight|{_CAL_UNIT})\b",
    ),
    (
        "within_n",
        rf"\bwithin\s+(?:the\s+)?{NUM_UNIT}",
    ),
    (
        "last_n",
        rf"\b(?:in\s+|over\s+|during\s+|for\s+|from\s+)?(?:the\s+)?(?:last|past|previous|prior|recent|trailing"
        rf"|rolling)\s+{NUM_UNIT}",
    ),
    ("n_ago", rf"\b{NUM_UNIT}\s+ago\b"),
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
        rf"\s+(?P<season>{SEASON_RE})\b",
    ),
    (
        "this_cal",
        r"\b(?:(?:in|for|during|of|so\s+far)\s+)?(?:this|current|the\s+current)\s+"
        rf"(?P<unit>{_CAL_UNIT})(?:\s+(?:so\s+far|to\s+date))?\b",
    ),
    ("to_date", r"\b(?P<unit>ytd|mtd|qtd|wtd|(?:year|month|quarter|week)[\s-]+to[\s-]+date)\b"),
    ("weekend", r"\b(?:(?P<which>this|next|last|past|previous|the|over\s+the)\s+)weekend\b"),
    ("today", r"\b(?:today|as\s+of\s+today)\b"),
    ("yesterday", r"\byesterday\b"),
    ("tomorrow", r"\b(?:tomorrow|tmrw|tmr)\b"),
    ("as_of", rf"\b(?:as\s+of|as\s+at|at|on)\s+(?P<a>{DATE_EXPR})\b"),
    (
        "quarter_word",
        rf"\b(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter(?:\s+(?:of\s+)?(?P<y>{YEAR_RE}))?\b",
    ),
    ("last_month_name", rf"\blast\s+(?P<a>{MONTH_RE})\b"),
    ("bare_n", r"(?<![\w<>=$€£.,+-])(?P<n>\d{1,3})(?P<unit>d|w|wks?|mos?)\b(?!\s*\+)"),
    (
        "weekday",
        rf"\b(?P<last>last\s+|this\s+past\s+|on\s+|next\s+|this\s+)?(?P<wd>{WEEKDAY_RE})\b",
    ),
    ("date", rf"(?<![\w$€£])(?P<a>{DATE_EXPR})(?![\w%])"),
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


_MAY_AFTER = re.compile(r"\s*(?:vs\.?|versus|v|to|and|through|thru|-|–|or|compared)\b")

# "over 2026" is a year only when it is a recent one and no amount word follows.
_OVER_YEAR = re.compile(r"\b(?:over|across|throughout|through|all\s+of)\s+$")
_MEASURE_BEFORE = re.compile(
    r"\b(?:mrr|arr|revenue|rate|churn|cancell?ations?|customers|clients|logos|signups|invoices"
    r"|payments|failures|declines|downgrades|upgrades|contractions|expansions|renewals|trials"
    r"|movements|trend|numbers|figures|stats|growth)\s*[:,-]?\s*$"
)
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
    if name == "date" and re.fullmatch(SEASON_RE, a):
        # "did MRR fall?" is a verb; "over the summer", "in the fall" are seasons
        return bool(_SEASON_CONTEXT.search(text[: match.start()]))
    if name == "date":
        if a.startswith("may") and not re.search(r"\d", a):
            # "in May", "May vs July": the month; "may I ask", "we may lose": the verb
            return bool(_MAY_CONTEXT.search(text[: match.start()])) or bool(
                _MAY_AFTER.match(text[match.end() :])
            )
        if re.fullmatch(YEAR_RE, a):
            before = text[: match.start()]
            if re.search(r"\b(?:in|for|during|of|since|year)\s+$", before):
                return True
            recent = as_of.year - 5 <= int(a) <= as_of.year
            if not recent or _AMOUNT_AFTER.match(text[match.end() :]):
                return False
            # "churn rate 2026", "cancellations 2025?": a year right after what is measured
            return bool(_OVER_YEAR.search(before) or _MEASURE_BEFORE.search(before))
        if re.fullmatch(r"q[1-4]", a):
            return True
    return True


def _build(
    name: str, m: re.Match[str], as_of: date, forward: bool
) -> tuple[DateRange, date | None] | None:
    """The range (and point-in-time date, if any) a matched rule stands for."""
    g = m.groupdict()
    if g.get("nw"):
        g["n"], g["unit"] = g["nw"], g["unitw"]
    if g.get("unit") in ("d", "w"):
        g["unit"] = {"d": "days", "w": "weeks"}[g["unit"]]
    if g.get("unit") in _UNIT_FORMS:
        g["unit"] = _UNIT_FORMS[g["unit"]]
    if name == "between":
        a = parse_date_expr(g["a"], as_of, False)
        b = parse_date_expr(g["b"], as_of, False)
        if not a or not b:
            return None
        if b.end < a.start:  # "between November and February": the later one is next year
            b2 = parse_date_expr(f"{g['b'].strip()} {a.start.year + 1}", as_of, False)
            if b2 and b2.end >= a.start:
                b = b2
        return DateRange(a.start, b.end, f"{a.label} – {b.label}", "range"), None
    if name == "since":
        a = parse_date_expr(g["a"], as_of, False)
        if not a or a.start > as_of:
            return None
        return DateRange(a.start, as_of, f"since {a.label}", "since"), None
    if name == "since_start":
        offset = -1 if g["which"] in ("last", "previous") else 0
        cal = calendar_unit(g["unit"], offset, as_of)
        return DateRange(cal.start, as_of, f"since the start of {cal.label}", "since"), None
    if name == "since_weekday":
        day = weekday_on(g["wd"], as_of, strictly_before=bool(g["last"] and "last" in g["last"]))
        return DateRange(day, as_of, f"since {day.strftime('%A %B %-d')}", "since"), None
    if name == "weekday":
        which = (g["last"] or "").strip()
        if forward or which == "next":
            ahead = (WEEKDAYS[g["wd"]] - as_of.weekday()) % 7 or (7 if which == "next" else 0)
            day = as_of + timedelta(days=ahead)
            return DateRange(day, day, day.strftime("%A %B %-d"), "forward"), day
        day = weekday_on(g["wd"], as_of, strictly_before=which.startswith("last"))
        return DateRange(day, day, day.strftime("%A %B %-d"), "point"), day
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
        return DateRange(start, month_end(year, 6 if half == 1 else 12), f"H{half} {year}"), None
    if name == "year_ago_today":
        day = as_of - relativedelta(years=1)
        return DateRange(day, day, "this time last year", "point"), day
    if name == "since_rel":
        offset = -1 if g["which"] == "last" else 0
        cal = calendar_unit(g["unit"], offset, as_of)
        return DateRange(cal.start, as_of, f"since {cal.label}", "since"), None
    if name in ("next_n", "within_n"):
        n = number_of(g["n"])
        if not n:
            return None
        end = as_of + unit_delta(g["unit"], n)
        return DateRange(as_of, end, f"the next {n} {unit_word(g['unit'], n)}", "forward"), None
    if name == "next_one":
        unit = g["unit"]
        if unit == "fortnight":
            return DateRange(as_of, as_of + timedelta(days=14), "the next 14 days", "forward"), None
        if g["the"] or g["which"] in ("coming", "upcoming"):
            # "in the next week", "the coming month": a window from today, not the calendar unit
            end = as_of + unit_delta(unit, 1)
            return DateRange(as_of, end, f"the next {unit}", "forward"), None
        cal = calendar_unit(unit, 1, as_of)
        return DateRange(cal.start, cal.end, f"next {unit}", "forward"), None
    if name == "since_named":
        which = "last" if g["which"] in ("last", "past", "previous") else "this"
        if g["season"]:
            found = season_range(g["season"], as_of, which)
        else:
            month = MONTHS[g["month"].rstrip(".")]
            year = as_of.year if month < as_of.month or which == "this" else as_of.year - 1
            found = month_range(month, year)
        if found.start > as_of:
            return None
        return DateRange(found.start, as_of, f"since {found.label}", "since"), None
    if name == "start_of":
        if g["unit"]:
            offset = -1 if g["which"] in ("last", "previous") else 0
            found = calendar_unit(g["unit"], offset, as_of)
        else:
            parsed = parse_date_expr(g["a"], as_of, forward)
            if parsed is None:
                return None
            found = parsed
        # the start of a period: its first day begins where the day before ends
        day = found.start - timedelta(days=1)
        return DateRange(day, day, f"the start of {found.label}", "point"), day
    if name in ("week_of_month", "part_of_month"):
        whole = parse_date_expr(g["a"], as_of, forward)
        if whole is None:
            return None
        first, last = part_of(whole, g.get("ord") or g["part"])
        return DateRange(first, last, f"{m.group().strip()}", "calendar"), None
    if name == "started_unit":
        day = calendar_unit(g["unit"], 0, as_of).start - timedelta(days=1)
        return DateRange(day, day, f"the start of this {g['unit']}", "point"), day
    if name == "until":
        if not (forward or g["now"]):
            return None  # "before March" looking back is not a window from today
        until: DateRange | None = parse_date_expr(g["a"], as_of, True) if g["a"] else None
        if g["wd"]:
            # "before friday": the coming one (a week ahead when today is that day);
            # "before the weekend": the coming Saturday
            ahead = (WEEKDAYS.get(g["wd"], 5) - as_of.weekday()) % 7 or 7
            day = as_of + timedelta(days=ahead)
            until = DateRange(day, day, f"{day:%A %B} {day.day}", "point")
        if until is None or until.end < as_of:
            return None
        end = until.start - timedelta(days=1) if g["edge"] == "before" else until.end
        return DateRange(as_of, max(as_of, end), f"until {until.label}", "forward"), None
    if name == "holiday":
        day = holiday_date(g["h"], g["y"], as_of, forward)
        return DateRange(day, day, g["h"], "point"), day
    if name == "named_rel_year":
        offset = {"last": -1, "previous": -1, "next": 1}.get(g["rel"], 0)
        named = parse_date_expr(f"{g['a'].rstrip('.')} {as_of.year + offset}", as_of, forward)
        if named is None:
            return None
        if g["end"] == "end":
            return DateRange(named.start, named.end, f"end of {named.label}"), named.end
        if g["end"]:
            day = named.start - timedelta(days=1)
            return DateRange(day, day, f"the start of {named.label}", "point"), day
        return named, None
    if name == "season_rel":
        which = {"past": "last", "previous": "last", "coming": "next"}.get(g["which"], g["which"])
        return season_range(g["season"], as_of, which), None
    if name == "bare_n":
        n = number_of(g["n"])
        if not n:
            return None
        delta = unit_delta(g["unit"], n)
        word = unit_word(g["unit"], n)
        if forward:
            return DateRange(as_of, as_of + delta, f"the next {n} {word}", "forward"), None
        return DateRange(as_of - delta, as_of, f"the last {n} {word}", "bare"), None
    if name == "last_n":
        n = number_of(g["n"])
        if not n:
            return None
        start = as_of - unit_delta(g["unit"], n)
        return DateRange(start, as_of, f"the last {n} {unit_word(g['unit'], n)}", "rolling"), None
    if name == "n_ago":
        n = number_of(g["n"])
        if not n:
            return None
        day = as_of - unit_delta(g["unit"], n)
        return DateRange(day, day, f"{n} {unit_word(g['unit'], n)} ago", "point"), day
    if name == "the_last":
        unit = g["unit"]
        # "the past month/quarter/year" read as 30/90/365 days, like the sample world's windows.
        days = {"week": 7, "fortnight": 14, "month": 30, "quarter": 90, "year": 365}[unit]
        start = as_of - timedelta(days=days)
        label = f"the last {days} days" if unit != "year" else "the last 12 months"
        return DateRange(start, as_of, label, "rolling"), None
    if name == "last_cal":
        unit = g["unit"]
        if unit == "fortnight":
            return DateRange(as_of - timedelta(days=14), as_of, "the last 14 days", "rolling"), None
        cal = calendar_unit(unit, -1, as_of)
        label = cal.label if unit in ("quarter", "year") else f"last {unit}"
        return DateRange(cal.start, cal.end, label, "calendar"), None
    if name == "this_cal":
        cal = calendar_unit(g["unit"], 0, as_of)
        # This year/quarter so far reads as a span of months (a trend), not one point.
        kind = "since" if g["unit"] in ("year", "quarter") else "current"
        return DateRange(cal.start, cal.end, f"this {g['unit']}", kind), None
    if name == "to_date":
        unit = {"y": "year", "m": "month", "q": "quarter", "w": "week"}[g["unit"][0]]
        cal = calendar_unit(unit, 0, as_of)
        kind = "since" if unit in ("year", "quarter") else "current"
        return DateRange(cal.start, as_of, f"{unit} to date", kind), None
    if name == "today":
        return DateRange(as_of, as_of, "today", "point"), as_of
    if name == "tomorrow":
        day = as_of + timedelta(days=1)
        return DateRange(day, day, "tomorrow", "forward"), day
    if name == "yesterday":
        day = as_of - timedelta(days=1)
        return DateRange(day, day, "yesterday", "point"), day
    if name == "end_of_rel":
        # "end of year" with no which: the last one finished (looking ahead, this one)
        bare = not (g["which"] or forward or re.search(r"\bof\s+the\b", m.group()))
        offset = -1 if g["which"] in ("last", "previous") or bare else 0
        cal = calendar_unit(g["unit"], offset, as_of)
        return DateRange(cal.start, cal.end, f"end of {cal.label}", "calendar"), min(cal.end, as_of)
    if name == "weekend":
        # Saturday and Sunday of this week (weeks start on Monday), or of the one before/after
        shift = {"last": -1, "past": -1, "previous": -1, "next": 1}.get(g["which"], 0)
        saturday = as_of - timedelta(days=as_of.weekday()) + timedelta(days=5, weeks=shift)
        sunday = saturday + timedelta(days=1)
        label = {-1: "last weekend", 1: "next weekend"}.get(shift, "this weekend")
        return DateRange(
            saturday, sunday, label, "forward" if saturday > as_of else "calendar"
        ), None
    if name == "unit_end":
        unit = "quarter" if (g["unit"] or "").startswith("q") or g["short"] == "q" else "year"
        if g["y"]:
            cal = calendar_unit(unit, 0, date(int(g["y"]), 12, 31))
        else:
            # the last one finished: today's, when today closes it
            closes = calendar_unit(unit, 0, as_of).end == as_of
            cal = calendar_unit(unit, 0 if forward or closes else -1, as_of)
        return DateRange(cal.start, cal.end, f"end of {cal.label}", "calendar"), min(cal.end, as_of)
    if name == "holidays":
        # Christmas Eve to New Year's Day: this season's, or last one's before December 24
        year = as_of.year if as_of >= date(as_of.year, 12, 24) or forward else as_of.year - 1
        start, end = date(year, 12, 24), date(year + 1, 1, 1)
        return DateRange(start, min(end, as_of) if not forward else end, "the holidays"), None
    if name in ("end_of", "as_of"):
        a = parse_date_expr(g["a"], as_of, forward)
        if not a:
            return None
        return DateRange(
            a.start, a.end, f"end of {a.label}" if name == "end_of" else a.label, a.kind
        ), (min(a.end, as_of) if not forward else a.end)
    if name == "quarter_word":
        quarter = _ORDINALS[g["ord"]]
        year = int(g["y"]) if g["y"] else quarter_occurrence(quarter, as_of, forward)
        return quarter_range(quarter, year), None
    if name == "last_month_name":
        month = MONTHS[g["a"].rstrip(".")]
        year = as_of.year if month < as_of.month else as_of.year - 1
        return month_range(month, year), None
    if name == "date":
        a = parse_date_expr(g["a"], as_of, forward)
        if not a:
            return None
        return a, (a.start if a.kind == "point" else None)
    return None


_EVENT_WORDS = (
    r"meeting|call|standup|stand-up|sync|review|check-?in|1:1|one-on-one|catch-?up|demo|offsite"
    r"|all-hands|huddle|update|report|qbr|session|presentation|pitch|deadline|board|exec|planning"
    r"|retro|lunch|dinner|call|chat|interview|kickoff|kick-off|townhall|town hall|standup"
)
_CONTEXT_WEEKDAY = re.compile(
    rf"(?<!last )(?<!this )(?<!next )(?<!past )(?<!since )(?<!from )(?<!on )\b{WEEKDAY_RE}"
    rf"(?:'s|s')?(?=[\s-]+(?:[a-z]+\s+)?(?:{_EVENT_WORDS})\b)"
    rf"|(?<!last )(?<!this )(?<!next )(?<!past )(?<!since )(?<!from )\b{WEEKDAY_RE}'s\b"
)
# "the list before wednesday" is a deadline; "trials ending before friday" (a forward
# question) is a window, so forward questions keep these.
_DEADLINE_WEEKDAY = re.compile(rf"(?<=\bby )(?<!since ){WEEKDAY_RE}\b|(?<=\bbefore ){WEEKDAY_RE}\b")


# "the end of the first half", "the start of this quarter": a point at that edge.
_EDGE_BEFORE = re.compile(
    r"(?:\b(?:at|by|as\s+of|on)\s+)?(?:the\s+)?\b(?P<edge>end|close|start|beginning)\s+of\s+"
    r"(?:the\s+)?$"
)


def _edge(before: str, rng: DateRange, at: date | None) -> tuple[DateRange, date | None]:
    """A period named after "the end of" / "the start of": the point at that edge."""
    edge = _EDGE_BEFORE.search(before)
    if edge is None or rng.kind == "point" or at is not None:
        return rng, at
    if edge["edge"] in ("end", "close"):
        return DateRange(rng.start, rng.end, f"end of {rng.label}", rng.kind), rng.end
    day = rng.start - timedelta(days=1)
    return DateRange(day, day, f"the start of {rng.label}", "point"), day


# The event named first: "the board deck on thursday", "call with them friday", "need it for
# monday". Only nouns here: "review failed payments on monday" asks about monday.
_EVENT_NOUNS = (
    r"meeting|call|standup|stand-up|check-?in|1:1|one-on-one|catch-?up|offsite|all-hands|huddle"
    r"|qbr|session|presentation|board|deck|slides|memo|lunch|dinner|interview|kick-?off"
    r"|town ?hall|retro|deadline"
)
_EVENT_THEN_WEEKDAY = re.compile(
    rf"\b(?:(?:{_EVENT_NOUNS})\b(?:(?:\s+[\w'&-]+){{0,3}}?\s+(?:on|this|next|due|for|before|by)"
    rf"|\s+with(?:\s+[\w'&-]+){{1,3}}?)?"
    rf"\s+|\bfor\s+(?:this\s+|next\s+)?)(?P<wd>{WEEKDAY_RE})\b"
)


def mask_context_weekdays(text: str, *, forward: bool = False) -> str:
    """``text`` with weekdays that name an event blanked out (same length, so spans hold);
    ``forward`` (renewals, trials) keeps "before friday" as the end of a window."""
    text = _EVENT_THEN_WEEKDAY.sub(
        lambda m: m.group()[: m.start("wd") - m.start()] + " " * len(m["wd"]), text
    )
    if not forward:
        text = _DEADLINE_WEEKDAY.sub(lambda m: " " * len(m.group()), text)
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
    found = calendar_unit(unit, -1, previous.start)
    label = f"the week of {found.start:%b %-d, %Y}" if unit == "week" else found.label
    return Period(found.start, found.end, label)
