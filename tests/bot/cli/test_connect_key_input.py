"""``revbot connect`` refuses a malformed key as such (issue 13 item 3).

``--key ''`` used to prompt anyway (getpass's ``GetPassWarning``, then
``Aborted.``), and a key with a line break or a non-ASCII character was sent to
Stripe and retried for 14 s as "Stripe unavailable". Now each exits non-zero at
once with a one-line reason naming what is wrong, and Stripe is never asked.
The table runs in-process (standard input is not a terminal there either); the
no-terminal cases also run as a real process, where getpass used to warn.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from testkit.stripe_server import StripeTestServer
from testkit.stripe_server.server import ALL_PERMISSIONS
from tests.bot.cli.helpers import run_cli

GOOD = "rk_test_51CliKeyInputTest0000000wxyz"


@pytest.fixture
def cli_env(
    revbot_env: Path, stripe_server: StripeTestServer, monkeypatch: pytest.MonkeyPatch
) -> StripeTestServer:
    monkeypatch.setenv("REVBOT_STRIPE_API_BASE", stripe_server.url)
    monkeypatch.setenv("REVBOT_STRIPE_MAX_RETRIES", "0")
    from core.settings import get_settings

    get_settings.cache_clear()
    return stripe_server


@pytest.mark.parametrize(
    ("args", "stdin", "named"),
    [
        (("--key", ""), "", "No Stripe API key given"),
        (("--key", "   "), "", "No Stripe API key given"),
        ((), "", "no Stripe key given: pass --key KEY"),
        (("--key", "-"), "\n", "No Stripe API key given"),
        (("--key", GOOD[:20] + "\n" + GOOD[20:]), "", "line break at position 21"),
        (("--key", GOOD[:20] + "ü" + GOOD[20:]), "", "non-ASCII character at position 21"),
        (("--key", "pk_test_" + GOOD[8:]), "", "publishable key"),
        (("--key", "rk_test_shrt"), "", "too short"),
    ],
)
def test_a_malformed_or_missing_key_fails_at_once_naming_why(
    cli_env: StripeTestServer, args: tuple[str, ...], stdin: str, named: str
) -> None:
    result = run_cli("connect", *args, input=stdin)
    assert result.exit_code != 0
    assert named in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert "Aborted" not in result.stderr + result.stdout
    assert cli_env.requests == []


def test_a_well_formed_key_from_stdin_is_validated_with_stripe(cli_env: StripeTestServer) -> None:
    cli_env.set_keys({GOOD: ALL_PERMISSIONS})
    result = run_cli("connect", "--key", "-", input=GOOD + "\n")
    assert result.exit_code == 0, result.stderr
    assert "key …wxyz" in result.stdout
    assert cli_env.requests[0].path == "/v1/account"


def test_without_a_terminal_no_prompt_and_no_getpass_warning(
    stripe_server: StripeTestServer, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REVBOT_", "SLACK_"))}
    env.update(
        REVBOT_DATA_DIR=str(tmp_path / "data"),
        REVBOT_ENCRYPTION_KEY="dGVzdC1vbmx5LWZlcm5ldC1rZXktMzItYnl0ZXMhIT0=",
        REVBOT_STRIPE_API_BASE=stripe_server.url,
    )
    command = [sys.executable, "-c", "from bot.cli.main import run; run()", "connect"]
    for args in (("--key", ""), ()):
        # Generous: on a loaded 2-core machine the interpreter alone can take a minute.
        done = subprocess.run(
            [*command, *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            env=env,
            cwd=tmp_path,
            timeout=600,
        )
        stderr = done.stderr.decode()
        assert done.returncode != 0 and stderr.startswith("error: ") and stderr.count("\n") == 1
        assert "GetPassWarning" not in stderr and "Aborted" not in stderr
    assert stripe_server.requests == []
