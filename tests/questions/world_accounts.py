"""The sample world's accounts as question-engine ``AccountRef``s.

Names, domains and aliases come from the shared ``accounts.csv``; the names of
Stripe customers matched to an account are added as aliases ("Initech AP").
"""

from __future__ import annotations

import csv
import json
from functools import cache

from questions.query import AccountRef
from tests.support.world import WORLD, account_id_for, truth


@cache
def world_accounts() -> tuple[AccountRef, ...]:
    matched: dict[str, list[str]] = {}
    for outcome in truth()["matching"].values():
        if outcome.get("outcome") == "matched" and outcome.get("account") and outcome.get("name"):
            matched.setdefault(outcome["account"], []).append(outcome["name"])
    refs = []
    with (WORLD / "accounts.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["name"]
            aliases = [a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()]
            aliases += [n for n in matched.get(name, []) if n != name and n not in aliases]
            refs.append(
                AccountRef(
                    id=account_id_for(name),
                    name=name,
                    domain=row.get("domain") or None,
                    aliases=tuple(aliases),
                )
            )
    return tuple(refs)


def world_questions() -> list[dict]:
    path = WORLD.parent / "questions.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
