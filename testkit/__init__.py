"""Test doubles and world builders shared by ``tests/`` and ``bench/``; production never
imports them.

- :mod:`testkit.stripe_server` — a local Stripe that speaks its real HTTP API (read
  endpoints), serving generated or recorded worlds;
- :mod:`testkit.ledger_db` — a billing ``Ledger`` written straight into a database,
  with its facts and figures, for answers and briefs without a sync.
"""
