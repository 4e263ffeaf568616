"""Secrets never reach a log line: the filter masks every known secret shape."""

from __future__ import annotations

import io
import logging

import pytest

from core.redaction import JsonFormatter, RedactingFilter, redact, register_secret

SECRETS = [
    "sk_live_51HxYzAbCdEfGhIjKlMn0123",
    "sk_test_51HxYzAbCdEfGhIjKlMn4567",
    "rk_live_51HxYzAbCdEfGhIjKlMn8901",
    "rk_test_51HxYzAbCdEfGhIjKlMn2345",
    "whsec_abcdefghijklmnop6789",
    "xoxb-1234567890-0987654321-AbCdEfGh",
    "xoxp-1234567890-0987654321-IjKlMnOp",
    "xapp-1-A0123456789-1234567890-abcdef",
]


@pytest.mark.parametrize("secret", SECRETS)
def test_redact_keeps_only_kind_and_last_four(secret: str) -> None:
    text = redact(f"key={secret} end")
    assert secret not in text
    assert text.endswith(f"…{secret[-4:]} end")


def test_ordinary_text_is_untouched() -> None:
    text = "customer cus_123 paid invoice in_456; task_list and desk_test stay"
    assert redact(text) == text


def _logger(stream: io.StringIO, formatter: logging.Formatter | None = None) -> logging.Logger:
    logger = logging.getLogger(f"redaction-test-{id(stream)}")
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    if formatter:
        handler.setFormatter(formatter)
    logger.handlers[:] = [handler]
    logger.propagate = False
    return logger


def test_filter_redacts_message_args_and_exceptions() -> None:
    stream = io.StringIO()
    logger = _logger(stream)
    logger.warning("connecting with %s", SECRETS[0])
    logger.warning("direct " + SECRETS[4])
    try:
        raise RuntimeError(f"bad key {SECRETS[3]}")
    except RuntimeError:
        logger.exception("failed")
    output = stream.getvalue()
    for secret in (SECRETS[0], SECRETS[3], SECRETS[4]):
        assert secret not in output
    assert "…0123" in output and "RuntimeError" in output


def test_json_format_is_redacted_and_valid() -> None:
    import json

    stream = io.StringIO()
    _logger(stream, JsonFormatter()).error('quote " and %s', SECRETS[5])
    entry = json.loads(stream.getvalue())
    assert SECRETS[5] not in entry["message"] and entry["level"] == "ERROR"


def test_a_registered_secret_of_no_known_shape_is_redacted_everywhere() -> None:
    key = "llm-key-shapeless-9f8e7d6c5b4a"
    assert redact(f"auth {key}") == f"auth {key}"  # not a known shape: unknown until told
    register_secret(key)
    stream = io.StringIO()
    logger = _logger(stream)
    logger.warning("posting with %s", key)
    try:
        raise RuntimeError(f"Bearer {key} refused")
    except RuntimeError:
        logger.exception("failed")
    output = stream.getvalue()
    assert key not in output
    assert output.count("…5b4a") == 2
    register_secret("short")  # a few letters could be any word: never registered
    assert redact("a short note") == "a short note"
