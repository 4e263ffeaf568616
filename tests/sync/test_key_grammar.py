"""Stripe key grammar (issue 13 item 3): refused before any request, the message names why."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.errors import KeyFormatError
from sync.key_grammar import MAX_BODY, MIN_BODY, key_kind_and_mode, key_problem
from sync.validate import validate_key
from testkit.stripe_server import StripeTestServer
from tests.stripe_server.helpers import make_client

BODY = "51HxYzAbCdEfGhIjKlMn0123"  # the 24 characters of a classic key

REFUSED = [
    ("", "No Stripe API key given"),
    ("   \n", "No Stripe API key given"),
    ("pk_test_" + BODY, "publishable key"),
    ("whsec_" + BODY, "webhook signing secret"),
    ("rk_prod_" + BODY, "not a Stripe API key"),
    ("RK_TEST_" + BODY, "not a Stripe API key"),
    ("rk_test_" + BODY[:12] + "\n" + BODY[12:], "line break at position 21"),
    ("rk_test_" + BODY[:12] + "\r" + BODY[12:], "line break at position 21"),
    ("rk_test_" + BODY[:3] + " " + BODY[3:], "space at position 12"),
    ("rk_test_" + BODY[:3] + "\t" + BODY[3:], "space at position 12"),
    ("rk_test_51HxYzAbCdé" + BODY[11:], "non-ASCII character at position 19"),
    ("rk_test_" + "\u200b" + BODY, "non-ASCII character at position 9"),
    ("rk_test_" + BODY[:5] + "\x00" + BODY[5:], "control character at position 14"),
    ("rk_test_" + BODY[:5] + "-" + BODY[5:], "not a letter or digit at position 14"),
    ("rk_test_" + BODY[:5] + "_" + BODY[5:], "not a letter or digit at position 14"),
    ("sk_live_abc", "too short: 3 characters after sk_live_"),
    ("rk_test_1234", "too short: 4 characters after rk_test_"),
    ("sk_test_", "too short: 0 characters after sk_test_"),
    ("rk_live_" + "a" * (MAX_BODY + 1), f"too long: {MAX_BODY + 1} characters"),
]


@pytest.mark.parametrize(("key", "reason"), REFUSED)
def test_malformed_keys_are_refused_naming_what_is_wrong(key: str, reason: str) -> None:
    assert reason in (key_problem(key) or "")
    with pytest.raises(KeyFormatError) as exc:
        key_kind_and_mode(key)
    assert exc.value.user_message == key_problem(key)


@pytest.mark.parametrize(("key", "_reason"), REFUSED)
def test_the_message_never_echoes_the_key(key: str, _reason: str) -> None:
    message = key_problem(key) or ""
    assert BODY not in message and BODY[:8] not in message


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("rk_live_" + BODY, ("restricted", "live")),
        ("rk_test_" + BODY, ("restricted", "test")),
        ("sk_live_" + BODY, ("secret", "live")),
        ("sk_test_" + BODY + "\n", ("secret", "test")),  # a pasted line's end is not the key
        ("rk_test_" + "A1" * 50, ("restricted", "test")),  # the newer, longer keys
        ("rk_test_" + "a" * MIN_BODY, ("restricted", "test")),
        ("rk_test_world", ("restricted", "test")),  # the shared sample world's key
        ("rk_test_" + "a" * MAX_BODY, ("restricted", "test")),
    ],
)
def test_well_formed_keys_pass(key: str, expected: tuple[str, str]) -> None:
    assert key_problem(key) is None
    assert key_kind_and_mode(key) == expected


@given(
    prefix=st.sampled_from(["rk_live_", "rk_test_", "sk_live_", "sk_test_"]),
    body=st.text(min_size=1, max_size=300),
)
def test_a_key_passes_exactly_when_its_body_is_ascii_alphanumeric_of_allowed_length(
    prefix: str, body: str
) -> None:
    key = prefix + body
    stripped = key.strip()
    rest = stripped[8:] if stripped.startswith(prefix) else None
    ok = (
        rest is not None and MIN_BODY <= len(rest) <= MAX_BODY and rest.isascii() and rest.isalnum()
    )
    assert (key_problem(key) is None) == ok


@pytest.mark.parametrize("key", [k for k, _ in REFUSED])
def test_validation_sends_nothing_for_a_malformed_key(
    stripe_server: StripeTestServer, key: str
) -> None:
    with pytest.raises(KeyFormatError):
        validate_key(key, None, client_factory=lambda k: make_client(stripe_server, k))
    assert stripe_server.requests == []
