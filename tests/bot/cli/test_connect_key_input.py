"""``revbot connect`` refuses a malformed key as such (issue 13 item 3).

Run as a real process with no terminal on stdin, as a script or a CI job
would: ``--key ''`` used to prompt anyway (getpass's ``GetPassWarning``, then
``Aborted.``), and a key with a line break or a non-ASCII character was sent to
Stripe and retried for 14 s as "Stripe unavailable". Now each exits non-zero at
once with a one-line reason naming what is wrong, and Stripe is never asked.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.stripe_server import StripeTestServer
from tests.stripe_server.server import ALL_PERMISSIONS

FERNET_KEY = "dGVzdC1vbmx5LWZlcm5ldC1rZXktMzItYnl0ZXMhIT0="
GOOD = "rk_test_51CliKeyInputTest0000000wxyz"


def _connect(server: StripeTestServer, tmp_path: Path, *args: str, stdin: bytes = b"") -> Any:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REVBOT_", "SLACK_"))}
    env.update(
        REVBOT_DATA_DIR=str(tmp_path / "data"),
        REVBOT_ENCRYPTION_KEY=FERNET_KEY,
        REVBOT_STRIPE_API_BASE=server.url,
        REVBOT_STRIPE_MAX_RETRIES="0",
    )
    command = [sys.executable, "-c", "from bot.cli.main import run; run()", "connect", *args]
    return subprocess.run(
        command, input=stdin, capture_output=True, env=env, cwd=tmp_path, timeout=60
    )


@pytest.mark.parametrize(
    ("args", "stdin", "named"),
    [
        (("--key", ""), b"", "No Stripe API key given"),
        (("--key", "   "), b"", "No Stripe API key given"),
        ((), b"", "no Stripe key given: pass --key KEY"),
        (("--key", "-"), b"\n", "No Stripe API key given"),
        (("--key", GOOD[:20] + "\n" + GOOD[20:]), b"", "line break at position 21"),
        (("--key", GOOD[:20] + "ü" + GOOD[20:]), b"", "non-ASCII character at position 21"),
        (("--key", "pk_test_" + GOOD[8:]), b"", "publishable key"),
        (("--key", "rk_test_shrt"), b"", "too short"),
    ],
)
def test_a_malformed_or_missing_key_fails_at_once_naming_why(
    stripe_server: StripeTestServer,
    tmp_path: Path,
    args: tuple[str, ...],
    stdin: bytes,
    named: str,
) -> None:
    result = _connect(stripe_server, tmp_path, *args, stdin=stdin)
    stderr = result.stderr.decode()
    assert result.returncode != 0
    assert named in stderr
    assert stderr.count("\n") == 1 and stderr.startswith("error: ")  # one line, no traceback
    assert "GetPassWarning" not in stderr and "Aborted" not in stderr
    assert stripe_server.requests == []


def test_a_well_formed_key_from_stdin_is_validated_with_stripe(
    stripe_server: StripeTestServer, tmp_path: Path
) -> None:
    stripe_server.set_keys({GOOD: ALL_PERMISSIONS})
    result = _connect(stripe_server, tmp_path, "--key", "-", stdin=GOOD.encode() + b"\n")
    assert result.returncode == 0, result.stderr.decode()
    assert "key …wxyz" in result.stdout.decode()
    assert stripe_server.requests[0].path == "/v1/account"
