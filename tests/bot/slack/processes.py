"""``revbot serve`` as a real process: the console script, a free port, /healthz polling."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.bot.slack.conftest import BOT_TOKEN, FERNET_KEY
from tests.bot.slack.harness import SIGNING_SECRET
from tests.slack_server import SlackServer

# Settings a developer's shell may hold that would change the mode or database.
CLEARED = (
    "SLACK_APP_TOKEN",
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "REVBOT_DATABASE_URL",
    "REVBOT_NOW",
    "REVBOT_LOG_LEVEL",
)


def console_script() -> str:
    """The installed ``revbot`` console script next to this interpreter."""
    script = Path(sys.executable).with_name("revbot")
    assert script.exists(), f"{script} missing: pip install -e . installs the console script"
    return str(script)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_env(slack: SlackServer, data_dir: Path, **extra: str) -> dict[str, str]:
    """HTTP mode for one workspace against the local Slack."""
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(
        REVBOT_DATA_DIR=str(data_dir),
        REVBOT_ENCRYPTION_KEY=FERNET_KEY,
        REVBOT_SLACK_API_URL=slack.api_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        **extra,
    )
    return env


def start_serve(env: dict[str, str], port: int, cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [console_script(), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_healthy(process: subprocess.Popen[bytes], port: int, timeout: float = 60) -> int:
    """The /healthz status once the process listens; fails with its stderr if it dies."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code
        except httpx.TransportError:
            if process.poll() is not None:
                raise AssertionError(stop(process)) from None
            assert time.monotonic() < deadline, "serve did not start in time"
            time.sleep(0.1)


def stop(process: subprocess.Popen[bytes]) -> str:
    """Terminate the process; its stderr."""
    if process.poll() is None:
        process.terminate()
    try:
        _, err = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    return err.decode(errors="replace")
