"""Pytest fixtures for the Stripe test server (registered in tests/conftest.py).

``stripe_world`` is the shared sample world (read-only files, loaded once per
test); ``stripe_server`` serves it on 127.0.0.1 and stops afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from testkit.stripe_server.server import StripeTestServer
from testkit.stripe_server.world import StripeWorld
from tests.support.paths import STRIPE_WORLD

SHARED_WORLD = STRIPE_WORLD


@pytest.fixture
def stripe_world() -> StripeWorld:
    return StripeWorld.from_folder(SHARED_WORLD)


@pytest.fixture
def stripe_server(stripe_world: StripeWorld) -> Iterator[StripeTestServer]:
    with StripeTestServer(stripe_world) as server:
        yield server
