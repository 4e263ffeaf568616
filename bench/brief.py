"""Monday Brief at scale (SPEC §13: a 10k-account workspace's brief rendered in under 1 s).

Stores the question benchmark's synthetic workspace (default 10,000 accounts,
120k invoices) as a finished sync would, then times reading + assembling +
rendering (Block Kit and plain text) of the brief and prints the median and max.

    python -m bench.brief [--accounts 10000] [--rounds 5] [--db PATH]
"""

from __future__ import annotations

import statistics
import time

from bench.questions import NOW, WORKSPACE, synthetic_database
from briefs.render import render
from briefs.service import build_brief, read_inputs
from storage.db import Database


def measure(database: Database, rounds: int) -> None:
    read_ms: list[float] = []
    total_ms: list[float] = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        with database.session() as session:
            read_inputs(session, WORKSPACE, NOW)
        t1 = time.perf_counter()
        with database.session() as session:
            brief = build_brief(session, WORKSPACE, NOW)
        rendered = render(brief)
        t2 = time.perf_counter()
        read_ms.append((t1 - t0) * 1000)
        total_ms.append((t2 - t1) * 1000)
    rows = sum(s.count for s in brief.sections)
    print(f"brief: {len(brief.sections)} sections, {rows} rows, {len(rendered.blocks)} blocks")
    print(
        f"read only:            median {statistics.median(read_ms):.0f} ms, "
        f"max {max(read_ms):.0f} ms"
    )
    print(
        f"read+assemble+render: median {statistics.median(total_ms):.0f} ms, "
        f"max {max(total_ms):.0f} ms (SPEC: < 1000 ms)"
    )


def main() -> None:
    measure(*synthetic_database(__doc__))


if __name__ == "__main__":
    main()
