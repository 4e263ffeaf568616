"""The module-scoped acceptance flow, once per API shape (current, pre-2025) per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.acceptance.flow import SHAPES, Flow, run_flow


@pytest.fixture(scope="module", params=SHAPES)
def flow(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flow]:
    with run_flow(request.param, tmp_path_factory.mktemp(f"acceptance_{request.param}")) as ran:
        yield ran
