"""Question text clean-up: Slack markup, unicode, emoji, control characters, case folding.

``normalize`` returns two aligned views of the same cleaned text: ``original``
(original case, for showing names back to people) and ``folded`` (case-folded,
accents stripped, for matching). ``offsets[i]`` is the index in ``original`` of
folded character ``i``, so a span found in ``folded`` can be shown as typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Hostile input is cut before any regex runs; real questions are far shorter.
MAX_CHARS = 500
# Raw input beyond this is dropped before even markup parsing (markup shrinks, so keep slack).
MAX_RAW_CHARS = 3000

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2265": ">=",
        "\u2264": "<=",
    }
)

_SLACK_TOKEN = re.compile(r"<([^<>]{0,500})>")
_EMOJI = re.compile(r"(?<![\w:]):[a-z0-9_+'-]{1,60}:(?::skin-tone-\d:)?(?![\w:])", re.IGNORECASE)
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))
_FORMATTING = re.compile(r"(?<![\w])[*_~]+|[*_~]+(?![\w])")
_SPACES = re.compile(r"\s+")
# Letters the NFKD decomposition does not reduce to ASCII.
_SPECIAL_FOLDS = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ı": "i"}


@dataclass(frozen=True)
class Normalized:
    """One question after clean-up; ``folded`` and ``original`` are aligned via ``offsets``."""

    original: str
    folded: str
    offsets: tuple[int, ...]

    def original_span(self, start: int, end: int) -> str:
        """The original-case text behind ``folded[start:end]``."""
        if start >= end or not self.offsets:
            return ""
        first = self.offsets[start]
        last = self.offsets[end - 1]
        return self.original[first : last + 1].strip()


def _slack_replacement(inner: str) -> str:
    """Text a Slack ``<...>`` token stands for: a label, a link's host, or nothing."""
    if not inner:
        return " "
    head, _, label = inner.partition("|")
    if head[:1] in "@!":
        return " "  # user mentions, <!here>, <!subteam^...>: not part of the question
    if head.startswith("#"):
        return f" {label or ''} "
    if label:
        return f" {label} "
    if head.lower().startswith("mailto:"):
        return f" {head[7:]} "
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", head, flags=re.IGNORECASE)
    return f" {host.split('/')[0]} "


def clean_markup(text: str) -> str:
    """Resolve Slack markup: mentions go, links become labels or hosts, entities decode."""
    text = _SLACK_TOKEN.sub(lambda m: _slack_replacement(m.group(1)), text)
    for entity, char in _ENTITIES:
        text = text.replace(entity, char)
    text = _EMOJI.sub(" ", text)
    return _FORMATTING.sub(" ", text)


_ASCII_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_ASCII_SPACES = re.compile(r"[\t\n\r\v\f]")


def _strip_controls(text: str) -> str:
    if text.isascii():
        return _ASCII_SPACES.sub(" ", _ASCII_CONTROLS.sub("", text))
    out = []
    for char in text:
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn"):
            out.append(" " if char in "\t\n\r\v\f" else "")
        elif category in ("Zl", "Zp", "Zs"):
            out.append(" ")
        else:
            out.append(char)
    return "".join(out)


def fold_char(char: str) -> str:
    """Case-fold one character and strip its accents ("É" -> "e", "ß" -> "ss")."""
    lowered = char.casefold()
    special = _SPECIAL_FOLDS.get(lowered)
    if special is not None:
        return special
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Case-folded, accent-free form of ``text`` (used to build matching keys)."""
    return "".join(fold_char(c) for c in text)


def clean(text: str) -> str:
    """Cleaned original-case text: markup resolved, NFKC, quotes/dashes, no controls."""
    raw = (text or "")[:MAX_RAW_CHARS]
    raw = unicodedata.normalize("NFKC", raw).translate(_QUOTES)
    raw = _strip_controls(raw)
    raw = clean_markup(raw)
    raw = _SPACES.sub(" ", raw).strip()
    if len(raw) > MAX_CHARS:
        cut = raw.rfind(" ", 0, MAX_CHARS)
        raw = raw[: cut if cut > MAX_CHARS // 2 else MAX_CHARS]
    return raw


def normalize(text: str) -> Normalized:
    """Clean ``text`` and build its folded, offset-aligned twin."""
    original = clean(text)
    folded: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(original):
        for out in fold_char(char):
            folded.append(out)
            offsets.append(index)
    text_folded, aligned = _fix_time_slips("".join(folded), offsets)
    return Normalized(original=original, folded=text_folded, offsets=tuple(aligned))


# Slips in time words ("lst month", "this mnth", "nxt 30 days"), corrected only next to
# the word they go with, so an account called "NXT" stays itself.
_TIME_HEADS = ("last", "next", "past", "this")
_TIME_UNITS = ("day", "days", "week", "weeks", "month", "months", "year", "years", "quarter")
_WORD = re.compile(r"[a-z]+|\d+")


def _slips(words: tuple[str, ...]) -> dict[str, str]:
    """Each word with two adjacent letters swapped or one inner letter dropped -> the word."""
    out: dict[str, str] = {}
    for word in words:
        for i in range(len(word) - 1):
            out.setdefault(word[:i] + word[i + 1] + word[i] + word[i + 2 :], word)
        for i in range(1, len(word)):
            out.setdefault(word[:i] + word[i + 1 :], word)
    for word in words:
        out.pop(word, None)
    return out


# Real words among the slips stay as typed ("net 30 days" is a payment term).
_REAL_WORDS = frozenset(
    [
        "net",
        "pat",
        "pats",
        "pas",
        "las",
        "lat",
        "lats",
        "tis",
        "thi",
        "nex",
        "wee",
        "wees",
        "yer",
        "yar",
        "yars",
        "das",
        "yeas",
        "mont",
        "yea",
        "ady",
    ]
)
_HEAD_SLIPS = {k: v for k, v in _slips(_TIME_HEADS).items() if k not in _REAL_WORDS}
_UNIT_SLIPS = {k: v for k, v in _slips(_TIME_UNITS).items() if len(k) >= 3 and k not in _REAL_WORDS}


def _fix_time_slips(folded: str, offsets: list[int]) -> tuple[str, list[int]]:
    tokens = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(folded)]
    fixes: list[tuple[int, int, str]] = []
    for i, (word, start, end) in enumerate(tokens):
        after = tokens[i + 1][0] if i + 1 < len(tokens) else ""
        before = tokens[i - 1][0] if i else ""
        head = _HEAD_SLIPS.get(word)
        if head and (after.isdigit() or after in _TIME_UNITS or after in _UNIT_SLIPS):
            fixes.append((start, end, head))
            continue
        unit = _UNIT_SLIPS.get(word)
        if unit and (before.isdigit() or before in _TIME_HEADS or before in _HEAD_SLIPS):
            fixes.append((start, end, unit))
    if not fixes:
        return folded, offsets
    text: list[str] = []
    aligned: list[int] = []
    done = 0
    for start, end, word in fixes:
        text.append(folded[done:start])
        aligned.extend(offsets[done:start])
        text.append(word)
        # Every letter of the corrected word maps into the typed word's span.
        aligned.extend(offsets[min(start + k, end - 1)] for k in range(len(word)))
        done = end
    text.append(folded[done:])
    aligned.extend(offsets[done:])
    return "".join(text), aligned
