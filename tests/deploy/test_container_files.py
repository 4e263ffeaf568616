"""The container files, checked without a Docker daemon (none can run on the CI machines).

The Dockerfile is parsed: a non-root user runs the console script, the healthcheck asks
``/healthz`` on the port ``serve`` listens on, every COPY source exists and is in the build
context, and those sources are enough to build the wheel the image installs (built here from
exactly those files). compose.yaml is read with a real YAML parser: PostgreSQL plus two
revbot replicas, and every variable it or ``.env.example`` names is a real setting.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import tomllib
import zipfile
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from bot.serve import web_app
from core.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
SETTING_NAMES = {field.alias for field in Settings.model_fields.values() if field.alias}
# Variables compose.yaml itself needs (interpolated into the postgres service and the URL).
COMPOSE_ONLY = {"POSTGRES_PASSWORD"}


@dataclass(frozen=True)
class Instruction:
    keyword: str
    args: str

    def exec_form(self) -> list[str]:
        value = yaml.safe_load(self.args)  # a JSON array is YAML too
        assert isinstance(value, list), f"{self.keyword} should use the exec (JSON) form"
        return [str(v) for v in value]


def dockerfile() -> list[Instruction]:
    """Instructions with continuation lines joined and comments dropped."""
    joined, pending = [], ""
    for raw in (ROOT / "Dockerfile").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        joined.append(pending + line)
        pending = ""
    assert not pending, "Dockerfile ends inside a continued line"
    instructions = []
    for line in joined:
        keyword, _, args = line.partition(" ")
        instructions.append(Instruction(keyword.upper(), args.strip()))
    return instructions


def final_stage() -> list[Instruction]:
    steps = dockerfile()
    start = max(i for i, step in enumerate(steps) if step.keyword == "FROM")
    return steps[start:]


def only(stage: list[Instruction], keyword: str) -> Instruction:
    [found] = [step for step in stage if step.keyword == keyword]
    return found


def copy_sources() -> list[str]:
    """Build-context sources of every COPY without --from."""
    sources = []
    for step in dockerfile():
        if step.keyword != "COPY":
            continue
        words = [w for w in shlex.split(step.args) if not w.startswith("--chown")]
        if any(w.startswith("--from") for w in words):
            continue
        sources += words[:-1]
    return sources


def dockerignore() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def packages() -> list[str]:
    return [p.rstrip("*") for p in PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]]


def test_the_image_runs_the_console_script_as_a_non_root_user() -> None:
    stage = final_stage()
    user = only(stage, "USER").args
    assert user not in {"root", "0"} and not user.startswith("0:")
    keywords = [step.keyword for step in stage]
    assert keywords.index("USER") < keywords.index("ENTRYPOINT")
    [script] = only(stage, "ENTRYPOINT").exec_form()
    assert PYPROJECT["project"]["scripts"][script] == "bot.cli.main:run"
    command = only(stage, "CMD").exec_form()
    assert command[0] == "serve"
    port = command[command.index("--port") + 1]
    assert command[command.index("--host") + 1] == "0.0.0.0"  # reachable from outside
    assert only(stage, "EXPOSE").args == port
    check = only(stage, "HEALTHCHECK").args
    assert f"http://127.0.0.1:{port}/healthz" in check
    assert "/healthz" in {route.path for route in web_app(None).routes}  # type: ignore[attr-defined]
    env = only(stage, "ENV").args
    for name in re.findall(r"\b(REVBOT_[A-Z_]+)=", env):
        assert name in SETTING_NAMES, f"Dockerfile sets {name}, which no setting reads"


def test_the_base_image_python_meets_requires_python() -> None:
    arg = next(step for step in dockerfile() if step.keyword == "ARG")
    version = re.search(r"python:(\d+)\.(\d+)", arg.args)
    assert version, arg.args
    needed = re.fullmatch(r">=(\d+)\.(\d+)", PYPROJECT["project"]["requires-python"])
    assert needed
    assert (int(version[1]), int(version[2])) >= (int(needed[1]), int(needed[2]))
    assert all(
        step.args.startswith("${PYTHON_IMAGE}") for step in dockerfile() if step.keyword == "FROM"
    )


def test_every_copy_source_exists_is_in_the_context_and_covers_every_package() -> None:
    sources = copy_sources()
    ignored = dockerignore()
    for source in sources:
        assert (ROOT / source).exists(), f"COPY {source}: no such file"
        assert not any(fnmatch(source, pattern) for pattern in ignored), (
            f"COPY {source}: excluded by .dockerignore"
        )
    assert set(packages()) <= set(sources), "the image must install every package"
    assert {"pyproject.toml", PYPROJECT["project"]["readme"], "LICENSE"} <= set(sources)
    install = " ".join(
        s.args for s in dockerfile() if s.keyword == "RUN" and "pip install" in s.args
    )
    assert ".[postgres]" in install  # compose runs it on PostgreSQL


def test_the_copied_files_build_the_wheel_the_image_installs(tmp_path: Path) -> None:
    context = tmp_path / "context"
    for source in copy_sources():
        origin = ROOT / source
        if origin.is_dir():
            shutil.copytree(origin, context / source, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            context.mkdir(exist_ok=True)
            shutil.copy2(origin, context / source)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), "."],
        cwd=context,
        check=True,
        capture_output=True,
        timeout=300,
    )
    [wheel] = tmp_path.glob("revbot-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for package in packages():
        assert f"{package}/py.typed" in names, f"{package} has no py.typed"
    assert "storage/migrations/env.py" in names and "storage/migrations/script.py.mako" in names
    versions = {p.name for p in (ROOT / "storage/migrations/versions").glob("*.py")}
    assert {f"storage/migrations/versions/{v}" for v in versions} <= names
    templates = {p.name for p in (ROOT / "briefs/templates").iterdir()}
    assert {f"briefs/templates/{t}" for t in templates} <= names
    assert any(n.endswith("licenses/LICENSE") for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "revbot = bot.cli.main:run" in zipfile.ZipFile(wheel).read(entry_points).decode()


def _compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_runs_postgresql_and_two_replicas_of_the_image() -> None:
    services = _compose()["services"]
    postgres, revbot = services["postgres"], services["revbot"]
    assert postgres["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert revbot["build"] == "." and (ROOT / "Dockerfile").exists()
    assert revbot["deploy"]["replicas"] == 2
    assert revbot["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "user" not in revbot  # the image's non-root user
    [ports] = revbot["ports"]
    hosts, container = ports.rsplit(":", 1)
    first, last = (int(p) for p in hosts.split("-"))
    assert last - first + 1 == revbot["deploy"]["replicas"]
    assert container == only(final_stage(), "EXPOSE").args
    url = urlparse(revbot["environment"]["REVBOT_DATABASE_URL"])
    assert url.scheme == "postgresql" and url.hostname == "postgres" and url.port == 5432
    assert url.username == postgres["environment"]["POSTGRES_USER"]
    assert url.path == "/" + postgres["environment"]["POSTGRES_DB"]


def test_every_variable_compose_and_env_example_name_is_a_setting() -> None:
    revbot = _compose()["services"]["revbot"]
    assert set(revbot["environment"]) <= SETTING_NAMES
    assert revbot["env_file"] == ".env"
    example = (ROOT / ".env.example").read_text()
    named = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))
    assert named - SETTING_NAMES == COMPOSE_ONLY
    missing = SETTING_NAMES - named
    assert not missing, f".env.example does not document {sorted(missing)}"
    interpolated = set(re.findall(r"\$\{([A-Z0-9_]+)", (ROOT / "compose.yaml").read_text()))
    assert interpolated <= named, "compose.yaml needs a variable .env.example does not name"


@pytest.mark.parametrize("package", packages())
def test_packages_are_typed_and_the_license_is_mit(package: str) -> None:
    assert (ROOT / package / "py.typed").exists()
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert PYPROJECT["project"]["license"] in ({"text": "MIT"}, "MIT")
