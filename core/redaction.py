"""A logging filter that redacts secrets before any handler sees them.

Stripe keys (``sk_``/``rk_``, live or test), webhook secrets (``whsec_``) and
Slack tokens (``xoxb-``, ``xoxp-``, ``xapp-``, ...) are replaced by their kind
and last four characters. Secrets of no recognisable shape (an LLM API key) are
registered with :func:`register_secret` when loaded and replaced wherever they occur.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

SECRET_PATTERN = re.compile(
    r"\b(?P<kind>(?:sk|rk)_(?:live|test)_|whsec_|xox[abposer]-|xapp-)[A-Za-z0-9_\-]{6,}"
)


# Shorter values could be ordinary words; a real key is far longer.
_MIN_REGISTERED = 8
_registered: set[str] = set()


def register_secret(value: str) -> None:
    """Redact ``value`` from every log line from now on (a key of no known prefix)."""
    if len(value) >= _MIN_REGISTERED:
        _registered.add(value)


def redact(text: str) -> str:
    """Replace every secret in ``text`` with ``<kind>…<last 4>`` (registered ones with
    ``…<last 4>``)."""

    def _mask(match: re.Match[str]) -> str:
        value = match.group(0)
        return f"{match.group('kind')}…{value[-4:]}"

    for secret in _registered:
        if secret in text:
            text = text.replace(secret, f"…{secret[-4:]}")
    return SECRET_PATTERN.sub(_mask, text)


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, tuple):
        return tuple(_redact_value(v) for v in value)
    if isinstance(value, dict):
        return {k: _redact_value(v) for k, v in value.items()}
    return value


class RedactingFilter(logging.Filter):
    """Rewrites the message, its arguments and exception text of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if record.args:
            record.args = _redact_value(record.args)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line (message already redacted by the filter)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def install(level: str = "INFO", fmt: str = "text") -> None:
    """Configure root logging with redaction on every handler."""
    handler = logging.StreamHandler()
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Migrations and HTTP clients are chatty at INFO; keep them for debugging only.
    for noisy in ("alembic", "httpx", "stripe", "slack_bolt", "slack_sdk", "apscheduler"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
