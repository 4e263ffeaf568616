"""Finding the account a question is about.

``AccountIndex`` is built once per account list (``index_for`` caches it) and
resolves a normalised question in roughly O(question length), independent of
the number of accounts, except for a bounded fuzzy step:

1. a domain, email or link naming an account's domain (``acme.com``, ``www.``);
2. an exact name or alias anywhere in the sentence (case, accents, punctuation,
   "&"/"and", possessive and company suffixes ignored), longest first;
3. the leading words of a name ("Canopy" -> Canopy Health) when they are not
   ordinary words; several accounts sharing them -> candidates;
4. typo-tolerant matching (one edit per word via a deletion index, scored with
   rapidfuzz) above a confidence threshold.

A key made only of ordinary words ("Top Accounts") matches only when typed
capitalised and not as the first word, so plain questions match no account.
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from questions.normalize import Normalized, fold
from questions.query import AccountRef
from questions.vocabulary import COMMON_WORDS, is_common, tokens_with_spans

# Trailing legal-form words dropped for an extra key ("Contoso Trading Inc." -> contoso trading).
COMPANY_SUFFIXES = frozenset(
    [
        "inc",
        "incorporated",
        "llc",
        "llp",
        "lp",
        "ltd",
        "limited",
        "gmbh",
        "co",
        "corp",
        "corporation",
        "company",
        "plc",
        "sa",
        "ag",
        "bv",
        "nv",
        "srl",
        "sarl",
        "pty",
        "oy",
        "ab",
        "as",
        "spa",
        "kk",
        "holdings",
    ]
)
_DOMAIN_RE = re.compile(
    r"(?:(?<=@)|(?<![\w.@-]))((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})(?![\w-])"
)
# Fuzzy matching: minimum rapidfuzz ratio, and how common a word may be to seed candidates.
FUZZY_THRESHOLD = 86.0
FUZZY_SHORT_THRESHOLD = 90.0
MAX_POSTING = 3000
MAX_FUZZY_WORD = 30
FUZZY_OVER_PREFIX = 88.0
MAX_FUZZY_SCORED = 24
# Below this whole-window ratio a window is not rescored word by word (speed).
ALIGNED_FLOOR = 60.0
# Leading-words matches naming more accounts than this are too vague to offer.
MAX_PREFIX_CANDIDATES = 8
MAX_CANDIDATES = 5


@dataclass(frozen=True)
class AccountMatch:
    """The outcome of resolving one question.

    ``how``: ``domain``, ``exact``, ``prefix``, ``fuzzy`` or ``none``.
    ``span`` is the folded-text span of the mention (to mask it from intent cues).
    """

    account: AccountRef | None = None
    candidates: tuple[AccountRef, ...] = ()
    text: str | None = None
    span: tuple[int, int] | None = None
    score: float = 0.0
    how: str = "none"

    @property
    def found(self) -> bool:
        return self.account is not None or bool(self.candidates)


Token = tuple[str, int, int]


def key_tokens(text: str) -> tuple[str, ...]:
    """Matching tokens of a name or alias: folded, punctuation-free, "&" as "and"."""
    return tuple(token for token, _, _ in tokens_with_spans(fold(text)))


def _strip_suffixes(tokens: tuple[str, ...]) -> tuple[str, ...]:
    out = list(tokens)
    while len(out) > 1 and out[-1] in COMPANY_SUFFIXES:
        out.pop()
    if len(out) > 1 and out[0] == "the":
        out.pop(0)
    return tuple(out)


def _deletes(token: str) -> set[str]:
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


def _all_common(tokens: Sequence[str]) -> bool:
    return all(is_common(t) for t in tokens)


class AccountIndex:
    """Lookup structures over one account list."""

    def __init__(self, accounts: Iterable[AccountRef]) -> None:
        self.accounts: tuple[AccountRef, ...] = tuple(accounts)
        self._by_id = {acc.id: acc for acc in self.accounts}
        self._exact: dict[tuple[str, ...], set[int]] = defaultdict(set)
        self._prefix: dict[tuple[str, ...], set[int]] = defaultdict(set)
        self._domains: dict[str, set[int]] = defaultdict(set)
        self._keys: list[list[tuple[str, ...]]] = []
        self._postings: dict[str, set[int]] = defaultdict(set)
        self._deletion: dict[str, set[str]] = defaultdict(set)
        self.max_key_len = 1
        for index, account in enumerate(self.accounts):
            self._add(index, account)

    def __len__(self) -> int:
        return len(self.accounts)

    def by_id(self, account_id: str) -> AccountRef | None:
        return self._by_id.get(account_id)

    @classmethod
    def from_accounts(cls, accounts: Iterable[Any]) -> AccountIndex:
        """Build from billing ``Account`` objects (anything with id, name, domain, aliases)."""
        return cls(
            AccountRef(
                id=acc.id,
                name=acc.name,
                domain=getattr(acc, "domain", None),
                aliases=tuple(getattr(acc, "aliases", ()) or ()),
            )
            for acc in accounts
        )

    def _add(self, index: int, account: AccountRef) -> None:
        keys: list[tuple[str, ...]] = []
        for text in (account.name, *account.aliases):
            tokens = key_tokens(text)
            if not tokens:
                continue
            for variant in {tokens, _strip_suffixes(tokens)}:
                if variant and (len(variant) > 1 or len(variant[0]) >= 3):
                    keys.append(variant)
            if len(tokens) > 1:
                keys.append(("".join(tokens),))
        keys = list(dict.fromkeys(keys))
        self._keys.append(keys)
        for key in keys:
            self._exact[key].add(index)
            self.max_key_len = max(self.max_key_len, len(key))
            for size in range(1, len(key)):
                prefix = key[:size]
                if not _all_common(prefix) and len("".join(prefix)) >= 4:
                    self._prefix[prefix].add(index)
            for token in key:
                if is_common(token) or len(token) < 3:
                    continue
                self._postings[token].add(index)
                if len(token) >= 4:
                    for deleted in _deletes(token) | {token}:
                        self._deletion[deleted].add(token)
        if account.domain:
            domain = account.domain.lower().strip()
            domain = domain.removeprefix("www.")
            self._domains[domain].add(index)

    # -- resolution -------------------------------------------------------------------------

    def resolve(self, norm: Normalized, ignore: Sequence[tuple[int, int]] = ()) -> AccountMatch:
        """The account (or candidates) ``norm`` names; spans in ``ignore`` are not names."""
        tokens = [t for t in tokens_with_spans(norm.folded) if not _inside(t[1], t[2], ignore)]
        domain = self._by_domain(norm, tokens, ignore)
        if domain is not None:
            return self._with_second_mention(norm, tokens, domain)
        exact = self._by_exact(norm, tokens, ignore)
        if exact is not None:
            # "Acme Logistcs": a misspelt longer name beats the exact shorter one it starts with.
            longer = (
                self._by_fuzzy(norm, tokens, ignore) if self._may_extend(tokens, exact) else None
            )
            if (
                longer is not None
                and longer.score >= FUZZY_OVER_PREFIX
                and _covers(longer.span, exact.span)
                and _length(longer.span) > _length(exact.span)
            ):
                return longer
            return self._with_second_mention(norm, tokens, exact)
        prefix = self._by_prefix(norm, tokens, ignore)
        fuzzy = self._by_fuzzy(norm, tokens, ignore)
        if prefix is None:
            return fuzzy or AccountMatch()
        # A near-exact full name beats the shorter leading-words match ("Acme Apex Bakry").
        if (
            fuzzy
            and fuzzy.score >= FUZZY_OVER_PREFIX
            and _length(fuzzy.span) > _length(prefix.span)
        ):
            return fuzzy
        return prefix

    def name_spans(self, norm: Normalized) -> list[tuple[int, int]]:
        """Spans naming an account outright in two or more words ("Sunday Solar", "Last Mile
        Couriers"): read as the name before any time phrase or number inside it."""
        tokens = tokens_with_spans(norm.folded)
        words = [t[0] for t in tokens]
        spans: list[tuple[int, int]] = []
        i = 0
        while i < len(words):
            for size in range(min(self.max_key_len, len(words) - i), 1, -1):
                if tuple(words[i : i + size]) in self._exact and self._plausible(
                    norm, tokens, i, size
                ):
                    spans.append((tokens[i][1], tokens[i + size - 1][2]))
                    i += size
                    break
            else:
                i += 1
        return spans

    def _may_extend(self, tokens: list[Token], exact: AccountMatch) -> bool:
        """Whether an exact match could be the start of a longer, misspelt name."""
        if exact.span is None:
            return False
        inside = [t[0] for t in tokens if _inside(t[1], t[2], [exact.span])]
        after = [t[0] for t in tokens if t[1] >= exact.span[1]]
        return (
            bool(after)
            and not is_common(after[0])
            and len(after[0]) >= 4
            and tuple(inside) in self._prefix
        )

    def _with_second_mention(
        self, norm: Normalized, tokens: list[Token], match: AccountMatch
    ) -> AccountMatch:
        """Two accounts named outright ("compare Acme and Blue Sky") -> both as candidates.

        The engine answers about one account, so naming two asks "which one?".
        """
        if match.span is None or match.account is None:
            return match
        rest = [t for t in tokens if not _inside(t[1], t[2], [match.span])]
        other = self._scan(norm, rest, self._exact, "exact")
        if other is None or other.span is None or match.account in other.candidates:
            return match
        if other.account is None or other.account.id == match.account.id:
            return match
        first, second = sorted((match.span, other.span))
        both = tuple(sorted((match.account, other.account), key=lambda a: (a.name, a.id)))
        text = f"{norm.original_span(*first)} / {norm.original_span(*second)}"
        return AccountMatch(None, both, text, (first[0], second[1]), 100.0, "several")

    def _result(
        self, norm: Normalized, ids: Iterable[int], span: tuple[int, int], how: str, score: float
    ) -> AccountMatch:
        accounts = sorted((self.accounts[i] for i in set(ids)), key=lambda a: (a.name, a.id))
        text = norm.original_span(*span)
        if len(accounts) == 1:
            return AccountMatch(accounts[0], (), text, span, score, how)
        return AccountMatch(None, tuple(accounts[:MAX_CANDIDATES]), text, span, score, how)

    def _by_domain(
        self, norm: Normalized, tokens: list[Token], ignore: Sequence[tuple[int, int]]
    ) -> AccountMatch | None:
        for m in _DOMAIN_RE.finditer(norm.folded):
            if _inside(m.start(), m.end(), ignore):
                continue
            domain = m.group(1).removeprefix("www.")
            labels = domain.split(".")
            for cut in range(len(labels) - 1):
                hits = self._domains.get(".".join(labels[cut:]))
                if hits:
                    return self._result(norm, hits, m.span(1), "domain", 100.0)
            if not _looks_like_domain(domain):
                continue
            return AccountMatch(None, (), norm.original_span(*m.span(1)), m.span(1), 0.0, "none")
        return None

    def _by_exact(
        self, norm: Normalized, tokens: list[Token], ignore: Sequence[tuple[int, int]]
    ) -> AccountMatch | None:
        return self._scan(norm, tokens, self._exact, "exact")

    def _by_prefix(
        self, norm: Normalized, tokens: list[Token], ignore: Sequence[tuple[int, int]]
    ) -> AccountMatch | None:
        return self._scan(norm, tokens, self._prefix, "prefix")

    def _scan(
        self,
        norm: Normalized,
        tokens: list[tuple[str, int, int]],
        table: dict[tuple[str, ...], set[int]],
        how: str,
    ) -> AccountMatch | None:
        words = [t[0] for t in tokens]
        best: tuple[int, int, set[int]] | None = None  # (length, start index, ids)
        for i in range(len(words)):
            for size in range(min(self.max_key_len, len(words) - i), 0, -1):
                if best and size <= best[0]:
                    break
                key = tuple(words[i : i + size])
                ids = table.get(key)
                if not ids or not self._plausible(norm, tokens, i, size):
                    continue
                if how == "prefix" and len(ids) > MAX_PREFIX_CANDIDATES:
                    continue
                best = (size, i, ids)
                break
        if best is None:
            return None
        size, i, ids = best
        span = (tokens[i][1], tokens[i + size - 1][2])
        return self._result(norm, ids, span, how, 100.0 if how == "exact" else 90.0)

    @staticmethod
    def _plausible(norm: Normalized, tokens: list[tuple[str, int, int]], i: int, size: int) -> bool:
        """Ordinary words name an account only when typed capitalised, and not first."""
        words = [t[0] for t in tokens[i : i + size]]
        if not _all_common(words):
            return True
        if i == 0 and size == 1:
            return False
        for _, start, end in tokens[i : i + size]:
            typed = norm.original_span(start, end)
            if typed[:1].isalpha() and not typed[:1].isupper():
                return False
        return True

    def _by_fuzzy(
        self, norm: Normalized, tokens: list[Token], ignore: Sequence[tuple[int, int]]
    ) -> AccountMatch | None:
        words = [t[0] for t in tokens]
        # Accounts sharing the most (near-)identical words with the question go to scoring.
        hits: dict[int, set[int]] = defaultdict(set)
        for i, word in enumerate(words):
            if is_common(word) or not 4 <= len(word) <= MAX_FUZZY_WORD or word.isdigit():
                continue
            for index in self._fuzzy_candidates(word):
                hits[index].add(i)
        if not hits:
            return None
        ranked_hits = heapq.nsmallest(
            MAX_FUZZY_SCORED, hits.items(), key=lambda kv: (-len(kv[1]), kv[0])
        )
        scores: dict[int, tuple[float, tuple[int, int]]] = {}
        for index, positions in ranked_hits:
            for i in positions:
                for key in self._keys[index]:
                    score, span = self._window_score(words, tokens, i, key)
                    if score > scores.get(index, (0.0, (0, 0)))[0]:
                        scores[index] = (score, span)
        if not scores:
            return None
        # Among confident matches, the one covering most of the text wins ("Nimbus Hlaeth" is
        # Nimbus Health, not "Nimbus" + a stray word, even though Nimbus Wealth shares "Nimbus").
        confident = [v for v in scores.values() if v[0] >= FUZZY_OVER_PREFIX]
        if confident:
            longest = max(_length(span) for _, span in confident)
            scores = {
                k: v
                for k, v in scores.items()
                if v[0] < FUZZY_OVER_PREFIX or _length(v[1]) == longest
            }
        ranked = sorted(scores.items(), key=lambda kv: -kv[1][0])
        top_score, top_span = ranked[0][1]
        ids = [index for index, (score, _) in ranked if score >= top_score - 2.0]
        return self._result(norm, ids, top_span, "fuzzy", top_score)

    def _fuzzy_candidates(self, word: str) -> set[int]:
        names = set(self._deletion.get(word, ()))
        for deleted in _deletes(word):
            names |= self._deletion.get(deleted, set())
        out: set[int] = set()
        for name in names:
            posting = self._postings.get(name, set())
            if len(posting) <= MAX_POSTING:
                out |= posting
        return out

    @staticmethod
    def _window_score(
        words: list[str], tokens: list[Token], i: int, key: tuple[str, ...]
    ) -> tuple[float, tuple[int, int]]:
        """Best ratio between ``key`` (or its leading words) and a window holding word ``i``."""
        best = (0.0, (0, 0))
        for size_key in range(len(key), 0, -1):
            if best[0] and size_key < len(key):
                break  # the whole name matched: its leading words alone must not outscore it
            part = key[:size_key]
            target = " ".join(part)
            if len(target) < 5 or (size_key < len(key) and _all_common(part)):
                continue
            threshold = FUZZY_THRESHOLD if len(target) >= 9 else FUZZY_SHORT_THRESHOLD
            for size in {max(1, size_key - 1), size_key, size_key + 1}:
                for start in range(max(0, i - size + 1), min(i, len(words) - size) + 1):
                    window = words[start : start + size]
                    if _all_common(window) or (window[0] in COMMON_WORDS and size > size_key):
                        continue
                    joined = " ".join(window)
                    # The ratio counts a swap of two letters as two edits; OSA as one.
                    score = max(
                        fuzz.ratio(joined, target), OSA.normalized_similarity(joined, target) * 100
                    )
                    if size == size_key and ALIGNED_FLOOR <= score < threshold:
                        # Swapped letters cost two edits in the ratio; score word by word.
                        score = max(score, _aligned_score(window, part))
                    if size_key < len(key):
                        score -= 2.0  # a full-name match beats a leading-words one
                    if score >= threshold and score > best[0]:
                        best = (score, (tokens[start][1], tokens[start + size - 1][2]))
        return best


def _word_similarity(typed: str, name: str) -> float:
    """0..100 likeness of two words, counting a swap of letters as one slip ("hlaeth"/"health")."""
    if typed == name:
        return 100.0
    score = max(fuzz.ratio(typed, name), OSA.normalized_similarity(typed, name) * 100.0)
    if len(typed) == len(name) >= 4 and typed[0] == name[0] and sorted(typed) == sorted(name):
        score = max(score, 92.0)  # same letters, scrambled: a typing slip, not another word
    return score


def _aligned_score(window: Sequence[str], key: Sequence[str]) -> float:
    """Word-by-word likeness of a window and a name of as many words, weighted by length."""
    total = sum(len(word) for word in key)
    if not total:
        return 0.0
    return sum(_word_similarity(w, k) * len(k) for w, k in zip(window, key, strict=True)) / total


def _covers(outer: tuple[int, int] | None, inner: tuple[int, int] | None) -> bool:
    return bool(outer and inner and outer[0] <= inner[0] and inner[1] <= outer[1])


def _length(span: tuple[int, int] | None) -> int:
    return span[1] - span[0] if span else 0


def _inside(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in spans)


_TLDS = frozenset(
    [
        "com",
        "net",
        "org",
        "io",
        "co",
        "ai",
        "app",
        "dev",
        "biz",
        "info",
        "us",
        "uk",
        "de",
        "fr",
        "es",
        "it",
        "nl",
        "be",
        "ch",
        "at",
        "se",
        "no",
        "dk",
        "fi",
        "ie",
        "pt",
        "pl",
        "eu",
        "ca",
        "au",
        "nz",
        "jp",
        "in",
        "br",
        "mx",
        "vc",
        "xyz",
        "tech",
        "cloud",
        "shop",
        "studio",
        "agency",
    ]
)


def _looks_like_domain(domain: str) -> bool:
    """A typed domain we should report as "no account matches" (not "e.g" or "1.5k")."""
    labels = domain.split(".")
    return len(labels) >= 2 and labels[-1] in _TLDS and len(labels[-2]) >= 2


@lru_cache(maxsize=16)
def index_for(accounts: tuple[AccountRef, ...]) -> AccountIndex:
    """The index of an account list, built once per distinct list."""
    return AccountIndex(accounts)


_AFTER_PREP = re.compile(
    r"\b(?:for|of|on|about|with|from|at|regarding|re|is|are|does|did|has|have|hows)\s+"
    r"(?:the\s+)?(?:account\s+|client\s+|customer\s+)?$"
)
# "who is Foobar Inc?" names an account we may not know; "who is the CEO" does not.
_STRICT_PREP = re.compile(
    r"\b(?:about|on|for|with|regarding|re)\s+(?:the\s+)?$|\bwho(?: is|'s)\s+$"
)


def guess_account_text(
    norm: Normalized, ignore: Sequence[tuple[int, int]], *, strict: bool = False
) -> str | None:
    """What the user probably typed as an account name when none matched.

    A run of unknown words right after a preposition ("summary for Zorblax
    Labs"), else (unless ``strict``) any capitalised run of unknown words.
    With ``strict`` (the question has no other cue) only "about/on/for X" or
    a question that is nothing but the name counts.
    """
    tokens = [t for t in tokens_with_spans(norm.folded) if not _inside(t[1], t[2], ignore)]
    runs: list[list[Token]] = []
    current: list[Token] = []
    for token in tokens:
        typed = norm.original_span(token[1], token[2])
        capitalised = typed[:1].isupper() or typed[:1].isdigit()
        if not is_common(token[0]) and (capitalised or len(token[0]) >= 3):
            if current and token[1] - current[-1][2] > 2:
                runs.append(current)
                current = []
            current.append(token)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    for run in runs:
        start, end = run[0][1], run[-1][2]
        text = norm.original_span(start, end)
        before = norm.folded[:start]
        if strict:
            alone = len(run) == len(tokens)
            if (alone or _STRICT_PREP.search(before)) and text[:1].isupper():
                return text
            continue
        if _AFTER_PREP.search(before) or text[:1].isupper():
            return text
    return None
