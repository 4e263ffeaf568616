"""Hostile bodies at ``POST /stripe/webhooks/…`` (issue 13 item 2): 400/413, one log line.

Signed bodies carry a real ``Stripe-Signature`` under the workspace's secret, so
the parse after verification is what is exercised; unsigned ones never reach it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from storage.models import StripeEvent
from tests.bot.webhooks.conftest import TEAM_A, Hooks

HOSTILE = {
    "truncated": b'{"id": "evt_1", "type": "customer.updated", "data": {"object": ',
    "null": b"null",
    "a string": b'"evt"',
    "deeply nested list": b"[" * 100_000 + b"]" * 100_000,
    "deeply nested object": b'{"data":' * 50_000 + b"1" + b"}" * 50_000,
    "nested inside an event": (
        b'{"id": "evt_2", "type": "customer.updated", "created": 1, "data": '
        + b'{"a":' * 50_000
        + b"1"
        + b"}" * 50_000
        + b"}"
    ),
    "not UTF-8": b'{"id": "\xff\xfe"}',
}


def _refusals(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if "Stripe webhook refused" in r.getMessage()]


def _no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    assert all(r.exc_info is None for r in caplog.records)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def _queued(hooks: Hooks) -> list[str]:
    with hooks.db.session() as session:
        query = select(StripeEvent.id).where(
            StripeEvent.workspace_id == TEAM_A, StripeEvent.source == "webhook"
        )
        return list(session.scalars(query))


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_signed_hostile_body_is_400_with_one_log_line(
    hooks: Hooks, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    with caplog.at_level(logging.WARNING):
        response = hooks.deliver(HOSTILE[name])
    assert response.status_code == 400, response.text
    assert len(_refusals(caplog)) == 1
    _no_traceback(caplog)
    assert _queued(hooks) == []


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_unsigned_hostile_body_is_refused_by_its_signature(
    hooks: Hooks, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    url = hooks.url(hooks.public_a)
    with caplog.at_level(logging.WARNING):
        response = hooks.client.post(url, content=HOSTILE[name])
        forged = hooks.client.post(
            url, content=HOSTILE[name], headers={"Stripe-Signature": "t=abc,v1=zz"}
        )
    assert (response.status_code, forged.status_code) == (400, 400)
    assert {response.json()["message"], forged.json()["message"]} <= {"Webhook signature invalid"}
    assert len(_refusals(caplog)) == 2
    _no_traceback(caplog)


def test_chunked_oversized_body_is_413(hooks: Hooks, caplog: pytest.LogCaptureFixture) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(40):  # 2.6 MB without a Content-Length
            yield b"x" * 65_536

    with caplog.at_level(logging.WARNING):
        response = hooks.client.post(hooks.url(hooks.public_a), content=chunks())
    assert response.status_code == 413
    assert len(_refusals(caplog)) == 1
    assert _queued(hooks) == []
