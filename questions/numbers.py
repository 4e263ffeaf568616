"""Numbers in questions: top-N limits, day and amount thresholds, currencies.

Works on folded text. Spans already claimed by a time phrase are passed in
so "the last 30 days" is never read as a threshold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from questions.calendar import NUMBER_WORDS, number_words_re
from questions.query import Filters

CURRENCY_SYMBOLS: dict[str, str] = {
    "us$": "USD",
    "ca$": "CAD",
    "a$": "AUD",
    "au$": "AUD",
    "nz$": "NZD",
    "r$": "BRL",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "₩": "KRW",
}
CURRENCY_WORDS: dict[str, str] = {
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "bucks": "USD",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "sterling": "GBP",
    "jpy": "JPY",
    "yen": "JPY",
    "cad": "CAD",
    "aud": "AUD",
    "nzd": "NZD",
    "chf": "CHF",
    "francs": "CHF",
    "sek": "SEK",
    "nok": "NOK",
    "dkk": "DKK",
    "inr": "INR",
    "rupees": "INR",
    "brl": "BRL",
    "mxn": "MXN",
    "sgd": "SGD",
    "hkd": "HKD",
}
_SYMBOL_RE = "|".join(re.escape(s) for s in sorted(CURRENCY_SYMBOLS, key=len, reverse=True))
_CUR_WORD_RE = "|".join(sorted(CURRENCY_WORDS, key=len, reverse=True))
# ISO codes may also come first ("USD 5,000").
_CODE_RE = "|".join(sorted((w for w in CURRENCY_WORDS if len(w) == 3 and w.isalpha()), key=len))
_WORD_NUM_RE = number_words_re()
_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:\s?(?:k|m|mm|thousand|million|grand))?"
# Lower bounds ("more than 30 days", "over $1k") and upper bounds ("under $500").
_MORE = (
    r"(?:more\s+than|over|above|greater\s+than|larger\s+than|bigger\s+than|higher\s+than"
    r"|longer\s+than|older\s+than|exceeding|in\s+excess\s+of|beyond|north\s+of|upwards\s+of"
    r"|>\s*=?|at\s+least|no\s+less\s+than|not\s+less\s+than|no\s+fewer\s+than|minimum(?:\s+of)?"
    r"|min)"
)
_LESS = (
    r"(?:less\s+than|fewer\s+than|under|below|beneath|lower\s+than|smaller\s+than"
    r"|shorter\s+than|younger\s+than|newer\s+than|at\s+most|no\s+more\s+than|not\s+more\s+than"
    r"|up\s+to|<\s*=?|maximum(?:\s+of)?|max|south\s+of)"
)
_INCLUSIVE = re.compile(
    r"at\s+least|no\s+less|not\s+less|no\s+fewer|minimum|min|>\s*=|at\s+most|no\s+more|not\s+more"
    r"|up\s+to|<\s*=|maximum|max|or\s+(?:less|fewer|under|more|longer)|tops"
)
_DAY_UNIT = r"(?:days?|d|weeks?|wks?|fortnights?|months?|mos?)"
_DAY_NUM = rf"(?:\d{{1,4}}|{_WORD_NUM_RE})"
_LATE = r"(?:overdue|late|past\s+due|outstanding|behind|delinquent|old|unpaid)"
_OR_MORE = r"(?:\+\s*|or\s+more\s+|or\s+longer\s+|plus\s+)"
_OR_MORE_WORDS = r"(?:or\s+more|or\s+longer|plus)\b"
_OR_LESS = r"(?:or\s+(?:less|fewer|under|sooner)|max|at\s+most|tops)"

_DAYS_RANGE_RE = re.compile(
    rf"\b(?:between\s+|from\s+)?(?P<a>{_DAY_NUM})\s*(?P<ua>{_DAY_UNIT})?\s*"
    rf"(?:and|to|-|until|till)\s*(?P<b>{_DAY_NUM})\s*(?P<unit>{_DAY_UNIT})\b"
)
_DAYS_LOW_RE = re.compile(
    rf"(?<!\w)(?P<op>{_MORE})\s*(?P<n>{_DAY_NUM})\s*(?P<unit>{_DAY_UNIT})\b"
    rf"|\b(?P<n2>\d{{1,4}})\s*{_OR_MORE}(?P<unit2>{_DAY_UNIT})\b"
    rf"|\b(?P<n5>{_DAY_NUM})\s*(?P<unit5>{_DAY_UNIT})\s*{_OR_MORE_WORDS}"
    rf"|\b(?P<n3>{_DAY_NUM})\s+(?P<unit3>{_DAY_UNIT})\s+"
    rf"(?:or\s+more\s+)?{_LATE}\b"
    rf"|\b(?:overdue|late|past\s+due|behind)\s+(?:by\s+)?(?P<op4>{_MORE})?\s*"
    rf"(?P<n4>\d{{1,4}})\s*\+?\s*(?P<unit4>{_DAY_UNIT})\b"
    # "overdue 30+", "late 60+": days when nothing else is counted
    rf"|\b{_LATE}\s+(?:by\s+)?(?P<n6>\d{{1,3}})\s*\+(?!\s*(?:k\b|[$€£%]|\d))(?P<unit6>)"
)
_DAYS_HIGH_RE = re.compile(
    rf"(?<!\w)(?P<op>{_LESS})\s*(?P<n>{_DAY_NUM})\s*(?P<unit>{_DAY_UNIT})\b"
    rf"|\b(?P<n2>{_DAY_NUM})\s*(?P<unit2>{_DAY_UNIT})\s+(?P<op2>{_OR_LESS})\b"
)
_NOT_MONEY = (
    r"(?!\s*(?:%|(?:percent|days?|d|weeks?|months?|years?|accounts?|customers?|clients?"
    r"|invoices?|seats?|users?|times|and\s+\d+\s*(?:days?|weeks?|months?))\b))"
)


_WORD_SCALE = r"(?:grand|thousand|k|hundred|million)"


def _value(tag: str) -> str:
    """One amount with optional currency symbol, scale and currency word; groups end in ``tag``.

    Digits ("1,500", "$1.5k", "USD 5,000") or number words with a scale ("three grand",
    "five thousand", "a hundred").
    """
    return (
        rf"(?:(?P<sym{tag}>{_SYMBOL_RE})\s?|(?P<code{tag}>{_CODE_RE})\s)?"
        rf"(?:(?P<num{tag}>{_AMOUNT})(?P<scale{tag}>{_SCALE})"
        rf"|(?P<wnum{tag}>{_WORD_NUM_RE})[\s-]+(?P<wscale{tag}>{_WORD_SCALE})\b)"
        rf"(?:\s?(?P<word{tag}>{_CUR_WORD_RE})\b)?"
    )


_MONEY_RANGE_RE = re.compile(
    rf"\b(?:between|from)\s+{_value('a')}\s+(?:and|to|-)\s+{_value('b')}{_NOT_MONEY}"
)
_MONEY_LOW_RE = re.compile(rf"(?P<op>{_MORE})\s*{_value('')}{_NOT_MONEY}")
_MONEY_HIGH_RE = re.compile(rf"(?P<op>{_LESS})\s*{_value('')}{_NOT_MONEY}")
# "2k+", "$5,000 or more", "3 grand and up": a lower bound said after the amount
_MONEY_PLUS_RE = re.compile(
    rf"(?<![\w.]){_value('')}(?P<op>\s*\+|\s+or\s+(?:more|above|higher)\b|\s+and\s+(?:up|above)\b)"
    rf"{_NOT_MONEY}"
)
_CURRENCY_ALONE = re.compile(
    rf"\b(?:in|only|just)\s+(?P<w1>{_CUR_WORD_RE})\b|\b(?P<w2>{_CUR_WORD_RE})\s+"
    rf"(?:only|accounts?|customers?|clients?|subscriptions?|mrr|arr|revenue|invoices?)\b"
    rf"|\(\s*(?P<w3>{_CUR_WORD_RE})\s*\)|\b(?:mrr|arr|revenue)\s+(?:in\s+)?(?P<w4>{_CUR_WORD_RE})\b"
)
_NUM_TOKEN = rf"(?:\d{{1,4}}|{_WORD_NUM_RE}|a\s+dozen|dozen)"
_LIMIT_RES = [
    re.compile(rf"\b(?:top|bottom)\s*[-#]?\s*(?P<n>{_NUM_TOKEN})\b"),
    re.compile(
        rf"\b(?P<n>{_NUM_TOKEN})\s+(?:top|biggest|largest|highest|best|leading|richest|most"
        rf"|largest[\s-]paying|highest[\s-]paying|high[\s-]paying|most\s+valuable|largest\s+mrr)\b"
    ),
    re.compile(rf"\b(?:first|biggest|largest|highest|best)\s+(?P<n>{_NUM_TOKEN})\b"),
    re.compile(
        r"\b(?:limit|show|list|give\s+me)\s+(?:to\s+|me\s+)?(?P<n>\d{1,4})\b(?!\s*(?:days?|weeks?|months?|%))"
    ),
    re.compile(rf"^(?:\w+\s+)?make\s+it\s+(?P<n>{_NUM_TOKEN})\b"),
    # "last 5 invoices", "the three latest bills": a number of rows, not a period.
    re.compile(
        rf"\b(?:last|latest|recent|most\s+recent|first|past)\s+(?P<n>{_NUM_TOKEN})\s+"
        r"(?:invoices?|bills?|payments?|charges?|receipts?|statements?)\b"
    ),
    re.compile(
        rf"\b(?P<n>{_NUM_TOKEN})\s+(?:last|latest|most\s+recent|recent)\s+"
        r"(?:invoices?|bills?|payments?|charges?|receipts?|statements?)\b"
    ),
]
_SINGLE_TOP = re.compile(
    r"\b(?:the\s+|our\s+|my\s+)?(?:top|biggest|largest|highest[\s-]paying|best|most\s+valuable"
    r"|largest[\s-]paying|number\s+one|#\s?1|no\.?\s?1)\s+(?:[a-z]{2,12}\s+)?"
    r"(?:client|customer|account|payer|logo)\b(?!s)"
)


@dataclass(frozen=True)
class NumberFacts:
    """Numbers found in one question and the spans they came from."""

    limit: int | None
    filters: Filters
    spans: tuple[tuple[int, int], ...]


def word_number(text: str) -> int | None:
    text = re.sub(r"[\s-]+", " ", text.strip())
    if text.isdigit():
        return int(text)
    if text in ("a dozen", "dozen"):
        return 12
    return NUMBER_WORDS.get(text)


def parse_amount(number: str, scale: str | None) -> Decimal | None:
    """ "1,500" / "2.5" plus "k"/"m" -> a Decimal in major units."""
    try:
        value = Decimal(number.replace(",", ""))
    except InvalidOperation:
        return None
    scale = (scale or "").strip()
    if scale == "hundred":
        value *= 100
    elif scale in ("k", "thousand", "grand"):
        value *= 1000
    elif scale in ("m", "mm", "million"):
        value *= 1_000_000
    return value


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def find_limit(
    text: str, taken: list[tuple[int, int]]
) -> tuple[int | None, tuple[int, int] | None]:
    """A top-N limit ("top 5", "five biggest", "largest client" -> 1)."""
    for pattern in _LIMIT_RES:
        for m in pattern.finditer(text):
            if _overlaps(m.span(), taken):
                continue
            n = word_number(m["n"])
            if n and 0 < n <= 1000:
                return n, m.span()
    single = _SINGLE_TOP.search(text)
    if single and not _overlaps(single.span(), taken):
        return 1, single.span()
    return None, None


def _unit_days(unit: str | None) -> int:
    unit = unit or "d"
    return {"w": 7, "f": 14, "m": 30}.get(unit[0], 1)


def _days(
    m: re.Match[str], keys: tuple[tuple[str, str, str | None], ...]
) -> tuple[int, bool] | None:
    """(days, strict) from the first alternative of ``m`` that matched."""
    for n_key, unit_key, op_key in keys:
        raw = m[n_key]
        if raw is None:
            continue
        n = word_number(raw)
        if n is None:
            return None
        op = m[op_key] if op_key else None
        strict = bool(op) and not _INCLUSIVE.match(op or "")
        return n * (_unit_days(m[unit_key]) if m[unit_key] else 1), strict
    return None


_LOW_KEYS = (
    ("n", "unit", "op"),
    ("n2", "unit2", None),
    ("n5", "unit5", None),
    ("n3", "unit3", None),
    ("n4", "unit4", "op4"),
    ("n6", "unit6", None),
)
_HIGH_KEYS = (("n", "unit", "op"), ("n2", "unit2", "op2"))


def _day_bounds(text: str, taken: list[tuple[int, int]], values: dict[str, object]) -> None:
    """Day thresholds: a range sets both bounds, else one lower and/or one upper bound."""
    for m in _DAYS_RANGE_RE.finditer(text):
        if _overlaps(m.span(), taken):
            continue
        low, high = word_number(m["a"]), word_number(m["b"])
        if low is None or high is None:
            continue
        if (
            not m["a"].isdigit()
            and low % 10 == 0
            and low >= 20
            and not m["b"].isdigit()
            and high < 10
        ):
            continue  # "forty-five days" is one number, not 40 to 5
        unit = _unit_days(m["unit"])
        low_unit = _unit_days(m["ua"]) if m["ua"] else unit
        values.update(
            min_days=low * low_unit,
            min_days_strict=False,
            max_days=high * unit,
            max_days_strict=False,
        )
        taken.append(m.span())
        return
    for pattern, keys, prefix in (
        (_DAYS_HIGH_RE, _HIGH_KEYS, "max"),
        (_DAYS_LOW_RE, _LOW_KEYS, "min"),
    ):
        for m in pattern.finditer(text):
            if _overlaps(m.span(), taken):
                continue
            days = _days(m, keys)
            if days:
                values[f"{prefix}_days"], values[f"{prefix}_days_strict"] = days
                taken.append(m.span())
                break


def _amount(m: re.Match[str], tag: str) -> tuple[Decimal | None, str | None]:
    if m[f"wnum{tag}"]:
        count = word_number(m[f"wnum{tag}"])
        amount = parse_amount(str(count), m[f"wscale{tag}"]) if count else None
    else:
        amount = parse_amount(m[f"num{tag}"], m[f"scale{tag}"])
    currency = (
        CURRENCY_SYMBOLS.get(m[f"sym{tag}"] or "")
        or CURRENCY_WORDS.get(m[f"code{tag}"] or "")
        or CURRENCY_WORDS.get(m[f"word{tag}"] or "")
    )
    return amount, currency


def _scale_of(m: re.Match[str], tag: str) -> Decimal:
    """The multiplier a value of ``m`` was said with ("k", "grand", "million"), 1 without."""
    said = (m[f"scale{tag}"] or m[f"wscale{tag}"] or "").strip()
    return parse_amount("1", said) or Decimal(1) if said else Decimal(1)


def _amount_bounds(text: str, taken: list[tuple[int, int]], values: dict[str, object]) -> None:
    """Amount thresholds: "between $1k and $5k", "over 2,000 euros", "under $500"."""
    for m in _MONEY_RANGE_RE.finditer(text):
        if _overlaps(m.span(), taken):
            continue
        (low, cur_a), (high, cur_b) = _amount(m, "a"), _amount(m, "b")
        if low is None or high is None:
            continue
        scale = _scale_of(m, "b")
        if low < high / scale and not _scale_of(m, "a") > 1:
            low *= scale  # "between 2 and 3 grand": the scale is said once, for both
        values.update(
            min_amount=low, min_amount_strict=False, max_amount=high, max_amount_strict=False
        )
        if cur_a or cur_b:
            values["currency"] = cur_a or cur_b
        taken.append(m.span())
        return
    for pattern, prefix in ((_MONEY_HIGH_RE, "max"), (_MONEY_LOW_RE, "min")):
        for m in pattern.finditer(text):
            if _overlaps(m.span(), taken):
                continue
            amount, currency = _amount(m, "")
            if amount is None:
                continue
            values[f"{prefix}_amount"] = amount
            values[f"{prefix}_amount_strict"] = not _INCLUSIVE.match(m["op"])
            if currency:
                values["currency"] = currency
            taken.append(m.span())
            break
    if "min_amount" in values:
        return
    for m in _MONEY_PLUS_RE.finditer(text):
        amount, currency = _amount(m, "")
        # a bare "30+" is a count of days or accounts; money needs a symbol, code or scale
        said_as_money = currency or _scale_of(m, "") > 1
        if _overlaps(m.span(), taken) or amount is None or not said_as_money:
            continue
        values.update(min_amount=amount, min_amount_strict=False)
        if currency:
            values["currency"] = currency
        taken.append(m.span())
        break


def find_numbers(text: str, taken: list[tuple[int, int]]) -> NumberFacts:
    """Limit, day/amount thresholds and a currency from folded ``text``."""
    spans: list[tuple[int, int]] = []
    limit, limit_span = find_limit(text, taken)
    if limit_span:
        spans.append(limit_span)
    values: dict[str, object] = {}
    claimed = list(taken) + spans
    _day_bounds(text, claimed, values)
    _amount_bounds(text, claimed, values)
    spans = [span for span in claimed if span not in taken]
    if "currency" not in values:
        # "top EUR client": the currency may sit inside the top-N phrase
        bounds = [span for span in spans if span != limit_span]
        for m in _CURRENCY_ALONE.finditer(text):
            if not _overlaps(m.span(), taken + bounds):
                values["currency"] = CURRENCY_WORDS[m["w1"] or m["w2"] or m["w3"] or m["w4"]]
                spans.append(m.span())
                break
    return NumberFacts(limit=limit, filters=Filters(**values), spans=tuple(spans))  # type: ignore[arg-type]
