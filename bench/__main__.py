"""Run every SPEC §13 benchmark at its default scale: ``python -m bench``.

Each benchmark prints its own figures and the budget it is held to; run one
alone with ``python -m bench.<name> --help`` for its options (e.g. ``--full``).
"""

from __future__ import annotations

import importlib
import sys
import time

BENCHMARKS = ("backfill", "account_billing", "questions", "webhooks", "brief")


def main() -> None:
    for name in BENCHMARKS:
        module = importlib.import_module(f"bench.{name}")
        print(f"\n=== bench.{name} ===", flush=True)
        started = time.monotonic()
        sys.argv = [f"bench.{name}"]
        module.main()
        print(f"(bench.{name} took {time.monotonic() - started:.1f} s)", flush=True)


if __name__ == "__main__":
    main()
