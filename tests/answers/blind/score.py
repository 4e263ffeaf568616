"""Print each blind set's score and misses: ``python -m tests.answers.blind.score [SET ...]``.

Every world is synced into a throwaway SQLite database first (a few seconds each).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from storage.db import Database
from tests.answers.blind.sets import blind_sets, misses
from tests.answers.blind.worlds import load_world


def main(names: list[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="revbot-score-") as tmp:
        database = Database.connect(f"sqlite:///{Path(tmp) / 'score.db'}", migrate=True)
        loaded: dict[str, tuple[str, object]] = {}
        for blind in blind_sets():
            if names and blind.name not in names:
                continue
            if blind.world not in loaded:
                workspace = f"W{len(loaded)}"
                loaded[blind.world] = (workspace, load_world(database, workspace, blind.world))
            workspace, now = loaded[blind.world]
            missed = misses(database, workspace, now, blind.questions)
            for question, problems in missed.items():
                print(f"MISS {question}: {'; '.join(problems)}")
            total = len(blind.questions)
            right = total - len(missed)
            print(f"== {blind.name} ({blind.world}): {right}/{total} = {right / total:.1%}\n")
        database.engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1:])
