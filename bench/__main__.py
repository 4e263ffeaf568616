"""Run every SPEC §13 benchmark at its default scale: ``python -m bench``.

Each benchmark prints its own figures and the budget it is held to; run one
alone with ``python -m bench.<name> --help`` for its options (e.g. ``--full``).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from bench import account_billing, backfill, brief, questions, webhooks

BENCHMARKS: dict[str, Callable[[], object]] = {
    "backfill": backfill.main,
    "account_billing": account_billing.main,
    "questions": questions.main,
    "webhooks": webhooks.main,
    "brief": brief.main,
}


def main() -> None:
    for name, run in BENCHMARKS.items():
        print(f"\n=== bench.{name} ===", flush=True)
        started = time.monotonic()
        sys.argv = [f"bench.{name}"]
        run()
        print(f"(bench.{name} took {time.monotonic() - started:.1f} s)", flush=True)


if __name__ == "__main__":
    main()
