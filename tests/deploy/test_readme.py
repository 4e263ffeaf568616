"""The README, followed as a newcomer would (issue 12): its shell blocks, in order, in one
shell session, in an empty directory with an empty home and no revbot or Slack settings.

Every ``bash``/``sh`` block runs as written except the few that need what a test machine
lacks (each named below with its reason; the test fails if one disappears from the README,
so the list cannot go stale). The first block's install step (``python3 -m venv .venv && .
.venv/bin/activate && pip install -e .``) is the one substitution: instead of installing from
the network the session activates the revbot this suite runs (``.ci/run`` performs that
install itself); everything after it, from ``revbot demo`` on, runs unchanged.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
SHELLS = {"bash", "sh", "shell"}
INSTALL = "python3 -m venv .venv && . .venv/bin/activate && pip install -e ."
# A block needing credentials, a daemon or the suite itself: its first line -> why it is not run.
NOT_RUN = {
    "bash scripts/test": "runs this test suite (and its install) itself",
    "revbot accounts import clients.csv": "needs your client list and a live Stripe key",
    "cp .env.example .env": "needs a Docker daemon and Slack credentials in .env",
    "docker build -t revbot .": "needs a Docker daemon and Slack credentials in .env",
}
MARK = "::readme-block::"


@dataclass(frozen=True)
class Block:
    language: str
    text: str

    @property
    def first_line(self) -> str:
        return self.text.strip().splitlines()[0].split("  #")[0].strip()


def blocks() -> list[Block]:
    """Fenced code blocks of the README, in order (indented ones in lists included)."""
    found = re.findall(r"^ *```(\w*)\n(.*?)^ *```", README.read_text(), re.MULTILINE | re.DOTALL)
    return [Block(language, text) for language, text in found]


def shell_blocks() -> list[Block]:
    return [b for b in blocks() if b.language in SHELLS]


def test_every_block_not_run_is_still_in_the_readme_and_the_rest_need_no_credentials() -> None:
    firsts = [block.first_line for block in shell_blocks()]
    for first in NOT_RUN:
        assert first in firsts, f"README no longer has a block starting {first!r}"
    for block in shell_blocks():
        if block.first_line in NOT_RUN:
            continue
        assert not re.search(r"rk_live_|sk_live_|xox[bp]-|xapp-|whsec_", block.text), block.text
    # Settings excerpts are .env contents, not commands.
    assert all(b.language in SHELLS | {"dotenv", ""} for b in blocks())


def _session_script() -> str:
    runnable = [b for b in shell_blocks() if b.first_line not in NOT_RUN]
    first = runnable[0].text
    assert first.startswith(INSTALL + " && revbot demo"), "the README must open with install + demo"
    runnable[0] = Block(runnable[0].language, first.replace(INSTALL, ". .venv/bin/activate", 1))
    lines = ["set -euo pipefail"]
    for number, block in enumerate(runnable):
        lines += [f"echo '{MARK}{number}'", f"echo '{MARK}{number}' >&2", block.text]
    return "\n".join(lines) + "\n"


def _fresh_machine(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """An empty working directory and home; ``.venv`` activates the revbot under test."""
    work, home = tmp_path / "work", tmp_path / "home"
    home.mkdir()
    bin_dir = Path(sys.executable).parent
    assert (bin_dir / "revbot").exists(), "the revbot console script is installed beside python"
    (work / ".venv" / "bin").mkdir(parents=True)
    (work / ".venv" / "bin" / "activate").write_text(f'export PATH="{bin_dir}:$PATH"\n')
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("REVBOT_", "SLACK_", "PYTHON", "VIRTUAL_ENV"))
    }
    env.update(HOME=str(home), PATH="/usr/local/bin:/usr/bin:/bin", LC_ALL="C.UTF-8")
    return work, env


def _by_block(text: str) -> dict[int, str]:
    parts = re.split(rf"^{re.escape(MARK)}(\d+)\n", text, flags=re.MULTILINE)
    return {int(parts[i]): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def test_the_readme_examples_work_as_written_after_the_demo(tmp_path: Path) -> None:
    work, env = _fresh_machine(tmp_path)
    script = _session_script()
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out, err = _by_block(done.stdout), _by_block(done.stderr)
    runnable = [b for b in shell_blocks() if b.first_line not in NOT_RUN]
    assert sorted(out) == list(range(len(runnable))), "every block ran"
    for number, block in enumerate(runnable):
        assert "error:" not in err[number], (block.text, err[number])
        if "revbot" in block.text and ">" not in block.text:
            assert out[number].strip(), f"block printed nothing:\n{block.text}"

    # The demo ran and the examples after it read its data, saying so on stderr.
    assert "Headline figures" in out[0]
    asks = next(i for i, b in enumerate(runnable) if 'revbot ask "who is overdue' in b.text)
    assert "demo data" in err[asks] and "no billing data" not in out[asks]
    # `ask --json -` prints one JSON object per question.
    answers = [line for line in out[asks].splitlines() if line.startswith('{"question"')]
    assert len(answers) == 2
    # Files the examples write.
    assert (work / "mrr.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    http = yaml.safe_load((work / "manifest.http.yml").read_text())
    assert http["settings"]["event_subscriptions"]["request_url"] == (
        "https://revbot.example.com/slack/events"
    )
    # Nothing outside the working directory and home was written.
    assert (work / ".revbot").is_dir()
