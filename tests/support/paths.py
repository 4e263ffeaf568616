"""Where the test data lives: a vendored copy of the shared sample world.

``tests/data/shared/questions`` is a copy of the product's shared sample
(``questions.jsonl``, ``world/`` with its Stripe objects, ``accounts.csv`` and
``truth.json``) so that a fresh clone tests itself with nothing beside it.
"""

from __future__ import annotations

from pathlib import Path

SHARED = Path(__file__).resolve().parents[1] / "data" / "shared"
QUESTIONS = SHARED / "questions"
WORLD = QUESTIONS / "world"
STRIPE_WORLD = WORLD / "stripe"
