"""Bundled demo Stripe world for ``revbot demo`` (offline, no credentials).

A deterministic year of billing history for 40 client companies of a
marketing agency, shaped like Stripe API objects (2026-10-28) and loaded
through the file source exactly like an export.
"""

from demo.generator import FILES, accounts_csv, generate_world, write_world

__all__ = ["FILES", "accounts_csv", "generate_world", "write_world"]
