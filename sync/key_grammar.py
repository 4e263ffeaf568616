"""Stripe's API key grammar, checked before any request (SPEC §4, issue 13 item 3).

A key is ``rk_`` (restricted, recommended) or ``sk_`` (secret), then ``live_``
or ``test_``, then letters and digits only: 24 of them in older keys, about a
hundred in newer ones. Anything else — empty, a publishable ``pk_`` key or a
``whsec_`` signing secret, a space or line break inside, a non-ASCII or
punctuation character, too short or too long — is refused with a message that
names what is wrong, and the key is never echoed (only its length and the
position of the first bad character).
"""

from __future__ import annotations

from sync.errors import KeyFormatError

PREFIXES = {
    "rk_live_": ("restricted", "live"),
    "rk_test_": ("restricted", "test"),
    "sk_live_": ("secret", "live"),
    "sk_test_": ("secret", "test"),
}
EXPECTED = (
    "expected a restricted key (rk_live_… or rk_test_…, recommended) "
    "or a secret key (sk_live_… or sk_test_…)"
)
# Real keys carry 24 to ~100 characters after the prefix; the floor leaves room for the
# hand-made keys of test servers (the shared sample world's is rk_test_world), the
# ceiling refuses a whole pasted file.
MIN_BODY, MAX_BODY = 5, 255
_OTHER_KEYS = {
    "pk_": "a publishable key (pk_…), which cannot read billing data",
    "whsec_": "a webhook signing secret (whsec_…), which belongs in /revbot webhooks",
    "acct_": "an account id (acct_…), not a key",
}


def key_kind_and_mode(api_key: str) -> tuple[str, str]:
    """("restricted"|"secret", "live"|"test") for a well-formed key; else ``KeyFormatError``
    naming what is wrong. Whitespace around the key (a pasted line's end) is ignored."""
    key = api_key.strip()
    problem = key_problem(key)
    if problem is not None:
        raise KeyFormatError(problem)
    return PREFIXES[key[:8]]


def key_problem(api_key: str) -> str | None:
    """What is wrong with ``api_key`` as a Stripe key, or None when it is well formed."""
    key = api_key.strip()
    if not key:
        return f"No Stripe API key given: {EXPECTED}."
    bad = _first_bad_character(key)
    if bad is not None:
        return bad
    prefix = key[:8]
    if prefix not in PREFIXES:
        for start, what in _OTHER_KEYS.items():
            if key.startswith(start):
                return f"That is {what}: {EXPECTED}."
        return f"That is not a Stripe API key: {EXPECTED}."
    body = key[8:]
    if len(body) < MIN_BODY:
        return (
            f"That Stripe key is too short: {len(body)} characters after {prefix}, "
            f"a key has at least {MIN_BODY}."
        )
    if len(body) > MAX_BODY:
        return (
            f"That Stripe key is too long: {len(body)} characters after {prefix}, "
            f"a key has at most {MAX_BODY}."
        )
    if not body.isalnum():
        position = 8 + next(i for i, ch in enumerate(body) if not ch.isalnum()) + 1
        return (
            f"That Stripe key has a character that is not a letter or digit at position "
            f"{position}: after {prefix} a key holds letters and digits only."
        )
    return None


def _first_bad_character(key: str) -> str | None:
    """A line break, space, control or non-ASCII character inside the key, by position."""
    for index, ch in enumerate(key, start=1):
        if ch in "\r\n":
            return (
                f"That Stripe key has a line break at position {index}: "
                "paste the key alone, on one line."
            )
        if ch.isspace():
            return f"That Stripe key has a space at position {index}: paste the key without spaces."
        if not ch.isascii():
            return (
                f"That Stripe key has a non-ASCII character at position {index}: a key holds "
                "ASCII letters, digits and underscores only (was it retyped or auto-corrected?)."
            )
        if not ch.isprintable():
            return f"That Stripe key has a control character at position {index}."
    return None
