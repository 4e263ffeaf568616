"""The container image, built and run with a real Docker daemon (issue 12).

Skipped, with the reason, where no daemon runs or the base image cannot be had (no registry
reachable): ``REVBOT_TEST_PYTHON_IMAGE`` names a local stand-in for the Dockerfile's
``PYTHON_IMAGE`` then. The files themselves are checked without a daemon in
``test_container_files.py``.

Built once per module: the console script is the entry point and reports the installed
version, the image runs as a non-root user, ``revbot demo`` runs offline inside it, and the
default command (``revbot serve``, HTTP mode with OAuth on the embedded SQLite in the data
volume) becomes *healthy* through the image's own HEALTHCHECK.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT = 1800  # seconds: a cold build installs every dependency
HEALTHY_WITHIN = 240.0  # seconds, generous: the machine is shared


def _docker(*args: str, timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["docker", *args], capture_output=True, text=True, timeout=timeout, check=check
    )


def _default_base() -> str:
    found = re.search(r"^ARG PYTHON_IMAGE=(\S+)", (ROOT / "Dockerfile").read_text(), re.M)
    assert found, "the Dockerfile names its base image in ARG PYTHON_IMAGE"
    return found[1]


def _skip_without_daemon() -> None:
    if shutil.which("docker") is None:
        pytest.skip("no docker client here; the container files are checked without it")
    info = _docker("info", "--format", "{{.ServerVersion}}", check=False, timeout=30)
    if info.returncode != 0:
        pytest.skip(f"no Docker daemon here ({info.stderr.strip().splitlines()[-1:]})")


def _base_image() -> str:
    base = os.environ.get("REVBOT_TEST_PYTHON_IMAGE") or _default_base()
    if _docker("image", "inspect", base, check=False).returncode == 0:
        return base
    pulled = _docker("pull", base, check=False, timeout=600)
    if pulled.returncode != 0:
        pytest.skip(
            f"base image {base} is not here and cannot be pulled ({pulled.stderr.strip()[-200:]});"
            " set REVBOT_TEST_PYTHON_IMAGE to a local Python image"
        )
    return base


@pytest.fixture(scope="module")
def image() -> Iterator[str]:
    _skip_without_daemon()
    base = _base_image()
    tag = f"revbot-test:{uuid.uuid4().hex[:10]}"
    built = _docker(
        "build", "--build-arg", f"PYTHON_IMAGE={base}", "-t", tag, str(ROOT),
        check=False, timeout=BUILD_TIMEOUT,
    )  # fmt: skip
    assert built.returncode == 0, (built.stdout + built.stderr)[-4000:]
    try:
        yield tag
    finally:
        _docker("image", "rm", "-f", tag, check=False)


def test_the_entry_point_is_the_console_script_run_by_a_non_root_user(image: str) -> None:
    shown = _docker("run", "--rm", image, "--version")
    assert shown.stdout == f"revbot {version('revbot')}\n"
    user = _docker("run", "--rm", "--entrypoint", "id", image, "-u").stdout.strip()
    assert user.isdigit() and int(user) != 0
    config = json.loads(_docker("image", "inspect", image).stdout)[0]["Config"]
    assert config["Entrypoint"] == ["revbot"] and config["Cmd"][0] == "serve"
    assert "/healthz" in " ".join(config["Healthcheck"]["Test"])


def test_the_demo_runs_offline_in_the_image(image: str) -> None:
    demo = _docker("run", "--rm", "--network", "none", image, "demo", timeout=300)
    assert "Headline figures" in demo.stdout and "Example questions" in demo.stdout


def test_serve_becomes_healthy_through_the_images_healthcheck(image: str) -> None:
    name = f"revbot-test-{uuid.uuid4().hex[:10]}"
    env = {
        # HTTP mode with OAuth: no Slack call at start, so no Slack is needed to serve.
        "SLACK_CLIENT_ID": "1.2",
        "SLACK_CLIENT_SECRET": "client-secret-for-tests",
        "SLACK_SIGNING_SECRET": "signing-secret-for-tests",
    }
    flags = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
    # The image's own check, run every 2 s instead of 30 s so the test need not wait.
    _docker("run", "-d", "--name", name, "--health-interval", "2s", *flags, image)
    try:
        deadline = time.monotonic() + HEALTHY_WITHIN
        status = ""
        while time.monotonic() < deadline:
            status = _docker("inspect", "--format", "{{.State.Health.Status}}", name).stdout
            if status.strip() in {"healthy", "unhealthy"}:
                break
            if _docker("inspect", "--format", "{{.State.Running}}", name).stdout.strip() != "true":
                break
            time.sleep(1)
        logs = _docker("logs", name, check=False)
        assert status.strip() == "healthy", logs.stdout[-3000:] + logs.stderr[-3000:]
    finally:
        _docker("rm", "-f", name, check=False)
