"""A real ``revbot serve`` process on an ephemeral port, for tests that need separate processes.

The process runs the console entry point (``bot.cli.main.run`` with ``serve``)
with only the environment it is given, from its own working directory, and
writes its log to a file that a failing test shows.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

from tests.bot.slack.conftest import BOT_TOKEN, FERNET_KEY
from tests.bot.slack.harness import SIGNING_SECRET
from tests.slack_server import SlackServer

ROOT = Path(__file__).resolve().parents[3]
# Inherited settings that would change the mode or the database under the test.
_CLEARED = (
    "SLACK_APP_TOKEN",
    "SLACK_BOT_TOKEN",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "SLACK_SIGNING_SECRET",
    "REVBOT_DATABASE_URL",
    "REVBOT_NOW",
    "REVBOT_LOG_LEVEL",
    "REVBOT_LLM_BASE_URL",
    "REVBOT_LLM_MODEL",
    "REVBOT_LLM_API_KEY",
    "REVBOT_LLM_SEND_NAMES",
    "REVBOT_LLM_TIMEOUT_SECONDS",
)
START_TIMEOUT = 90.0  # seconds; the machine is shared, and a cold start imports a lot


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServeProcess:
    """``revbot serve --host 127.0.0.1 --port N``; ``start()`` returns once ``/healthz`` is 200."""

    def __init__(self, env: Mapping[str, str], workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.log_path = workdir / f"serve-{self.port}.log"
        base = {k: v for k, v in os.environ.items() if k not in _CLEARED}
        self.env = {**base, **env, "PYTHONPATH": str(ROOT)}
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = START_TIMEOUT) -> ServeProcess:
        return self.launch().wait_ready(timeout)

    def launch(self) -> ServeProcess:
        """Start the process without waiting (to start several at once)."""
        command = [sys.executable, "-c", "from bot.cli.main import run; run()", "serve"]
        command += ["--host", "127.0.0.1", "--port", str(self.port)]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=self.workdir, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        return self

    def wait_ready(self, timeout: float = START_TIMEOUT) -> ServeProcess:
        """Return once ``/healthz`` answers 200; fail with the log if the process dies."""
        assert self.process is not None, "launch() first"
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if (
                self.process is None
                or self.process.poll() is not None
                or (time.monotonic() > deadline)
            ):
                self.stop()
                raise AssertionError(f"revbot serve did not start:\n{self.log()}")
            time.sleep(0.1)

    def stop(self) -> None:
        """Stop the process (SIGTERM, then SIGKILL after 10 s)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=10)


def http_env(slack: SlackServer, data_dir: Path, **extra: str) -> dict[str, str]:
    """Single-workspace HTTP mode against the local Slack, data (SQLite) in ``data_dir``."""
    return {
        "REVBOT_DATA_DIR": str(data_dir),
        "REVBOT_ENCRYPTION_KEY": FERNET_KEY,
        "REVBOT_SLACK_API_URL": slack.api_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        **extra,
    }
